import fc from 'fast-check';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { FORMULA_CELL, unescapeCell } from '../../src/core/csvCells.js';

// Non-empty: a row of one empty cell is an empty line, which CSV cannot tell from none.
const cells = fc.string({ unit: fc.constantFrom('=', '+', '-', '@', '\t', '\r', "'", '"', ',', '\n', 'x', '1'), minLength: 1, maxLength: 6 });

describe('formula-safe CSV cells', () => {
  it('a spreadsheet never sees a cell that starts a formula, and reading back undoes the escape exactly', () => {
    fc.assert(
      fc.property(fc.array(cells, { minLength: 1, maxLength: 8 }), (row) => {
        const text = Papa.unparse([row], { newline: '\n', escapeFormulae: FORMULA_CELL });
        const [back] = Papa.parse<string[]>(text, { newline: '\n', delimiter: ',' }).data;
        for (const cell of back) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
        expect(back.map(unescapeCell)).toEqual(row);
      }),
      { numRuns: 500 },
    );
  });

  it('leaves an older file’s own leading quote alone when nothing follows it that was escaped', () => {
    expect(unescapeCell("'plain")).toBe("'plain");
    expect(unescapeCell("'")).toBe("'");
    expect(unescapeCell("'+14155550123")).toBe('+14155550123');
    expect(unescapeCell("''quoted")).toBe("'quoted");
  });
});

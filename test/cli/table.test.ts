import { describe, expect, it } from 'vitest';
import { textTable } from '../../src/cli/table.js';

describe('textTable', () => {
  it('aligns text left and numbers right', () => {
    expect(textTable(['name', 'n'], [['a', '1'], ['bbb', '22']], [false, true])).toBe('name   n\n----  --\na      1\nbbb   22\n');
  });

  it('shows control characters from the data as escapes, so a row cannot be turned around or overwritten', () => {
    const table = textTable(['segment', 'users'], [['evil\u202eexe.txt', '3'], ['a\rb', '4'], ['two\nlines', '5']], [false, true]);
    expect(table).toContain('evil\\u202eexe.txt');
    expect(table).toContain('a\\u000db');
    expect(table).toContain('two\\u000alines');
    expect(table).not.toMatch(/[\u202e\r]/);
    expect(table.trimEnd().split('\n')).toHaveLength(5);
    // Widths are those of what is shown.
    expect(table.split('\n')[0]).toBe(`segment${' '.repeat('evil\\u202eexe.txt'.length - 'segment'.length)}  users`);
  });
});

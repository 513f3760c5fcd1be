/**
 * Formula-safe CSV cells, one rule for every CSV segmint writes: a cell starting with `=`, `+`,
 * `-`, `@`, a tab or a carriage return is written with a leading `'` so a spreadsheet never runs
 * it (papaparse's own set) — and so is a cell that already starts with `'`, which makes
 * `unescapeCell` an exact inverse for the files segmint reads back (assignments.csv,
 * memberships.csv). Without the second half a phone-number user id `+14155550123` came back as
 * `'+14155550123`, and a periodic run lost every such user's lineage.
 */

/** papaparse's `escapeFormulae` set plus a leading quote: pass as `escapeFormulae`. */
export const FORMULA_CELL = /^[=+\-@\t\r'].*$/s;

/**
 * A cell as it was before `FORMULA_CELL` escaping.
 *
 * @example
 * unescapeCell("'+14155550123"); // '+14155550123'
 * unescapeCell("''quoted");      // "'quoted"
 * unescapeCell("'plain");        // "'plain" (an older file's own quote: nothing to undo)
 */
export function unescapeCell(cell: string): string {
  return cell.length > 1 && cell[0] === "'" && FORMULA_CELL.test(cell.slice(1)) ? cell.slice(1) : cell;
}

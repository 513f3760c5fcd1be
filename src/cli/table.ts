import { visibleOneLine } from '../core/visible.js';

/**
 * A plain-text table for the terminal: left-aligned text, right-aligned numbers. Cells carry data
 * values (event names, segment names), so control characters and line breaks are shown as
 * escapes: a bidi override would turn the rest of the line around, a line break split the row.
 */
export function textTable(header: readonly string[], dataRows: readonly (readonly string[])[], numeric: readonly boolean[]): string {
  const rows = dataRows.map((r) => r.map((cell) => visibleOneLine(cell).replace(/\t/g, ' ')));
  const widths = header.map((h, j) => Math.max(h.length, ...rows.map((r) => r[j].length)));
  const line = (cells: readonly string[]) =>
    cells.map((c, j) => (numeric[j] ? c.padStart(widths[j]) : c.padEnd(widths[j]))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n') + '\n';
}

/** Shorten to `max` characters, on one line. */
export function clip(s: string, max: number): string {
  const one = s.replace(/\s+/g, ' ');
  return one.length <= max ? one : `${one.slice(0, max - 1)}…`;
}

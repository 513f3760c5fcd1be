/** Small HTML builders for the report. Callers pass trusted markup as children; data goes through escapeHtml first. */
import { escapeHtml } from '../escape.js';

export { escapeHtml as esc };

/** One table column: heading (plain text) and whether it holds numbers (right-aligned, tabular). */
export interface Column {
  readonly heading: string;
  readonly numeric?: boolean;
}

/**
 * A table; `rows` hold trusted cell markup. `rowClass` marks rows (e.g. the chosen k).
 *
 * @example
 * table([{ heading: 'k', numeric: true }], [['3']]);
 */
export function table(
  columns: readonly Column[],
  rows: readonly (readonly string[])[],
  rowClass: (i: number) => string | null = () => null,
  cls = 'data',
): string {
  const head = columns.map((c) => `<th${c.numeric ? ' class="num"' : ''} scope="col">${escapeHtml(c.heading)}</th>`).join('');
  const body = rows
    .map((r, i) => {
      const k = rowClass(i);
      const cells = r.map((cell, j) => `<td${columns[j]?.numeric ? ' class="num"' : ''}>${cell}</td>`).join('');
      return `<tr${k ? ` class="${escapeHtml(k)}"` : ''}>${cells}</tr>`;
    })
    .join('\n');
  return `<div class="table-wrap"><table class="${escapeHtml(cls)}"><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table></div>`;
}

/** A section with an anchor and a heading. */
export function section(id: string, heading: string, body: string, intro = ''): string {
  return `<section id="${escapeHtml(id)}"><h2>${escapeHtml(heading)}</h2>${intro ? `<p class="intro">${intro}</p>` : ''}\n${body}\n</section>`;
}

/** A labelled figure for a chart. */
export function figure(chart: string, caption: string): string {
  return `<figure>${chart}<figcaption>${caption}</figcaption></figure>`;
}

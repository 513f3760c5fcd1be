/**
 * The outcomes table of both reports: one row per segment (and the no-events group), one column
 * per outcome measure — the rate or mean with its 95% interval and the lift against everyone.
 * Outcomes are read, never clustered on (stages/outcomes), and the section says so.
 *
 * report.html sorts without a script: one radio button per order, and CSS shows the table of the
 * checked one (the page's CSP allows inline styles and nothing else).
 */
import { NO_EVENTS_GROUP } from '../../core/groups.js';
import type { RunDocuments } from '../../run/types.js';
import type { OutcomeMeasure, OutcomeStat } from '../outcomes/types.js';
import { escapeMarkdown as md } from './escape.js';
import { esc, section, table } from './html/elements.js';
import { formatInt, formatPercent, formatRatio, formatValue, MISSING } from './format.js';
import { segmentsById } from './model.js';

interface Row {
  readonly segment: number;
  readonly name: string;
  readonly users: number;
}

function rowsOf(docs: RunDocuments, measures: readonly OutcomeMeasure[]): Row[] {
  const rows: Row[] = segmentsById(docs).map((s) => ({ segment: s.id, name: s.name, users: s.size }));
  const noEvents = measures[0]?.segments.some((s) => s.segment === NO_EVENTS_GROUP.segment);
  if (noEvents) rows.push({ segment: NO_EVENTS_GROUP.segment, name: NO_EVENTS_GROUP.name, users: docs.segments.usersWithoutEvents ?? 0 });
  return rows;
}

const statOf = (m: OutcomeMeasure, segment: number) => m.segments.find((s) => s.segment === segment) ?? null;

/** `24.8% (23.8–25.8%)` or `1,240 (1,180–1,300)`. */
function value(m: OutcomeMeasure, s: OutcomeStat | null): string {
  if (s === null || s.value === null) return MISSING;
  const f = m.kind === 'rate' ? (v: number | null) => formatPercent(v) : formatValue;
  return `${f(s.value)} (${f(s.low)}–${f(s.high)})`;
}

function sentence(measures: readonly OutcomeMeasure[]): string {
  const names = [...new Set(measures.map((m) => m.outcome))];
  // A category's levels share one n: say it once per outcome.
  const n = names.map((o) => `${o}: ${formatInt(measures.find((m) => m.outcome === o)!.everyone.n)}`);
  return (
    `Outcome columns (${names.join(', ')}) are never clustered on and never in a rule: the segments are the same without them. ` +
    `Each cell is the segment's rate or mean with its 95% interval (Wilson for rates, t for means) and its lift against everyone; ` +
    `users without a value are left out (users with a value: ${n.join('; ')}).`
  );
}

/** The `## Outcomes` section of report.md, or '' without outcomes. */
export function outcomesMarkdown(docs: RunDocuments): string {
  const measures = docs.segments.outcomes ?? [];
  if (measures.length === 0) return '';
  const headers = ['#', 'Segment', 'Users', ...measures.flatMap((m) => [md(m.label), 'lift'])];
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  const body = rowsOf(docs, measures).map((r) =>
    line([String(r.segment), md(r.name), formatInt(r.users), ...measures.flatMap((m) => [value(m, statOf(m, r.segment)), formatRatio(statOf(m, r.segment)?.lift)])]),
  );
  const everyone = line(['', '**Everyone**', formatInt(docs.segments.users + (docs.segments.usersWithoutEvents ?? 0)), ...measures.flatMap((m) => [value(m, m.everyone), '1.00×'])]);
  const align = line(['---:', '---', '---:', ...measures.flatMap(() => ['---:', '---:'])]);
  return ['## Outcomes', '', md(sentence(measures)), '', line(headers), align, ...body, everyone].join('\n');
}

/** The outcomes section of report.html, or '' without outcomes. */
export function outcomesHtml(docs: RunDocuments): string {
  const measures = docs.segments.outcomes ?? [];
  if (measures.length === 0) return '';
  const rows = rowsOf(docs, measures);
  const columns = [{ heading: '#', numeric: true }, { heading: 'Segment' }, { heading: 'Users', numeric: true }, ...measures.flatMap((m) => [{ heading: m.label, numeric: true }, { heading: 'lift', numeric: true }])];
  const cells = (r: Row) => [
    String(r.segment),
    esc(r.name),
    formatInt(r.users),
    ...measures.flatMap((m) => [esc(value(m, statOf(m, r.segment))), esc(formatRatio(statOf(m, r.segment)?.lift))]),
  ];
  const everyone = ['', '<strong>Everyone</strong>', formatInt(docs.segments.users + (docs.segments.usersWithoutEvents ?? 0)), ...measures.flatMap((m) => [esc(value(m, m.everyone)), '1.00×'])];
  // Orders: by segment, then by each measure, highest first (missing values last).
  const orders: { label: string; rows: Row[] }[] = [
    { label: 'segment', rows },
    ...measures.map((m) => ({
      label: m.label,
      rows: [...rows].sort((a, b) => (statOf(m, b.segment)?.value ?? -Infinity) - (statOf(m, a.segment)?.value ?? -Infinity) || a.segment - b.segment),
    })),
  ];
  const radios = orders.map((_, i) => `<input type="radio" name="outcome-order" id="outcome-order-${i}"${i === 0 ? ' checked' : ''}>`).join('');
  const labels = orders.map((o, i) => `<label for="outcome-order-${i}">${esc(o.label)}</label>`).join(' · ');
  const tables = orders.map((o, i) => `<div class="outcome-order outcome-order-${i}">${table(columns, [...o.rows.map(cells), everyone], (j) => (j === o.rows.length ? 'everyone' : null))}</div>`);
  const css =
    '.outcomes input[type=radio]{position:absolute;opacity:0}.outcomes .outcome-order{display:none}' +
    '.outcomes label{cursor:pointer;text-decoration:underline}' +
    orders.map((_, i) => `#outcome-order-${i}:checked~.outcome-order-${i}{display:block}#outcome-order-${i}:checked~p label[for=outcome-order-${i}]{font-weight:700;text-decoration:none}`).join('');
  const body = `<div class="outcomes"><style>${css}</style>${radios}<p>Sort by: ${labels}</p>${tables.join('\n')}</div>`;
  return section('outcomes', 'Outcomes', body, esc(sentence(measures)));
}

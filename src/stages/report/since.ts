/**
 * "Since the previous run": what the report shows of a run's lineage (run/lineage.ts) — each
 * segment's key and status against the previous run of its job, the segments that ended, who
 * moved where (from × to counts), each key's size over the job's runs, and the features that
 * drifted most. One model here; markdown below, HTML in html/since.ts.
 */
import { NO_EVENTS_GROUP } from '../../core/groups.js';
import type { HistoryRun, LineageStatus, RunDocuments, RunLineage } from '../../run/types.js';
import { escapeMarkdown as md, markdownCode as code } from './escape.js';
import { formatInt, formatNumber, formatPercent, MISSING } from './format.js';

/** Features listed under drift. */
export const DRIFT_SHOWN = 8;

export interface SinceRow {
  readonly id: number;
  readonly key: string;
  readonly name: string;
  readonly status: LineageStatus;
  readonly score: number | null;
  /** Keys it came from (the one it continues, the one that split, the merged ones). */
  readonly from: readonly string[];
  readonly previousSize: number | null;
  readonly size: number;
  /** The name it had, when it kept a key and was renamed. */
  readonly previousName: string | null;
}

export interface TransitionMatrix {
  /** Row and column keys; `-1` is the no-events group, '' not in that run. */
  readonly from: readonly string[];
  readonly to: readonly string[];
  readonly counts: readonly (readonly number[])[];
}

export interface SizeSeries {
  readonly key: string;
  readonly name: string;
  /** Segment id in this run (for its colour), or null for a key that has ended. */
  readonly id: number | null;
  /** Size per history run (null where the key did not exist). */
  readonly sizes: readonly (number | null)[];
}

/** The run's lineage as the section shows it: its own fields, plus rows, the from × to matrix and the size history. */
export interface SinceModel
  extends Pick<RunLineage, 'job' | 'previousRun' | 'previousJob' | 'previousEnd' | 'ended' | 'sharedUsers' | 'keptKey' | 'drift' | 'warmStart'> {
  readonly rows: readonly SinceRow[];
  readonly matrix: TransitionMatrix;
  readonly history: readonly HistoryRun[];
  readonly series: readonly SizeSeries[];
}

/** The model, or null for a run written before keys and lineage. */
export function sinceModel(docs: RunDocuments): SinceModel | null {
  const { segments } = docs;
  const lineage = segments.lineage;
  if (!lineage) return null;
  const history = segments.history ?? [];
  const before = history.length >= 2 && lineage.previousRun !== null ? history[history.length - 2] : null;
  const sizeBefore = new Map((before?.segments ?? []).map((s) => [s.key, s.size]));
  const rows = segments.segments.map((s): SinceRow => {
    const l = s.lineage;
    return {
      id: s.id,
      key: s.key ?? MISSING,
      name: s.name,
      status: l?.status ?? 'new',
      score: l?.score ?? null,
      from: l?.from ?? [],
      previousSize: l?.inheritedKey ? (sizeBefore.get(l.inheritedKey) ?? null) : null,
      size: s.size,
      previousName: l?.previousName ?? null,
    };
  });
  return {
    job: lineage.job,
    ...(lineage.previousJob === undefined ? {} : { previousJob: lineage.previousJob }),
    previousRun: lineage.previousRun,
    previousEnd: lineage.previousEnd,
    rows,
    ended: lineage.ended,
    matrix: matrixOf(lineage.transitions, before?.segments.map((s) => s.key) ?? [], rows.map((r) => r.key)),
    sharedUsers: lineage.sharedUsers,
    keptKey: lineage.keptKey,
    history,
    series: seriesOf(history, rows),
    drift: lineage.drift.slice(0, DRIFT_SHOWN),
    warmStart: lineage.warmStart,
  };
}

const NO_EVENTS_KEY = String(NO_EVENTS_GROUP.segment);

/** Rows: previous keys in their order, then no events, then new users; columns likewise for this run. */
function matrixOf(transitions: readonly { from: string; to: string; users: number }[], fromOrder: readonly string[], toOrder: readonly string[]): TransitionMatrix {
  const order = (known: readonly string[], seen: readonly string[]) => {
    const rest = [...new Set(seen)].filter((k) => !known.includes(k) && k !== NO_EVENTS_KEY && k !== '').sort();
    return [...known.filter((k) => seen.includes(k)), ...rest, ...[NO_EVENTS_KEY, ''].filter((k) => seen.includes(k))];
  };
  const from = order(fromOrder, transitions.map((t) => t.from));
  const to = order(toOrder, transitions.map((t) => t.to));
  const counts = from.map(() => new Array<number>(to.length).fill(0));
  for (const t of transitions) counts[from.indexOf(t.from)][to.indexOf(t.to)] += t.users;
  return { from, to, counts };
}

/** Current keys first (in segment order), then keys of earlier runs that have ended, by key. */
function seriesOf(history: readonly HistoryRun[], rows: readonly SinceRow[]): SizeSeries[] {
  const names = new Map<string, string>();
  for (const run of history) for (const s of run.segments) names.set(s.key, s.name);
  const current = rows.map((r) => r.key);
  const ended = [...names.keys()].filter((k) => !current.includes(k)).sort();
  const sizeIn = (run: HistoryRun, key: string) => run.segments.find((s) => s.key === key)?.size ?? null;
  return [
    ...rows.map((r) => ({ key: r.key, name: r.name, id: r.id, sizes: history.map((run) => sizeIn(run, r.key)) })),
    ...ended.map((key) => ({ key, name: names.get(key)!, id: null, sizes: history.map((run) => sizeIn(run, key)) })),
  ];
}

/** How a row or column of the transition table is labelled. */
export function groupLabel(key: string, side: 'from' | 'to'): string {
  if (key === NO_EVENTS_KEY) return NO_EVENTS_GROUP.name;
  if (key === '') return side === 'from' ? 'not in the previous run' : 'not in this run';
  return key;
}

/** What the status says, in words. */
export function statusWords(status: LineageStatus): string {
  switch (status) {
    case 'stable':
      return 'stable';
    case 'grown':
      return 'grown';
    case 'shrunk':
      return 'shrunk';
    case 'split':
      return 'split from';
    case 'merged':
      return 'merged from';
    case 'new':
      return 'new';
    case 'dissolved':
      return 'dissolved';
    default:
      return assertNever(status);
  }
}

function assertNever(x: never): never {
  throw new Error(`unexpected status ${String(x)}`);
}

/** PSI in words (the common reading). */
export function psiReading(psi: number): string {
  return psi < 0.1 ? 'stable' : psi <= 0.25 ? 'shifted' : 'major shift';
}

/** The share of returning users who kept their key, in words. */
export function keptSentence(m: SinceModel): string {
  if (m.sharedUsers === 0) return 'The two runs share no segmented users.';
  return `${formatInt(m.keptKey)} of ${formatInt(m.sharedUsers)} users segmented in both runs (${formatPercent(m.keptKey / m.sharedUsers)}) kept their segment key.`;
}

const SPARKS = '▁▂▃▄▅▆▇█';

/** Sizes as a one-line chart of block characters (a gap where the key did not exist). */
export function sparkline(sizes: readonly (number | null)[], max: number): string {
  return sizes.map((v) => (v === null ? '·' : SPARKS[Math.min(SPARKS.length - 1, Math.floor((v / Math.max(max, 1)) * (SPARKS.length - 1) + 0.5))])).join('');
}

// ------------------------------------------------------------------------------ markdown

type Align = 'l' | 'r';
function table(headers: readonly string[], align: readonly Align[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(headers), line(align.map((a) => (a === 'r' ? '---:' : '---'))), ...rows.map(line)].join('\n');
}

/** The section in report.md ('' for a run written before lineage). */
export function sinceMarkdown(docs: RunDocuments): string {
  const m = sinceModel(docs);
  if (!m) return '';
  const out = ['## Since the previous run', ''];
  if (m.previousRun === null) {
    out.push(`Job ${md(m.job)}: no previous run to compare with (the job's first run in this folder, or \`--no-previous\`), so every segment has a new key.`, '');
    out.push(table(['#', 'Key', 'Segment'], ['r', 'l', 'l'], m.rows.map((r) => [String(r.id), code(r.key, true), md(r.name)])));
    return out.join('\n');
  }
  out.push(
    `Compared with run ${code(m.previousRun, false)} of job ${md(m.previousJob ?? m.job)}${m.previousEnd ? ` (window ending ${md(m.previousEnd)})` : ''}. ${keptSentence(m)}` +
      (m.warmStart ? ' Segments were started from the previous run\'s centres (`cluster.warm_start: previous`).' : ''),
    '',
  );
  out.push(
    table(
      ['#', 'Key', 'Segment', 'Status', 'Jaccard', 'Users before', 'Users now'],
      ['r', 'l', 'l', 'l', 'r', 'r', 'r'],
      m.rows.map((r) => [
        String(r.id),
        code(r.key, true),
        md(r.name) + (r.previousName !== null ? ` (renamed; was ${md(r.previousName)})` : ''),
        md(statusWords(r.status)) + (r.status === 'split' || r.status === 'merged' ? ` ${r.from.map((k) => code(k, true)).join(', ')}` : ''),
        r.score === null ? MISSING : formatNumber(r.score, 2),
        r.previousSize === null ? MISSING : formatInt(r.previousSize),
        formatInt(r.size),
      ]),
    ),
  );
  if (m.ended.length > 0) {
    out.push('', '**Segments that ended**', '');
    out.push(
      table(
        ['Key', 'Segment (previous run)', 'Status', 'Users before', 'Went to'],
        ['l', 'l', 'l', 'r', 'l'],
        m.ended.map((e) => [code(e.key, true), md(e.name), md(e.status), formatInt(e.size), e.into.length ? e.into.map((k) => code(k, true)).join(', ') : MISSING]),
      ),
    );
  }
  const { matrix } = m;
  out.push('', '### Transitions', '', 'Users by their segment key in the previous run (rows) and in this one (columns); transitions.csv lists every user who moved.', '');
  out.push(
    table(
      ['From \\ to', ...matrix.to.map((k) => (k === '' || k === NO_EVENTS_KEY ? md(groupLabel(k, 'to')) : code(k, true)))],
      ['l', ...matrix.to.map((): Align => 'r')],
      matrix.from.map((k, i) => [k === '' || k === NO_EVENTS_KEY ? md(groupLabel(k, 'from')) : code(k, true), ...matrix.counts[i].map((n) => (n === 0 ? '·' : formatInt(n)))]),
    ),
  );
  const max = Math.max(0, ...m.series.flatMap((s) => s.sizes.map((v) => v ?? 0)));
  out.push('', '### Size history', '', `Users per key over the job's last ${m.history.length} runs (oldest first).`, '');
  out.push(
    table(
      ['Key', 'Segment', 'Trend', ...m.history.map((h) => md(h.end.slice(0, 10)))],
      ['l', 'l', 'l', ...m.history.map((): Align => 'r')],
      m.series.map((s) => [code(s.key, true), md(s.name), sparkline(s.sizes, max), ...s.sizes.map((v) => (v === null ? MISSING : formatInt(v)))]),
    ),
  );
  out.push('', '### Feature drift', '');
  if (m.drift.length === 0) out.push('No feature distributions from the previous run to compare with.');
  else {
    out.push('Population stability index of each feature against the previous run, largest first (below 0.1 stable, above 0.25 a major shift).', '');
    out.push(table(['Feature', 'PSI', 'Reading'], ['l', 'r', 'l'], m.drift.map((d) => [md(d.label), formatNumber(d.psi, 3), psiReading(d.psi)])));
  }
  return out.join('\n');
}

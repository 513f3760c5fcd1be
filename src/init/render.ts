/**
 * Writing an init plan as a commented pipeline YAML in the style of `pipeline/default.yaml`:
 * it teaches the format, shows what was detected and says why. Pure: the same plan gives the
 * same text, byte for byte (no dates, no machine paths — paths are relative to the YAML).
 */
import path from 'node:path';
import { stringify } from 'yaml';
import type { AttributeColumn, AttributeType, ExcludedColumn } from '../stages/ingest/types.js';
import { getPreset, type PresetName } from '../stages/ingest/presets/index.js';
import type { InitPlan, PlannedEvents, PlannedTable } from './plan.js';
import type { SniffedInput } from './sniff.js';

export interface TableAttributes {
  readonly attributes: readonly AttributeColumn[];
  readonly excluded: readonly ExcludedColumn[];
}

export interface RenderOptions {
  /** Absolute folder of the YAML file: every path in it is written relative to this. */
  readonly configDir: string;
  /** Absolute folder runs should land in. */
  readonly reportsDir: string;
  /** How the user should refer to the YAML in the next commands (relative to where they are). */
  readonly configShown: string;
  /** Attributes ingest will make of the users / accounts tables (typed from the samples). */
  readonly users: TableAttributes | null;
  readonly accounts: TableAttributes | null;
}

/** Where each preset finds the user id, event, time and dedupe id, after the vendor's export docs. */
const PRESET_MAPPING: Readonly<Record<PresetName, readonly string[]>> = {
  segment: [
    'user id: userId, or anonymousId for visitors never identified; event: the track call\'s event',
    '(page and screen calls become page_viewed / screen_viewed); time: timestamp; duplicates: messageId;',
    'identify traits become user attributes and group traits account attributes.',
  ],
  amplitude: [
    'user id: user_id, or device_id when there is none; event: event_type; time: event_time;',
    'duplicates: $insert_id; user_properties (latest value per user) become user attributes.',
  ],
  mixpanel: [
    'user id: properties.distinct_id; event: event; time: properties.time (epoch seconds or',
    'milliseconds); duplicates: properties.$insert_id.',
  ],
  posthog: [
    'user id: distinct_id (person_id when present); event: event; time: timestamp; duplicates: uuid;',
    'person properties and $set in properties (latest value per user) become user attributes.',
  ],
  ga4: [
    'user id: user_id, or user_pseudo_id for visitors never identified; event: event_name;',
    'time: event_timestamp (microseconds); event_params are flattened into event properties.',
  ],
};

const VENDOR: Readonly<Record<PresetName, string>> = { segment: 'Segment', amplitude: 'Amplitude', mixpanel: 'Mixpanel', posthog: 'PostHog', ga4: 'GA4 (BigQuery)' };

/**
 * The YAML text for `plan`.
 *
 * @example
 * renderConfig(plan, { configDir: '/repo/pipeline', reportsDir: '/repo/reports', configShown: 'pipeline/orders.yaml', users: null, accounts: null });
 * // '# segmint job written by `segmint init` …\nname: orders\n…'
 */
export function renderConfig(plan: InitPlan, options: RenderOptions): string {
  const w = new Writer();
  const rel = (p: string) => relPath(options.configDir, p);
  header(w, plan, options, rel);

  w.blank();
  w.kv(0, 'name', plan.name);
  w.kv(0, 'seed', 42, 'same inputs + config + seed => byte-identical segments and rules');

  const ev = plan.events;
  if (ev?.preset) presetSection(w, ev);

  w.blank();
  w.line(0, 'inputs:');
  if (ev) eventsSection(w, ev, rel);
  else {
    w.comment(2, 'No events: an attribute-only run. Users are segmented on the columns of their table alone (attributes then carry the clustering weight; with events they only describe segments).');
  }
  if (plan.users) tableSection(w, 'users', plan.users, options.users, rel);
  if (plan.accounts) tableSection(w, 'accounts', plan.accounts, options.accounts, rel);

  if (ev) {
    windowSection(w, ev);
    featuresSection(w, ev);
  }
  clusterSection(w);
  outputSection(w, plan, rel(options.reportsDir));
  return w.text();
}

function header(w: Writer, plan: InitPlan, options: RenderOptions, rel: (p: string) => string): void {
  w.comment(0, 'segmint job written by `segmint init`, from:');
  const all = [
    ...(plan.events?.inputs.map((i) => [i, 'events'] as const) ?? []),
    ...(plan.users?.inputs.map((i) => [i, 'users'] as const) ?? []),
    ...(plan.accounts?.inputs.map((i) => [i, 'accounts'] as const) ?? []),
  ];
  for (const [input, role] of all) w.comment(0, `  ${rel(input.path)}: ${role}, ${describeInput(input)}`);
  w.comment(0, '');
  w.comment(0, 'It runs as it is. Check the config and inputs without clustering, then run it:');
  w.comment(0, `  segmint validate --config ${options.configShown}`);
  w.comment(0, `  segmint run --config ${options.configShown}`);
  w.comment(0, "Every setting is optional except an input path; what is left out takes its default (the README's config reference lists them all). Relative paths resolve against this file's folder.");
}

function describeInput(input: SniffedInput): string {
  const files = input.files.length > 1 ? `${input.files.length} files, ` : '';
  if (input.preset) return `${files}${article(VENDOR[input.preset])} export (${FORMAT_WORDS[input.format]})`;
  // Commas go without saying; anything else is worth a word.
  const d = input.csv?.delimiter;
  const dialect = d && d !== ',' ? ` delimited by ${d === '\t' ? 'tabs' : JSON.stringify(d)}` : '';
  const rows = `${input.truncated ? 'first ' : ''}${count(input.rows)} rows sniffed`;
  return `${files}${FORMAT_WORDS[input.format]}${dialect}, ${input.columns.length} columns, ${rows}`;
}

const FORMAT_WORDS: Readonly<Record<SniffedInput['format'], string>> = {
  csv: 'CSV',
  tsv: 'TSV',
  jsonl: 'JSON lines',
  json: 'JSON',
  parquet: 'Parquet',
};

function presetSection(w: Writer, ev: PlannedEvents): void {
  const preset = ev.preset!;
  const keys = ev.inputs[0].keys;
  w.blank();
  w.comment(0, `The events are ${article(VENDOR[preset])} export, recognised by their fields (${keys.slice(0, 8).join(', ')}${keys.length > 8 ? ', …' : ''}).`);
  w.comment(0, `The preset reads ${getPreset(preset).description}:`);
  w.comment(0, `  ${PRESET_MAPPING[preset].join(' ')}`);
  const v = ev.inputs.map((i) => i.vendor!);
  const total = (k: 'rows' | 'behaviour' | 'internal' | 'duplicates' | 'problems') => v.reduce((s, x) => s + x[k], 0);
  const parts = [`${count(total('behaviour'))} behaviour`, `${count(total('internal'))} vendor bookkeeping (set aside)`];
  if (total('problems') > 0) parts.push(`${count(total('problems'))} unusable (rejected)`);
  const dups = total('duplicates') > 0 ? `; ${plural(total('duplicates'), 'row repeats', 'rows repeat')} a delivery and counts once` : '';
  w.comment(0, `Read this way, the ${count(total('rows'))} rows sniffed are ${parts.join(', ')}${dups}. ${plural(v[0].users, 'user has', 'users have')} behaviour.`);
  w.line(0, 'source:');
  w.kv(2, 'preset', preset, 'none = plain columns (user_id, event, timestamp, …)');
}

function eventsSection(w: Writer, ev: PlannedEvents, rel: (p: string) => string): void {
  w.line(2, 'events:');
  w.comment(4, 'A file, a folder, a glob, or a list of them. CSV/TSV, JSON lines, Parquet; .gz is fine.');
  pathEntry(w, 4, ev.inputs, rel);
  if (ev.preset) {
    w.comment(4, 'The preset maps every column itself: there are none to name here.');
    return;
  }
  const c = ev.columns!;
  const p = ev.inputs[0].events!;
  const col = (name: string) => ev.inputs[0].columns.find((x) => x.name === name);
  w.comment(4, 'Which column holds what, found by its name (`auto` looks for the same common names: user_id/userId/distinct_id/customer_id…, event/event_type/event_name…, timestamp/time/…).');
  w.line(4, 'columns:');
  const rows = ev.inputs.reduce((s, i) => s + i.rows, 0);
  const sampled = ev.inputs.some((i) => i.truncated) ? 'first ' : '';
  const auto = 'the inputs name it differently: found per file';
  w.kv(6, 'user_id', c.userId ?? 'auto', c.userId ? `${count(col(c.userId)?.distinct ?? 0)} distinct ids in the ${sampled}${count(rows)} rows sniffed` : auto);
  if (ev.eventName === null) {
    w.kv(6, 'event', c.event ?? 'auto', c.event ? `${count(col(c.event)?.distinct ?? 0)} event types` : auto);
  }
  const span = ev.span ? `, ${ev.span.first.slice(0, 10)} .. ${ev.span.last.slice(0, 10)}` : '';
  w.kv(6, 'timestamp', c.timestamp ?? 'auto', c.timestamp ? `${TS_WORDS[p.format]}${span}` : auto);
  if (c.eventId) w.kv(6, 'event_id', c.eventId, 'a repeated id is one event delivered twice: counted once');
  else w.comment(6, 'event_id: none found, so no row is treated as a repeat delivery');

  if (ev.eventName !== null) {
    const why = ev.orderColumns.length > 0
      ? `the file has order columns (${ev.orderColumns.join(', ')}), so every row is one \`${ev.eventName}\``
      : `every row is one \`${ev.eventName}\` (named after the file)`;
    w.comment(4, `No column names the event: ${why}.`);
    w.kv(4, 'event_name', ev.eventName);
  }
  if (ev.negativeCase) {
    const n = ev.negativeCase;
    w.comment(4, `${count(n.rows)} sampled rows have a negative ${n.column}: they undo a purchase (cancellations, returns), so they count as their own event type. The first matching case wins.`);
    w.line(4, 'event_cases:');
    w.line(6, `- ${flow({ column: n.column, negative: true, event: n.event })}`);
  }
  if (ev.unused.length > 0) {
    w.comment(4, `Not used: ${ev.unused.join(', ')}. Other columns of a plain events file only enter through features.values and event_cases.`);
  }
}

const TS_WORDS: Readonly<Record<NonNullable<SniffedInput['events']>['format'], string>> = {
  iso: 'ISO 8601 text',
  timestamp: 'typed timestamps',
  epoch_s: 'epoch seconds',
  epoch_ms: 'epoch milliseconds',
  epoch_us: 'epoch microseconds',
};

function tableSection(w: Writer, role: 'users' | 'accounts', t: PlannedTable, attrs: TableAttributes | null, rel: (p: string) => string): void {
  const key = t.inputs[0].columns.find((c) => c.name === t.key);
  w.comment(2, role === 'users'
    ? 'One row per user, joined to the events on the user id. Attributes describe segments and appear in rules.'
    : 'One row per account, joined to users through a column both tables have.');
  w.line(2, `${role}:`);
  pathEntry(w, 4, t.inputs, rel);
  w.kv(4, 'key', t.key, `${count(key?.distinct ?? 0)} distinct in ${count(t.rows)} rows${key && key.distinct < key.present ? ' (repeats keep their first row)' : ''}`);
  if (role === 'users' && t.accountKey) w.kv(4, 'account_key', t.accountKey, 'joins users to accounts');
  if (attrs) {
    const shown = attrs.attributes.map((a) => `${a.column} (${TYPE_WORDS[a.type]})`);
    w.comment(4, `Attributes, typed from the values: ${shown.length > 0 ? shown.join(', ') : 'none'}.`);
    const reasons = [...new Set(attrs.excluded.map((e) => e.reason))];
    for (const reason of reasons) {
      w.comment(4, `Left out (${reason}): ${attrs.excluded.filter((e) => e.reason === reason).map((e) => e.column).join(', ')}.`);
    }
  }
  w.kv(4, 'exclude', [], 'more columns never to use as attributes, e.g. [notes]');
}

const TYPE_WORDS: Readonly<Record<AttributeType, string>> = { DOUBLE: 'number', BOOLEAN: 'yes/no', DATE: 'date: age in days', VARCHAR: 'category' };

function windowSection(w: Writer, ev: PlannedEvents): void {
  w.blank();
  w.comment(0, 'The analysis window: the last `days` days ending at `end` (auto = the latest event).');
  w.line(0, 'window:');
  if (ev.span && ev.span.days > 90) {
    w.comment(2, `The events span ${ev.span.first.slice(0, 10)} .. ${ev.span.last.slice(0, 10)} (${Math.ceil(ev.span.days)} days): the window covers all of them. Shorten it to segment on recent behaviour only.`);
  } else if (ev.span) {
    const days = ev.span.days < 1 ? 'less than a day' : plural(Math.ceil(ev.span.days), 'day', 'days');
    w.comment(2, `The events span ${days}: the default 90-day window covers them.`);
  }
  w.kv(2, 'days', ev.windowDays);
  w.kv(2, 'end', 'auto', 'or a date such as 2024-06-30');
}

function featuresSection(w: Writer, ev: PlannedEvents): void {
  w.blank();
  w.line(0, 'features:');
  w.kv(2, 'session_gap_minutes', 30, 'a gap longer than this starts a new session');
  w.kv(2, 'top_events', 40, 'event types with their own count/share features; the rest are "other"');
  w.kv(2, 'trend_days', 30, 'trend compares the last 30 days with the days before');
  if (ev.preset) {
    const internal = getPreset(ev.preset).internalEvents;
    const list = internal.length > 0 ? ` (${internal.slice(0, 5).join(', ')}${internal.length > 5 ? ', …' : ''})` : '';
    w.comment(2, `Vendor bookkeeping events${list} and identify/group calls are set aside and counted in the report; true counts the bookkeeping events as behaviour.`);
    w.kv(2, 'include_internal_events', false);
  }
  if (ev.values.length > 0) {
    const v = ev.values[0];
    w.comment(2, `Monetary value per user (the M of RFM): ${v.columns.join(' × ')} per event, summed and averaged over each user's events in the window.`);
    w.line(2, 'values:');
    for (const value of ev.values) w.line(4, `- ${flow({ name: value.name, columns: [...value.columns], aggregates: [...value.aggregates] })}`);
  }
}

function clusterSection(w: Writer): void {
  w.blank();
  w.comment(0, 'transform, reduce, profile and rules keep their defaults; pipeline/default.yaml shows them all.');
  w.line(0, 'cluster:');
  w.kv(2, 'k', 'auto', 'or a fixed number of segments (CLI: --k N)');
  w.kv(2, 'k_range', [2, 10], 'candidates for automatic k (CLI: --k-range 2..10)');
}

function outputSection(w: Writer, plan: InitPlan, reportsDir: string): void {
  w.blank();
  w.line(0, 'output:');
  w.kv(2, 'dir', reportsDir, 'each run lands in its own folder here');
  if (plan.maxRejectRate === null) {
    w.kv(2, 'max_reject_rate', 0.01, 'fail the run when more than 1% of input rows are rejected');
    return;
  }
  for (const r of plan.rejects) {
    if (r.rejected === 0) continue;
    w.comment(2, `${count(r.rejected)} of ${count(r.rows)} ${r.role} rows sniffed (${pct(r.rejected / r.rows)}) have ${r.reasons.join(' or ')}.`);
  }
  w.comment(2, `Ingest rejects such rows, counts them and lists each in rejects.csv. The default limit of 1% would fail every run, so it is raised to ${pct(plan.maxRejectRate, 0)}, a little above what was measured.`);
  w.kv(2, 'max_reject_rate', plan.maxRejectRate);
}

function pathEntry(w: Writer, indent: number, inputs: readonly SniffedInput[], rel: (p: string) => string): void {
  if (inputs.length === 1) w.kv(indent, 'path', rel(inputs[0].path));
  else {
    w.line(indent, 'path:');
    for (const i of inputs) w.line(indent + 2, `- ${scalar(rel(i.path))}`);
  }
}

/** `p` relative to `dir`, with forward slashes, so the config works from any checkout. */
export function relPath(dir: string, p: string): string {
  const r = path.relative(dir, p) || '.';
  return r.split(path.sep).join('/');
}

function scalar(v: unknown): string {
  return stringify(v, { lineWidth: 0 }).trim();
}

function flow(v: unknown): string {
  return stringify(v, { collectionStyle: 'flow', lineWidth: 0 }).trim();
}

function article(word: string): string {
  return `${/^[AEIOU]/i.test(word) ? 'an' : 'a'} ${word}`;
}

/** `1 user has`, `5 users have`. */
function plural(n: number, one: string, many: string): string {
  return `${count(n)} ${n === 1 ? one : many}`;
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}

function pct(share: number, digits = 1): string {
  return `${(100 * share).toFixed(digits)}%`;
}

/** Comments wrap at this width, as in default.yaml. */
const WIDTH = 100;

/** Lines of YAML with comments aligned the way default.yaml aligns them. */
class Writer {
  private readonly lines: string[] = [];

  line(indent: number, text: string, comment?: string): void {
    const body = ' '.repeat(indent) + text;
    this.lines.push(comment ? `${body.padEnd(29)} # ${comment}` : body);
  }

  kv(indent: number, key: string, value: unknown, comment?: string): void {
    const v = Array.isArray(value) ? flow(value) : scalar(value);
    this.line(indent, `${key}: ${v}`, comment);
  }

  /** A comment, wrapped at word boundaries so no line passes WIDTH characters. */
  comment(indent: number, text: string): void {
    const lead = `${' '.repeat(indent)}#`;
    if (!text) {
      this.lines.push(lead);
      return;
    }
    // Keep the text's own leading spaces (indented sub-lists) on the first line and the wrapped ones.
    const pad = /^ */.exec(text)![0];
    let line = `${lead} ${pad}`;
    const start = line.length;
    for (const word of text.slice(pad.length).split(' ')) {
      if (line.length > start && line.length + 1 + word.length > WIDTH) {
        this.lines.push(line);
        line = `${lead} ${pad}`;
      }
      line += (line.length > start ? ' ' : '') + word;
    }
    this.lines.push(line);
  }

  blank(): void {
    this.lines.push('');
  }

  text(): string {
    return this.lines.join('\n') + '\n';
  }
}

/**
 * Writing an init plan as a commented pipeline YAML in the style of `pipeline/default.yaml`:
 * it teaches the format, shows what was detected and says why. Pure: the same plan gives the
 * same text, byte for byte (no dates, no machine paths — paths are relative to the YAML).
 */
import path from 'node:path';
import { Document, Pair, Scalar, visit, YAMLMap, YAMLSeq, type DocumentOptions, type ScalarTag, type SchemaOptions, type ToStringOptions } from 'yaml';
import { stringTag } from 'yaml/util';
import type { AttributeColumn, AttributeType, ExcludedColumn } from '../stages/ingest/types.js';
import { getPreset, type PresetName } from '../stages/ingest/presets/index.js';
import type { InitPlan, PlannedEvents, PlannedTable } from './plan.js';
import { SAMPLE_FILES, type SniffedInput } from './sniff.js';

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
 * The YAML text for `plan`. The document is built as YAML nodes and written by the `yaml`
 * library: every value from the data (column names, paths, event names) is a scalar the library
 * quotes as it needs, and data shown in comments has its line breaks and other control or bidi
 * characters spelled as escapes, so nothing read from an input can add or change a setting.
 *
 * @example
 * renderConfig(plan, { configDir: '/repo/pipeline', reportsDir: '/repo/reports', configShown: 'pipeline/orders.yaml', users: null, accounts: null });
 * // '# segmint job written by `segmint init` …\nname: orders\n…'
 */
export function renderConfig(plan: InitPlan, options: RenderOptions): string {
  const doc = new Document(null, DOC_OPTIONS);
  const root = new Block(doc, 0);
  const rel = (p: string) => relPath(options.configDir, p);
  doc.commentBefore = header(plan, options, rel);

  root.kv('name', plan.name);
  root.kv('seed', 42, 'same inputs + config + seed => byte-identical segments and rules');

  const ev = plan.events;
  if (ev?.preset) presetSection(root, ev);

  root.blank();
  const inputs = root.map('inputs');
  if (ev) eventsSection(inputs, ev, rel);
  else {
    inputs.comment('No events: an attribute-only run. Users are segmented on the columns of their table alone (attributes then carry the clustering weight; with events they only describe segments).');
  }
  if (plan.users) tableSection(inputs, 'users', plan.users, options.users, rel);
  if (plan.accounts) tableSection(inputs, 'accounts', plan.accounts, options.accounts, rel);

  if (ev) {
    windowSection(root, ev);
    featuresSection(root, ev);
  }
  clusterSection(root);
  outputSection(root, plan, rel(options.reportsDir));
  doc.contents = root.done();
  return doc.toString(TO_STRING);
}

function header(plan: InitPlan, options: RenderOptions, rel: (p: string) => string): string {
  const lines: string[] = [];
  const comment = (text: string) => lines.push(...wrapComment(text, 0));
  comment('segmint job written by `segmint init`, from:');
  const all = [
    ...(plan.events?.inputs.map((i) => [i, 'events'] as const) ?? []),
    ...(plan.users?.inputs.map((i) => [i, 'users'] as const) ?? []),
    ...(plan.accounts?.inputs.map((i) => [i, 'accounts'] as const) ?? []),
  ];
  for (const [input, role] of all) comment(`  ${rel(input.path)}: ${role}, ${describeInput(input)}`);
  comment('');
  comment('It runs as it is. Check the config and inputs without clustering, then run it:');
  comment(`  npx segmint validate --config ${options.configShown}`);
  comment(`  npx segmint run --config ${options.configShown}`);
  comment("Every setting is optional except an input path; what is left out takes its default (the README's config reference lists them all). Relative paths resolve against this file's folder.");
  return lines.join('\n');
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

function presetSection(root: Block, ev: PlannedEvents): void {
  const preset = ev.preset!;
  const keys = ev.inputs[0].keys;
  root.blank();
  root.comment(`The events are ${article(VENDOR[preset])} export, recognised by their fields (${keys.slice(0, 8).join(', ')}${keys.length > 8 ? ', …' : ''}).`);
  root.comment(`The preset reads ${getPreset(preset).description}:`);
  root.comment(`  ${PRESET_MAPPING[preset].join(' ')}`);
  const v = ev.inputs.map((i) => i.vendor!);
  const total = (k: 'rows' | 'behaviour' | 'internal' | 'duplicates' | 'problems') => v.reduce((s, x) => s + x[k], 0);
  const parts = [`${count(total('behaviour'))} behaviour`, `${count(total('internal'))} vendor bookkeeping (set aside)`];
  if (total('problems') > 0) parts.push(`${count(total('problems'))} unusable (rejected)`);
  const dups = total('duplicates') > 0 ? `; ${plural(total('duplicates'), 'row repeats', 'rows repeat')} a delivery and counts once` : '';
  // Counts are of the rows sniffed: a folder's first files only, and users per input (two inputs may share them).
  const truncated = ev.inputs.filter((i) => i.truncated);
  const sniffed =
    truncated.length === 0
      ? 'rows sniffed'
      : `rows sniffed from the first ${SAMPLE_FILES} ${ev.inputs.length === 1 ? `of ${ev.inputs[0].files.length} files` : 'files of each folder'}`;
  const users = v.length === 1 ? ` ${plural(v[0].users, 'user has', 'users have')} behaviour in them.` : '';
  root.comment(`Read this way, the ${count(total('rows'))} ${sniffed} are ${parts.join(', ')}${dups}.${users}`);
  const source = root.map('source');
  source.kv('preset', preset, 'none = plain columns (user_id, event, timestamp, …)');
  source.done();
}

function eventsSection(inputs: Block, ev: PlannedEvents, rel: (p: string) => string): void {
  const events = inputs.map('events');
  events.comment('A file, a folder, a glob, or a list of them. CSV/TSV, JSON lines, Parquet; .gz is fine.');
  pathEntry(events, ev.inputs, rel);
  if (ev.preset) {
    events.comment('The preset maps every column itself: there are none to name here.');
    events.done();
    return;
  }
  const c = ev.columns!;
  const p = ev.inputs[0].events!;
  const col = (name: string) => ev.inputs[0].columns.find((x) => x.name === name);
  events.comment('Which column holds what, found by its name (`auto` looks for the same common names: user_id/userId/distinct_id/customer_id…, event/event_type/event_name…, timestamp/time/…).');
  const columns = events.map('columns');
  const rows = ev.inputs.reduce((s, i) => s + i.rows, 0);
  const sampled = ev.inputs.some((i) => i.truncated) ? 'first ' : '';
  const auto = 'the inputs name it differently: found per file';
  columns.kv('user_id', c.userId ?? 'auto', c.userId ? `${count(col(c.userId)?.distinct ?? 0)} distinct ids in the ${sampled}${count(rows)} rows sniffed` : auto);
  if (ev.eventName === null) {
    columns.kv('event', c.event ?? 'auto', c.event ? `${count(col(c.event)?.distinct ?? 0)} event types` : auto);
  }
  const span = ev.span ? `, ${ev.span.first.slice(0, 10)} .. ${ev.span.last.slice(0, 10)}` : '';
  columns.kv('timestamp', c.timestamp ?? 'auto', c.timestamp ? `${TS_WORDS[p.format]}${span}` : auto);
  if (c.eventId) columns.kv('event_id', c.eventId, 'a row repeating an earlier row\'s id, user, event and time is one event delivered twice: counted once');
  else columns.comment('event_id: none found, so no row is treated as a repeat delivery');
  columns.done();

  if (ev.eventName !== null) {
    const why = ev.orderColumns.length > 0
      ? `the file has order columns (${ev.orderColumns.join(', ')}), so every row is one \`${ev.eventName}\``
      : `every row is one \`${ev.eventName}\` (named after the file)`;
    events.comment(`No column names the event: ${why}.`);
    events.kv('event_name', ev.eventName);
  }
  if (ev.negativeCase) {
    const n = ev.negativeCase;
    events.comment(`${count(n.rows)} sampled rows have a negative ${n.column}: they undo a purchase (cancellations, returns), so they count as their own event type. The first matching case wins.`);
    events.list('event_cases', [{ column: n.column, negative: true, event: n.event }]);
  }
  if (ev.unused.length > 0) {
    events.comment(`Not used: ${ev.unused.join(', ')}. Other columns of a plain events file only enter through features.values and event_cases.`);
  }
  events.done();
}

const TS_WORDS: Readonly<Record<NonNullable<SniffedInput['events']>['format'], string>> = {
  iso: 'ISO 8601 text',
  timestamp: 'typed timestamps',
  epoch_s: 'epoch seconds',
  epoch_ms: 'epoch milliseconds',
  epoch_us: 'epoch microseconds',
  yyyymmdd: 'compact dates (YYYYMMDD)',
};

function tableSection(inputs: Block, role: 'users' | 'accounts', t: PlannedTable, attrs: TableAttributes | null, rel: (p: string) => string): void {
  const key = t.inputs[0].columns.find((c) => c.name === t.key);
  inputs.comment(role === 'users'
    ? 'One row per user, joined to the events on the user id. Attributes describe segments and appear in rules.'
    : 'One row per account, joined to users through a column both tables have.');
  const table = inputs.map(role);
  pathEntry(table, t.inputs, rel);
  table.kv('key', t.key, `${count(key?.distinct ?? 0)} distinct in ${count(t.rows)} rows${key && key.distinct < key.present ? ' (repeats keep their first row)' : ''}`);
  if (role === 'users' && t.accountKey) table.kv('account_key', t.accountKey, 'joins users to accounts');
  if (attrs) {
    const shown = attrs.attributes.map((a) => `${a.column} (${TYPE_WORDS[a.type]})`);
    table.comment(`Attributes, typed from the values: ${shown.length > 0 ? shown.join(', ') : 'none'}.`);
    const reasons = [...new Set(attrs.excluded.map((e) => e.reason))];
    for (const reason of reasons) {
      table.comment(`Left out (${reason}): ${attrs.excluded.filter((e) => e.reason === reason).map((e) => e.column).join(', ')}.`);
    }
  }
  table.kv('exclude', [], 'more columns never to use as attributes, e.g. [notes]');
  table.done();
}

const TYPE_WORDS: Readonly<Record<AttributeType, string>> = { DOUBLE: 'number', BOOLEAN: 'yes/no', DATE: 'date: age in days', VARCHAR: 'category' };

function windowSection(root: Block, ev: PlannedEvents): void {
  root.blank();
  root.comment('The analysis window: the last `days` days ending at `end` (auto = the latest event).');
  const window = root.map('window');
  if (ev.span && ev.span.days > 90) {
    window.comment(`The events span ${ev.span.first.slice(0, 10)} .. ${ev.span.last.slice(0, 10)} (${Math.ceil(ev.span.days)} days): the window covers all of them. Shorten it to segment on recent behaviour only.`);
  } else if (ev.span) {
    const days = ev.span.days < 1 ? 'less than a day' : plural(Math.ceil(ev.span.days), 'day', 'days');
    window.comment(`The events span ${days}: the default 90-day window covers them.`);
  }
  window.kv('days', ev.windowDays);
  window.kv('end', 'auto', 'or a date such as 2024-06-30');
  window.done();
}

function featuresSection(root: Block, ev: PlannedEvents): void {
  root.blank();
  const features = root.map('features');
  features.kv('session_gap_minutes', 30, 'a gap longer than this starts a new session');
  features.kv('top_events', 40, 'event types with their own count/share features; the rest are "other"');
  features.kv('trend_days', 30, 'trend compares the last 30 days with the days before');
  if (ev.preset) {
    const internal = getPreset(ev.preset).internalEvents;
    const list = internal.length > 0 ? ` (${internal.slice(0, 5).join(', ')}${internal.length > 5 ? ', …' : ''})` : '';
    features.comment(`Vendor bookkeeping events${list} and identify/group calls are set aside and counted in the report; true counts the bookkeeping events as behaviour.`);
    features.kv('include_internal_events', false);
  }
  if (ev.values.length > 0) {
    const v = ev.values[0];
    features.comment(`Monetary value per user (the M of RFM): ${v.columns.join(' × ')} per event, summed and averaged over each user's events in the window.`);
    features.list('values', ev.values.map((value) => ({ name: value.name, columns: [...value.columns], aggregates: [...value.aggregates] })));
  }
  features.done();
}

function clusterSection(root: Block): void {
  root.blank();
  root.comment('transform, reduce, profile and rules keep their defaults; pipeline/default.yaml shows them all.');
  const cluster = root.map('cluster');
  cluster.kv('k', 'auto', 'or a fixed number of segments (CLI: --k N)');
  cluster.kv('k_range', [2, 10], 'candidates for automatic k (CLI: --k-range 2..10)');
  cluster.done();
}

function outputSection(root: Block, plan: InitPlan, reportsDir: string): void {
  root.blank();
  const output = root.map('output');
  output.kv('dir', reportsDir, 'each run lands in its own folder here');
  if (plan.maxRejectRate === null) {
    output.kv('max_reject_rate', 0.01, 'fail the run when more than 1% of input rows are rejected');
  } else {
    for (const r of plan.rejects) {
      if (r.rejected === 0) continue;
      output.comment(`${count(r.rejected)} of ${count(r.rows)} ${r.role} rows sniffed (${pct(r.rejected / r.rows)}) have ${r.reasons.join(' or ')}.`);
    }
    output.comment(`Ingest rejects such rows, counts them and lists each in rejects.csv. The default limit of 1% would fail every run, so it is raised to ${pct(plan.maxRejectRate, 0)}, a little above what was measured.`);
    output.kv('max_reject_rate', plan.maxRejectRate);
  }
  output.done();
}

/** One input as `path: x`; several as a block list. */
function pathEntry(block: Block, inputs: readonly SniffedInput[], rel: (p: string) => string): void {
  if (inputs.length === 1) block.kv('path', rel(inputs[0].path));
  else block.list('path', inputs.map((i) => rel(i.path)));
}

/** `p` relative to `dir`, with forward slashes, so the config works from any checkout. */
export function relPath(dir: string, p: string): string {
  const r = path.relative(dir, p) || '.';
  return r.split(path.sep).join('/');
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
/** Trailing comments start after this column, as in default.yaml. */
const COMMENT_COLUMN = 29;

/**
 * Marks a trailing comment whose padding `commentString` should put before the `#`. Comment
 * text never holds a control character (`commentSafe`), so the marker cannot come from data.
 */
const TRAILING = '\u0001';

/**
 * How the library writes the document: no folding, no block scalars, double-quoted strings kept
 * on one line (a line break is written `\n`), and comments as default.yaml writes them.
 */
const TO_STRING = {
  lineWidth: 0,
  blockQuote: false,
  doubleQuotedMinMultiLineLength: Number.MAX_SAFE_INTEGER,
  commentString: (comment: string): string => {
    if (comment.startsWith(TRAILING)) {
      const text = comment.slice(TRAILING.length);
      const pad = /^ */.exec(text)![0];
      return `${pad}# ${text.slice(pad.length)}`;
    }
    return comment.split(/\r\n|\r|\n/).map((line) => (line ? `# ${line}` : '#')).join('\n');
  },
} as const satisfies ToStringOptions;

/**
 * Line breaks and other control characters, and invisible or bidi characters: never raw in a
 * comment, and only double-quoted, with escapes, in a value. Left to itself the library may write
 * a string with a line break as a multi-line plain scalar, and one starting with `:` inside a
 * flow mapping then does not read back; quoted, the value shows where it starts and ends.
 */
const CONTROL_OR_BIDI = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/u;

/** Characters JSON (and so the library's double quotes) leave raw although they do not show. */
const INVISIBLE = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/gu;

/** The library's string tag, writing those characters as `\uXXXX` inside double quotes. */
const STRING_TAG: ScalarTag = {
  ...stringTag,
  stringify(item, ctx, onComment, onChompKeep) {
    const text = stringTag.stringify!(item, ctx, onComment, onChompKeep);
    return text.startsWith('"') ? text.replace(INVISIBLE, (ch) => `\\u${ch.codePointAt(0)!.toString(16).padStart(4, '0')}`) : text;
  },
};

const DOC_OPTIONS: DocumentOptions & SchemaOptions = {
  customTags: (tags) => tags.map((t) => (t === stringTag ? STRING_TAG : t)),
};

function quoteWhereNeeded<T extends Scalar | YAMLSeq | YAMLMap>(node: T): T {
  const quote = (s: Scalar) => {
    if (typeof s.value === 'string' && CONTROL_OR_BIDI.test(s.value)) s.type = Scalar.QUOTE_DOUBLE;
  };
  if (node instanceof Scalar) quote(node);
  else visit(node, { Scalar: (_, s) => quote(s) });
  return node;
}

/**
 * Text for a comment with control and bidi characters spelled as escapes: a line break from the
 * data must not end the comment, and a bidi control must not make the file read differently
 * from what it says.
 */
function commentSafe(text: string): string {
  return text.replace(new RegExp(CONTROL_OR_BIDI.source, 'gu'), (ch) => {
    const short: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
    return short[ch] ?? `\\u${ch.codePointAt(0)!.toString(16).padStart(4, '0')}`;
  });
}

/**
 * The lines of a comment at `indent`, wrapped at word boundaries so no line passes WIDTH
 * characters with its `# `. The text's own leading spaces (indented sub-lists) are kept on the
 * first line and the wrapped ones.
 */
function wrapComment(text: string, indent: number): string[] {
  const safe = commentSafe(text);
  if (!safe) return [''];
  const pad = /^ */.exec(safe)![0];
  const room = WIDTH - indent - 2;
  const lines: string[] = [];
  let line = pad;
  for (const word of safe.slice(pad.length).split(' ')) {
    if (line.length > pad.length && line.length + 1 + word.length > room) {
      lines.push(line);
      line = pad;
    }
    line += (line.length > pad.length ? ' ' : '') + word;
  }
  lines.push(line);
  return lines;
}

/**
 * A YAML mapping being built at a known indent, in the order default.yaml reads: comments and
 * blank lines collect until the next key and are attached to it (or to the end of the mapping).
 * Values become library nodes; arrays of scalars are written in flow style (`[ 2, 10 ]`).
 */
class Block {
  private readonly node = new YAMLMap();
  private pending: string[] = [];
  private space = false;

  constructor(private readonly doc: Document, private readonly indent: number) {}

  comment(text: string): void {
    this.pending.push(...wrapComment(text, this.indent));
  }

  blank(): void {
    this.space = true;
  }

  /** `key: value`, with a trailing comment aligned at COMMENT_COLUMN. */
  kv(key: string, value: string | number | boolean | readonly (string | number)[], comment?: string): void {
    const node = quoteWhereNeeded(this.doc.createNode(value) as Scalar | YAMLSeq);
    if (node instanceof YAMLSeq) node.flow = true;
    if (comment) {
      // The line as the library writes it, to pad the comment to its column.
      const shown = new Document(node, DOC_OPTIONS).toString({ ...TO_STRING, collectionStyle: 'flow' }).trimEnd();
      const body = `${' '.repeat(this.indent)}${key}: ${shown}`;
      node.comment = `${TRAILING}${' '.repeat(Math.max(0, COMMENT_COLUMN - body.length))}${commentSafe(comment)}`;
    }
    this.add(key, node);
  }

  /** `key:` and a block list of `items`; mappings among them are written in flow style. */
  list(key: string, items: readonly unknown[]): void {
    const seq = new YAMLSeq();
    for (const item of items) {
      const node = quoteWhereNeeded(this.doc.createNode(item) as Scalar | YAMLMap);
      if (node instanceof YAMLMap) node.flow = true;
      seq.items.push(node);
    }
    this.add(key, seq);
  }

  /** `key:` and a nested mapping, built on the returned Block (call its `done`). */
  map(key: string): Block {
    const child = new Block(this.doc, this.indent + 2);
    this.add(key, child.node);
    return child;
  }

  /** The mapping, with comments left over written after its last entry. */
  done(): YAMLMap {
    if (this.pending.length > 0) this.node.comment = this.pending.join('\n');
    this.pending = [];
    return this.node;
  }

  private add(key: string, value: Scalar | YAMLSeq | YAMLMap): void {
    const k = this.doc.createNode(key) as Scalar;
    if (this.pending.length > 0) k.commentBefore = this.pending.join('\n');
    if (this.space) k.spaceBefore = true;
    this.pending = [];
    this.space = false;
    this.node.items.push(new Pair(k, value));
  }
}

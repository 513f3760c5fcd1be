/**
 * User config (YAML, snake_case, mostly optional) → ResolvedConfig (every setting present).
 * This is the only place defaults live. Paths resolve against the config file's folder, or the
 * current directory for configs built from CLI flags.
 */
import { PRESET_NAMES, type PresetName } from '../core/presets.js';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { errors, warehouseErrors } from '../core/messages.js';
import { isSegmintError } from '../core/errors.js';
import { normalizeAsOf } from '../ruleset/time.js';
import type { FeatureFamily } from '../stages/features/types.js';
import { COLUMN_TYPE_NAMES, type ColumnTypeName, type EventCase, type EventsInput, type ResolvedConfig, type TableInput, type UsersInput, type ValueFeature } from './types.js';
import { Reader, join } from './validate.js';
import { readWarehouse, type WarehouseOverrides } from '../warehouse/config.js';

export const FAMILIES: readonly FeatureFamily[] = [
  'volume',
  'sessions',
  'recency',
  'frequency',
  'event_mix',
  'breadth',
  'time',
  'trend',
  'value',
  'attribute',
];

/**
 * Default family weights, per standardised column (see transform/fit.ts). Tuned on seeds 1–5 of
 * the generated families in bench/quality and reported on held-out seeds (README):
 * - event mix and time of day at 1: what users do and when is what tells personas apart;
 * - volume, sessions and frequency at 0.6: their seven columns are largely one "how active"
 *   dimension counted several times, which at weight 1 split personas into heavy and light;
 * - breadth and trend at 0.5: derived, noisy for sparse users;
 * - attributes `auto`: behaviour first; when behaviour alone shows no strong structure and
 *   there are user or account attributes, segments are sought with attributes added at
 *   {@link AUTO_ATTRIBUTE_WEIGHT} (src/segment.ts). Firmographic segments are then found
 *   (crm-firmographic: ARI 0.01 on behaviour, 0.94 with attributes), while a users table of
 *   loosely related descriptors cannot reshape behavioural segments (the bundled sample's
 *   thirteen attributes at weight 1 turned ARI 0.98 into 0.75). A number fixes the weight.
 */
const DEFAULT_WEIGHTS: Readonly<Record<FeatureFamily, number>> = {
  volume: 0.6,
  sessions: 0.6,
  recency: 1,
  frequency: 0.6,
  event_mix: 1,
  breadth: 0.5,
  time: 1,
  trend: 0.5,
  value: 1,
  // `auto`, resolved below: 0 in the first, behavioural space.
  attribute: 0,
};

/**
 * `window.days: all` (`--window-days all`): the whole log. Ingest rejects events before 1990 and
 * in the future, so a window this long (137 years) holds every event it keeps, from any window
 * end before 2126; reports say "the whole log" for it. Also the largest number of days allowed.
 */
export const WHOLE_LOG_DAYS = 50_000;

/** `--window-days` as typed: a whole number of days >= 1, or `all`. */
export function windowDaysFlag(raw: unknown): number | 'all' | undefined {
  if (raw === undefined) return undefined;
  const text = typeof raw === 'string' || typeof raw === 'number' ? String(raw).trim().toLowerCase() : null;
  if (text === 'all') return 'all';
  const n = text !== null && /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(n >= 1 && n <= WHOLE_LOG_DAYS)) throw errors.badFlagValue('window-days', raw, `a whole number of days from 1 to ${WHOLE_LOG_DAYS}, or all`);
  return n;
}

/** Per-column weight of attributes when behaviour alone shows no strong structure. */
export const AUTO_ATTRIBUTE_WEIGHT = 1;

/** Read and resolve a YAML config file. */
export function loadConfigFile(file: string, overrides: ConfigOverrides = {}): ResolvedConfig {
  const absolute = resolve(file);
  if (!existsSync(absolute)) throw errors.configNotFound(file);
  if (statSync(absolute).isDirectory()) throw errors.configIsFolder(file);
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(absolute, 'utf8'));
  } catch (e) {
    const reason = e instanceof YAMLParseError ? e.message.split('\n')[0] : String(e);
    throw errors.configYaml(file, reason);
  }
  return resolveConfig(raw, { file, baseDir: dirname(absolute), source: absolute }, overrides);
}

/** Settings given on the command line; they win over the file. */
export interface ConfigOverrides {
  events?: readonly string[];
  users?: string;
  accounts?: string;
  out?: string;
  k?: number;
  kRange?: readonly [number, number];
  seed?: number;
  preset?: PresetName;
  /** `--warehouse URL`, `--events-table T`, … (a warehouse run: src/warehouse). */
  warehouse?: WarehouseOverrides;
  /** `--window-days`: wins over window.days. */
  windowDays?: number | 'all';
  /** `--outcome NAME` (repeatable): outcome columns of the users table, added to inputs.users.outcomes. */
  outcomes?: readonly string[];
}

export interface ConfigOrigin {
  /** Name used in messages. */
  file: string;
  /** Folder relative paths resolve against. */
  baseDir: string;
  source: string | null;
}

/**
 * Validate and default a parsed config object.
 * @example resolveConfig({ inputs: { events: { path: 'events.csv' } } }, { file: 'cli', baseDir: process.cwd(), source: null })
 */
export function resolveConfig(raw: unknown, origin: ConfigOrigin, overrides: ConfigOverrides = {}): ResolvedConfig {
  const r = new Reader(origin.file);
  const top = r.object(raw, '', ['name', 'seed', 'source', 'inputs', 'window', 'features', 'transform', 'reduce', 'cluster', 'profile', 'rules', 'output']);
  const abs = (p: string) => resolve(origin.baseDir, p);

  const inputs = r.object(top.inputs, 'inputs', ['events', 'users', 'accounts', 'warehouse']);
  const source = r.object(top.source, 'source', ['preset']);
  const usersPath = overrides.users ? [resolve(overrides.users)] : null;
  const accountsPath = overrides.accounts ? [resolve(overrides.accounts)] : null;
  const users = withOutcomes(r, readUsers(r, inputs.users, abs, usersPath), overrides.outcomes ?? []);
  const accounts = readTable(r, inputs.accounts, 'inputs.accounts', abs, accountsPath, ['path', 'key', 'exclude', 'outcomes', 'types']);
  // A flag wins over the file, but the file's own value is still checked, here and below: a wrong
  // setting must not pass validate only because today's command line happens to override it.
  const preset = flagOrFile(overrides.preset, r.oneOf(source, 'source', 'preset', PRESET_NAMES, 'none') as PresetName | 'none');
  if (preset !== 'none' && !PRESET_NAMES.includes(preset)) r.fail('source.preset', `one of ${PRESET_NAMES.join(', ')}`, preset);
  const events = readEvents(r, inputs.events, abs, overrides.events, preset === 'none' ? null : preset);
  // A warehouse run reads its tables instead of files (src/warehouse/config.ts).
  const warehouse = readWarehouse(r, inputs.warehouse, overrides.warehouse ?? {}, preset === 'none' ? null : preset);
  if (warehouse && (events || users || accounts)) throw warehouseErrors.filesAndWarehouse();
  if (!events && !users && !warehouse) r.fail('inputs.events.path', 'a file, folder or glob of event data (or give inputs.users alone for an attribute-only run)', undefined);

  const windowObj = r.object(top.window, 'window', ['days', 'end']);
  const windowEnd = readWindowEnd(r, windowObj.end);

  const features = r.object(top.features, 'features', ['session_gap_minutes', 'top_events', 'trend_days', 'values', 'include_internal_events']);
  const transform = r.object(top.transform, 'transform', ['log1p_skew', 'winsorize', 'scaling', 'top_categories', 'near_duplicate', 'shrinkage', 'weights']);
  const weightsObj = r.object(transform.weights, 'transform.weights', FAMILIES);
  // Attributes: a number is used as given; `auto` (the default with events) clusters on
  // behaviour first and adds attributes only when behaviour alone shows no strong structure.
  // With no events, attributes are all there is to segment on (weight 1).
  // With no events, attributes are all there is to segment on (weight 1), `auto` written out included.
  const attributeOnly = !(events || warehouse);
  const attributeWeight = r.numberOrAuto(weightsObj, 'transform.weights', 'attribute', attributeOnly ? AUTO_ATTRIBUTE_WEIGHT : null, { min: 0, max: 100 }) ?? (attributeOnly ? AUTO_ATTRIBUTE_WEIGHT : null);
  if (attributeOnly && attributeWeight === 0) throw errors.configAttributeWeightZero(origin.file);
  const attributeFallback = attributeWeight === null ? AUTO_ATTRIBUTE_WEIGHT : null;
  const weights = Object.fromEntries(
    FAMILIES.map((f) => [f, f === 'attribute' ? (attributeWeight ?? 0) : r.number(weightsObj, 'transform.weights', f, DEFAULT_WEIGHTS[f], { min: 0, max: 100 })]),
  ) as Record<FeatureFamily, number>;
  // Every family at 0 leaves the transform nothing to keep ("all N users have identical
  // features" after the whole ingest). `auto` is 0 here too: attributes are only tried after a
  // first fit on behaviour, which this config cannot make.
  if (FAMILIES.every((f) => weights[f] === 0)) throw errors.configWeightsAllZero(origin.file);

  const reduce = r.object(top.reduce, 'reduce', ['components', 'variance']);
  const cluster = r.object(top.cluster, 'cluster', ['k', 'k_range', 'restarts', 'max_iterations', 'sample_size', 'stability_runs', 'min_share', 'min_size', 'unstable_below', 'warm_start']);
  const profile = r.object(top.profile, 'profile', ['traits']);
  const rules = r.object(top.rules, 'rules', ['max_conditions']);
  const output = r.object(top.output, 'output', ['dir', 'max_reject_rate']);

  const kRange = flagOrFile(overrides.kRange && ([...overrides.kRange] as [number, number]), r.pair(cluster, 'cluster', 'k_range', [2, 10], { min: 2, max: 50, integer: true }));
  // --k-range asks for automatic k in that range, so it clears a k fixed in the file.
  const k = flagOrFile(overrides.k ?? (overrides.kRange ? null : undefined), r.numberOrAuto(cluster, 'cluster', 'k', null, { min: 2, max: 1000, integer: true }));
  const seed = flagOrFile(overrides.seed, r.number(top, '', 'seed', 42, { integer: true, min: 0, max: 2 ** 32 - 1 }));
  const days = windowDays(r, windowObj.days);
  const outputDir = abs(r.string(output, 'output', 'dir', 'reports'));

  return {
    name: r.string(top, '', 'name', origin.source ? baseName(origin.source) : 'adhoc'),
    source: origin.source,
    seed,
    inputs: {
      events,
      users,
      accounts,
      ...(warehouse ? { warehouse } : {}),
    },
    window: { days: overrides.windowDays === undefined ? days : windowDays(r, overrides.windowDays), end: windowEnd },
    features: {
      sessionGapMinutes: r.number(features, 'features', 'session_gap_minutes', 30, { min: 1, max: 1440 }),
      topEvents: r.number(features, 'features', 'top_events', 40, { min: 1, max: 200, integer: true }),
      trendDays: r.number(features, 'features', 'trend_days', 30, { min: 1, max: 3650, integer: true }),
      values: readValues(r, features.values),
      includeInternalEvents: r.boolean(features, 'features', 'include_internal_events', false),
    },
    transform: {
      log1pSkew: r.number(transform, 'transform', 'log1p_skew', 1, { min: 0 }),
      winsorize: r.pair(transform, 'transform', 'winsorize', [0.01, 0.99], { min: 0, max: 1 }),
      scaling: r.oneOf(transform, 'transform', 'scaling', ['robust', 'standard'] as const, 'standard'),
      topCategories: r.number(transform, 'transform', 'top_categories', 8, { min: 1, max: 100, integer: true }),
      nearDuplicate: r.number(transform, 'transform', 'near_duplicate', 0.98, { min: 0.5, max: 1 }),
      shrinkage: r.number(transform, 'transform', 'shrinkage', 5, { min: 0, max: 10000 }),
      weights,
      attributeFallback,
    },
    reduce: {
      components: r.numberOrAuto(reduce, 'reduce', 'components', null, { min: 1, max: 1000, integer: true }),
      variance: r.number(reduce, 'reduce', 'variance', 0.9, { min: 0.1, max: 1 }),
    },
    cluster: {
      k,
      kRange,
      restarts: r.number(cluster, 'cluster', 'restarts', 10, { min: 1, max: 1000, integer: true }),
      maxIterations: r.number(cluster, 'cluster', 'max_iterations', 300, { min: 1, max: 100000, integer: true }),
      sampleSize: r.number(cluster, 'cluster', 'sample_size', 5000, { min: 50, integer: true }),
      stabilityRuns: r.number(cluster, 'cluster', 'stability_runs', 10, { min: 0, max: 100, integer: true }),
      minShare: r.number(cluster, 'cluster', 'min_share', 0.02, { min: 0, max: 0.5 }),
      minSize: r.number(cluster, 'cluster', 'min_size', 20, { min: 1, max: 1_000_000, integer: true }),
      unstableBelow: r.number(cluster, 'cluster', 'unstable_below', 0.75, { min: 0, max: 1 }),
      warmStart: r.oneOf(cluster, 'cluster', 'warm_start', ['none', 'previous'] as const, 'none'),
    },
    profile: { traits: r.number(profile, 'profile', 'traits', 6, { min: 3, max: 50, integer: true }) },
    rules: { maxConditions: r.number(rules, 'rules', 'max_conditions', 3, { min: 1, max: 3, integer: true }) },
    output: {
      dir: overrides.out ? resolve(overrides.out) : outputDir,
      maxRejectRate: r.number(output, 'output', 'max_reject_rate', 0.01, { min: 0, max: 1 }),
    },
  };
}


function readEvents(r: Reader, value: unknown, abs: (p: string) => string, override: readonly string[] | undefined, preset: PresetName | null): EventsInput | null {
  const path = 'inputs.events';
  const ev = r.object(value, path, ['path', 'columns', 'event_name', 'event_cases']);
  const filePaths = r.stringList(ev, path, 'path').map(abs);
  const paths = override?.length ? override.map((p) => resolve(p)) : filePaths;
  if (paths.length === 0) {
    if (Object.keys(ev).length > 0) r.fail(join(path, 'path'), 'a file, folder or glob of event data', ev.path);
    return null;
  }
  const columns = r.object(ev.columns, join(path, 'columns'), ['user_id', 'event', 'timestamp', 'event_id']);
  const casesRaw = ev.event_cases ?? [];
  if (!Array.isArray(casesRaw)) r.fail(join(path, 'event_cases'), 'a list of { column, starts_with | equals | negative, event }', casesRaw);
  const eventCases = (casesRaw as unknown[]).map((c, i): EventCase => {
    const p = `${path}.event_cases[${i}]`;
    const o = r.object(c, p, ['column', 'starts_with', 'equals', 'negative', 'event']);
    const startsWith = typeof o.starts_with === 'string' ? o.starts_with : null;
    const equals = typeof o.equals === 'string' ? o.equals : null;
    const negative = r.boolean(o, p, 'negative', false);
    if ([startsWith !== null, equals !== null, negative].filter(Boolean).length !== 1) r.fail(p, 'exactly one of starts_with, equals or negative: true', c);
    return { column: r.string(o, p, 'column', ''), startsWith, equals, negative, event: r.string(o, p, 'event', '') };
  });
  for (const [i, c] of eventCases.entries()) {
    if (!c.column) r.fail(`${path}.event_cases[${i}].column`, 'a column name', undefined);
    if (!c.event) r.fail(`${path}.event_cases[${i}].event`, 'an event name', undefined);
  }
  return {
    paths,
    columns: {
      userId: r.stringOrAuto(columns, join(path, 'columns'), 'user_id'),
      event: r.stringOrAuto(columns, join(path, 'columns'), 'event'),
      timestamp: r.stringOrAuto(columns, join(path, 'columns'), 'timestamp'),
      eventId: r.stringOrAuto(columns, join(path, 'columns'), 'event_id'),
    },
    preset,
    eventName: ev.event_name === undefined ? null : r.string(ev, path, 'event_name', ''),
    eventCases,
  };
}

function readValues(r: Reader, value: unknown): ValueFeature[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) r.fail('features.values', 'a list of { name, columns, aggregates }', value);
  return (value as unknown[]).map((v, i) => {
    const p = `features.values[${i}]`;
    const o = r.object(v, p, ['name', 'column', 'columns', 'aggregates']);
    const name = r.string(o, p, 'name', '');
    if (!/^[a-z][a-z0-9_]*$/.test(name)) r.fail(join(p, 'name'), 'a snake_case name like revenue', o.name);
    const columns = o.columns !== undefined ? r.stringList(o, p, 'columns') : r.stringList(o, p, 'column');
    if (columns.length === 0) r.fail(join(p, 'columns'), 'one or more numeric event columns (multiplied together)', o.columns);
    const aggregates = r.stringList(o, p, 'aggregates', ['sum', 'mean']);
    for (const a of aggregates) if (!['sum', 'mean', 'max'].includes(a)) r.fail(join(p, 'aggregates'), 'a list of sum, mean, max', o.aggregates);
    return { name, columns, aggregates: aggregates as ValueFeature['aggregates'] };
  });
}

function readTable(r: Reader, value: unknown, path: string, abs: (p: string) => string, override: string[] | null, allowed: readonly string[]): TableInput | null {
  const o = r.object(value, path, allowed);
  const filePaths = r.stringList(o, path, 'path').map(abs);
  const paths = override ?? filePaths;
  if (paths.length === 0) {
    if (Object.keys(o).length > 0) r.fail(join(path, 'path'), 'a file path', o.path);
    return null;
  }
  const key = r.stringOrAuto(o, path, 'key');
  const exclude = r.stringList(o, path, 'exclude');
  const outcomes = r.stringList(o, path, 'outcomes');
  const types = readTypes(r, o.types, join(path, 'types'));
  checkOutcomes(r, path, outcomes, key, exclude, types);
  // Only present when set, so a config without them hashes (and reads back) as before.
  return { paths, key, exclude, ...(outcomes.length > 0 ? { outcomes } : {}), ...(types ? { types } : {}) };
}

/** `types: { column: category | number | date | id | ignore }`. */
function readTypes(r: Reader, value: unknown, path: string): Record<string, ColumnTypeName> | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'object' || Array.isArray(value)) r.fail(path, `a mapping of column names to ${COLUMN_TYPE_NAMES.join(' | ')}`, value);
  const types: Record<string, ColumnTypeName> = {};
  for (const [column, type] of Object.entries(value as Record<string, unknown>)) {
    if (typeof type !== 'string' || !(COLUMN_TYPE_NAMES as readonly string[]).includes(type)) r.fail(join(path, column), `one of ${COLUMN_TYPE_NAMES.join(', ')}`, type);
    types[column] = type as ColumnTypeName;
  }
  return Object.keys(types).length > 0 ? types : null;
}

/** An outcome is read, never clustered: it cannot also be the key, excluded, or declared an id / ignored. */
function checkOutcomes(r: Reader, path: string, outcomes: readonly string[], key: string | null, exclude: readonly string[], types: Readonly<Record<string, ColumnTypeName>> | null): void {
  const p = join(path, 'outcomes');
  const seen = new Set<string>();
  for (const o of outcomes) {
    if (seen.has(o)) r.fail(p, 'each outcome column once', o);
    seen.add(o);
    if (o === key) r.fail(p, `columns other than the key (${key})`, o);
    if (exclude.includes(o)) r.fail(p, `columns not also in ${join(path, 'exclude')}`, o);
    const type = types?.[o];
    if (type === 'id' || type === 'ignore' || type === 'date') r.fail(join(join(path, 'types'), o), 'category or number for an outcome column (a flag, a category or a number is reported per segment)', type);
  }
}

/** `--outcome NAME` adds outcome columns to the users table (which it needs). */
function withOutcomes(r: Reader, users: UsersInput | null, extra: readonly string[]): UsersInput | null {
  if (extra.length === 0) return users;
  if (!users) r.fail('inputs.users.path', 'a users table holding the --outcome column(s)', undefined);
  // A column named twice on the command line (or in both places) is one outcome, not the file's mistake.
  const outcomes = [...new Set([...(users.outcomes ?? []), ...extra])];
  checkOutcomes(r, 'inputs.users', outcomes, users.key, users.exclude, users.types ?? null);
  return { ...users, outcomes };
}

function readUsers(r: Reader, value: unknown, abs: (p: string) => string, override: string[] | null): UsersInput | null {
  const allowed = ['path', 'key', 'account_key', 'exclude', 'outcomes', 'types'];
  const table = readTable(r, value, 'inputs.users', abs, override, allowed);
  if (!table) return null;
  const o = r.object(value, 'inputs.users', allowed);
  const accountKey = r.stringOrAuto(o, 'inputs.users', 'account_key');
  if (accountKey !== null && table.outcomes?.includes(accountKey)) r.fail('inputs.users.outcomes', `columns other than account_key (${accountKey})`, accountKey);
  return { ...table, accountKey };
}

/** What window.end must be (as --as-of, its flag, accepts). */
export const WINDOW_END_EXPECTED = 'an ISO date or date-time like 2026-10-31 or 2026-10-31T12:00:00Z, or auto';

/**
 * window.end: checked here with the parser --as-of uses, so both accept the same times and a bad
 * one stops before any event is read (`Date.parse` let "2026-02-30", "Oct 3" and "1" through).
 * Kept as written: ingest reads a date alone as the end of that day.
 */
function readWindowEnd(r: Reader, value: unknown): string | null {
  if (value instanceof Date) return value.toISOString();
  if (value === undefined || value === null || value === 'auto') return null;
  if (typeof value !== 'string') r.fail('window.end', WINDOW_END_EXPECTED, value);
  try {
    normalizeAsOf(value);
  } catch (e) {
    if (!isSegmintError(e)) throw e;
    r.fail('window.end', WINDOW_END_EXPECTED, value);
  }
  return value;
}

/**
 * The command line's value when it gave one, else the file's. Both are passed so the file's value
 * is always read, and so checked, even when a flag replaces it (`seed: -1` under `--seed 7`).
 */
function flagOrFile<T>(flag: T | undefined, file: T): T {
  return flag === undefined ? file : flag;
}

/** window.days: whole days, or `all` (the whole log, as {@link WHOLE_LOG_DAYS}). */
function windowDays(r: Reader, value: unknown): number {
  if (typeof value === 'string' && value.trim().toLowerCase() === 'all') return WHOLE_LOG_DAYS;
  if (value !== undefined && value !== null && (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > WHOLE_LOG_DAYS)) {
    r.fail('window.days', `a whole number of days from 1 to ${WHOLE_LOG_DAYS}, or all (the whole log)`, value);
  }
  return typeof value === 'number' ? value : 90;
}

function baseName(file: string): string {
  return file.replace(/^.*[\\/]/, '').replace(/\.ya?ml$/i, '');
}

/** A stable hash of the resolved config (key order fixed by construction). */
export function configHash(config: ResolvedConfig): string {
  return createHash('sha256').update(JSON.stringify(config)).digest('hex').slice(0, 16);
}

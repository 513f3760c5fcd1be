/**
 * Computing promoted rules on data in DuckDB: the inputs are ingested exactly as the run did
 * (the ingest stage with the run's recorded column mapping, preset and keys), then only the
 * features the rules use are computed from the definitions' SQL — no clustering, no feature table.
 */
import { resolve } from 'node:path';
import type { ResolvedConfig } from '../config/types.js';
import { resolveConfig } from '../config/index.js';
import type { RunContext } from '../core/context.js';
import { openDb, type Db } from '../core/duckdb.js';
import { assertUnreachable } from '../core/errors.js';
import { ingest, type IngestResult } from '../stages/ingest/index.js';
import { INGESTED_TABLES, attributeOf, eventsNamed, featuresQuery, windowEndLiteral, type NamedMeaning } from './definitions.js';
import { opsFor } from './dialect.js';
import { rulesetErrors } from '../core/messages.js';
import { ruleFeatures, ruleQuery } from './query.js';
import type { Manifest } from '../run/types.js';
import type { PromotedVersion, RulesetSource } from './schema.js';
import { asOfIso } from './time.js';

export interface RawInputs {
  readonly events: readonly string[];
  readonly users?: string;
  readonly accounts?: string;
}

/**
 * The ingest settings of a run, as a ruleset file keeps them (no paths). A column or key the
 * config left to detection is recorded as the run found it (`manifest.mapping`, `manifest.keys`),
 * so `rules apply` reads next week's export by the same columns and `rules export` writes SQL
 * reading them by name (outside check: a run that detected distinct_id / event_type exported SQL
 * reading user_id / event). Not for a preset, whose columns are the preset's, nor for files read
 * with different columns (`mapping.byFile`), which no one set of names describes.
 */
export function sourceOf(config: ResolvedConfig, read: Pick<Manifest, 'mapping' | 'keys'> = { mapping: null }): RulesetSource {
  const { events, users, accounts } = config.inputs;
  if (!events) throw new Error('sourceOf: a run without events');
  const m = read.mapping;
  const found = m && !m.preset && !events.preset && !m.byFile ? m : null;
  const columns = {
    userId: events.columns.userId ?? found?.userId ?? null,
    event: events.columns.event ?? found?.event ?? null,
    timestamp: events.columns.timestamp ?? found?.timestamp ?? null,
    eventId: events.columns.eventId ?? found?.eventId ?? null,
  };
  const keys = read.keys;
  return {
    events: { columns, preset: events.preset, eventName: events.eventName, eventCases: events.eventCases },
    users: users ? { key: users.key ?? keys?.users?.key ?? null, accountKey: users.accountKey ?? keys?.users?.accountKey ?? null, exclude: users.exclude } : null,
    accounts: accounts ? { key: accounts.key ?? keys?.accounts?.key ?? null, exclude: accounts.exclude } : null,
    values: config.features.values,
    include_internal_events: config.features.includeInternalEvents,
    max_reject_rate: config.output.maxRejectRate,
  };
}

/**
 * A resolved config that ingests `inputs` the way the recorded source says, with a window of
 * `windowDays` ending at `asOf` (null: the latest event). Other settings are segmint's defaults;
 * ingest reads none of them.
 */
export function configFromSource(job: string, source: RulesetSource, inputs: RawInputs, windowDays: number, asOf: string | null): ResolvedConfig {
  const base = resolveConfig({ name: job, inputs: { events: { path: '.' } } }, { file: 'ruleset', baseDir: process.cwd(), source: null });
  const abs = (ps: readonly string[]) => ps.map((p) => resolve(p));
  return {
    ...base,
    inputs: {
      events: { ...source.events, paths: abs(inputs.events) },
      users: inputs.users ? { ...(source.users ?? { key: null, accountKey: null, exclude: [] }), paths: abs([inputs.users]) } : null,
      accounts: inputs.accounts ? { ...(source.accounts ?? { key: null, exclude: [] }), paths: abs([inputs.accounts]) } : null,
    },
    window: { days: windowDays, end: asOf === null ? null : asOfIso(asOf) },
    features: { ...base.features, values: source.values, includeInternalEvents: source.include_internal_events },
    output: { ...base.output, maxRejectRate: source.max_reject_rate },
  };
}

/** Runs `fn` with the inputs of `config` ingested into a fresh DuckDB database. */
export async function withIngested<T>(config: ResolvedConfig, ctx: RunContext, fn: (db: Db, ingested: IngestResult) => Promise<T>): Promise<T> {
  const db = await openDb();
  try {
    return await fn(db, await ingest(db, config, ctx, { excludedMayBeMissing: true }));
  } finally {
    db.close();
  }
}

/** The window end the ingest stage chose, as the renderings write E. */
export function asOfOf(ingested: IngestResult): string {
  return windowEndLiteral(ingested.window);
}

/**
 * Refuses inputs with no event in the window (an --as-of before or long after the data): no rule
 * can select anyone, and the per-rule checks would name a rule's event instead of the window.
 */
export function assertWindowHasEvents(ingested: IngestResult, asOf: string | null): void {
  if (ingested.events === null || ingested.events.rows > 0) return;
  const events = ingested.accounting.find((a) => a.role === 'events');
  throw rulesetErrors.noEventsInWindow(events?.files.join(', ') ?? '', ingested.window, asOf, (events?.used ?? 0) + (events?.outOfWindow ?? 0));
}

/** Something a rule needs that the ingested data does not have. */
export type DataGap =
  | { readonly kind: 'event'; readonly event: string }
  | { readonly kind: 'table'; readonly table: 'users' | 'accounts'; readonly column: string }
  | { readonly kind: 'column'; readonly table: 'users' | 'accounts'; readonly column: string };

/**
 * What a rule needs that the ingested data lacks, in the rule's feature order: an event type it
 * counts that never occurs in the window, a users / accounts table that was not given, or an
 * attribute column that table lacks. Without a table or column the rule cannot be computed at
 * all; without an event it can (the count is 0), but it is not the rule it was.
 */
export async function dataGaps(db: Db, ingested: IngestResult, v: Pick<PromotedVersion, 'rule' | 'features'>): Promise<DataGap[]> {
  const gaps: DataGap[] = [];
  for (const { meaning } of ruleFeatures(v)) {
    for (const event of eventsNamed(meaning)) {
      const [row] = await db.all<{ n: number }>('SELECT count(*) AS n FROM (SELECT 1 FROM events WHERE "event" = $1 LIMIT 1)', [event]);
      if (Number(row.n) === 0) gaps.push({ kind: 'event', event });
    }
    const attr = attributeOf(meaning);
    if (attr) {
      if (ingested[attr.source] === null) gaps.push({ kind: 'table', table: attr.source, column: attr.column });
      else if (!(await tableColumns(db, attr.source)).includes(attr.column)) gaps.push({ kind: 'column', table: attr.source, column: attr.column });
    }
  }
  return gaps;
}

/** Refuses a rule the ingested data cannot answer (the first of its `dataGaps`). */
export async function assertDataFits(db: Db, ingested: IngestResult, key: string, v: Pick<PromotedVersion, 'rule' | 'features'>): Promise<void> {
  const [gap] = await dataGaps(db, ingested, v);
  if (gap === undefined) return;
  const files = (role: 'events' | 'users' | 'accounts') => ingested.accounting.find((a) => a.role === role)?.files.join(', ') ?? '';
  switch (gap.kind) {
    case 'event':
      throw rulesetErrors.dataLacksEvent(key, gap.event, files('events'));
    case 'table':
      throw rulesetErrors.tableNotGiven(key, gap.table, gap.column);
    case 'column':
      throw rulesetErrors.dataLacksColumn(key, gap.table, gap.column, files(gap.table));
    default:
      return assertUnreachable(gap);
  }
}

async function tableColumns(db: Db, table: 'users' | 'accounts'): Promise<string[]> {
  return (await db.all<{ column_name: string }>(`DESCRIBE ${table}`)).map((r) => r.column_name);
}

/** The users a version's rule selects in the ingested data, sorted. */
export async function selectUsers(db: Db, v: Pick<PromotedVersion, 'rule' | 'features' | 'window'>, asOf: string): Promise<string[]> {
  const rows = await db.all<{ user_id: unknown }>(ruleQuery(v, { ops: opsFor('duckdb'), tables: INGESTED_TABLES, windowDays: v.window.days, asOf }));
  return rows.map((r) => String(r.user_id));
}

/** Per-user values of `features` (column name → values, `user_id` first). */
export function featureColumns(db: Db, features: readonly NamedMeaning[], windowDays: number, asOf: string): Promise<Map<string, unknown[]>> {
  return db.columns(featuresQuery(features, { ops: opsFor('duckdb'), tables: INGESTED_TABLES, windowDays, asOf }));
}

/**
 * `rules export --to sql`: one `<key>.sql` per promoted segment — a single SELECT returning the
 * `user_id`s the rule selects, computing the features it needs from the warehouse's raw
 * `events(user_id, event, timestamp)`, `users` and `accounts` tables (columns named as the run's
 * config named them, see warehouseTables), as of the latest event (or a fixed time). The statement is the one `rules apply` runs in DuckDB, rendered for the dialect.
 */
import { UNSAFE_IN_LITERAL } from '../../core/sql.js';
import { errors } from '../../core/messages.js';
import { tableParts } from '../../warehouse/config.js';
import { WAREHOUSE_TABLES, type RawTables } from '../definitions.js';
import { opsFor, type SqlDialect } from '../dialect.js';
import { ruleQuery } from '../query.js';
import type { PromotedSegment, RulesetSource } from '../schema.js';

export interface TableNames {
  /** Each may be qualified: `analytics.events`. */
  readonly events?: string;
  readonly users?: string;
  readonly accounts?: string;
}

/**
 * The raw tables an exported statement reads: `names` (or events, users, accounts) with the
 * columns the ruleset's source recorded from the run's config (`inputs.events.columns`, the users'
 * and accounts' keys), each one it left to detection keeping the default name (user_id, event,
 * timestamp, account_id). A table named like the run's export (distinct_id, event_type,
 * event_time) is then read as it is, not through a hand-written view (outside check).
 */
export function warehouseTables(names: TableNames = {}, source: RulesetSource | null = null): RawTables {
  const { events, users, accounts } = WAREHOUSE_TABLES;
  const columns = source?.events.columns;
  return {
    events: {
      ...events,
      table: names.events ? exportTableParts(names.events, 'events-table') : events.table,
      userId: columns?.userId ?? events.userId,
      event: columns?.event ?? events.event,
      timestamp: columns?.timestamp ?? events.timestamp,
    },
    users: { table: names.users ? exportTableParts(names.users, 'users-table') : users.table, key: source?.users?.key ?? users.key, accountKey: source?.users?.accountKey ?? users.accountKey },
    accounts: { table: names.accounts ? exportTableParts(names.accounts, 'accounts-table') : accounts.table, key: source?.accounts?.key ?? accounts.key },
  };
}

/**
 * An --events-table (etc.) as parts, up to database.schema.table; a part may be double-quoted to
 * hold a dot. A name that is none of these stops the export (outside check: `a.b.c.d` was
 * rendered as four quoted parts, valid in no dialect).
 */
export function exportTableParts(name: string, flag: `${keyof TableNames}-table`): string[] {
  const parts = tableParts(name, 3);
  if (parts.length === 0) throw errors.badFlagValue(flag, name, 'a table name like analytics.events or project.dataset.events (up to three dot-separated parts; double-quote a part holding a dot, a space, a : or a ;), or for --to dbt source:NAME.TABLE or ref:MODEL');
  return parts;
}

/** Text from data inside a `--` comment: line breaks and bidi controls shown as `\u` escapes. */
export function commentSafe(text: string): string {
  return text.replace(new RegExp(UNSAFE_IN_LITERAL.source, 'gu'), (ch) => (ch === '\\' ? ch : `\\u${ch.codePointAt(0)!.toString(16).padStart(4, '0')}`));
}

/** The default E in words, for the files' comments. */
export const LATEST_PLAUSIBLE = 'the latest event in the events table, leaving out times a run rejects (before 1990, or over a day after the query runs)';

/** What a segment's statement is made from: its rule, the meanings of its features, its window. */
export type SegmentRule = Pick<PromotedSegment, 'rule' | 'features' | 'window'> & Partial<Pick<PromotedSegment, 'source'>>;

/**
 * The statement alone (no comments), e.g. for a dbt model (`ordered: false` leaves out the
 * ORDER BY, which a model does not need). ClickHouse's ends with the SETTINGS it relies on.
 *
 * @example
 * segmentSelect(doc, 'postgres', null, {});
 * // WITH as_of AS (SELECT (SELECT max(x."timestamp") FROM "events" x WHERE … AND x."timestamp" <= ((current_timestamp AT TIME ZONE 'UTC') + INTERVAL '1 days')) AS e), …
 */
export function segmentSelect(doc: SegmentRule, dialect: SqlDialect, asOf: string | null, names: TableNames, { ordered = true } = {}): string {
  const ops = opsFor(dialect);
  const query = ruleQuery(doc, { ops, tables: warehouseTables(names, doc.source ?? null), windowDays: doc.window.days, asOf });
  return ops.statement(ordered ? query : query.replace(/ ORDER BY f\.user_id$/, ''));
}

/** The `<key>.sql` file: what it is, where it came from, what each feature means, then the statement. */
export function segmentSqlFile(doc: PromotedSegment, dialect: SqlDialect, asOf: string | null, names: TableNames): string {
  const c = (s: string) => `-- ${commentSafe(s)}`;
  const lines = [
    c(`segmint promoted segment ${doc.key} v${doc.version} (${doc.content_hash})`),
    c(`${doc.name}: ${doc.rule.text}`),
    c(`from run ${doc.created_from.run_id}, segment ${doc.created_from.segment}; owner ${doc.owner ?? 'none'}`),
    c(`${dialect}; E = ${asOf === null ? LATEST_PLAUSIBLE : `${asOf} UTC`}; window ${doc.window.days} days ending at E`),
    ...Object.entries(doc.features).map(([name, f]) => c(`${name}: ${f.definition}`)),
    c('Timestamps are UTC TIMESTAMP values without a time zone; events are expected deduplicated.'),
    `${segmentSelect(doc, dialect, asOf, names)};`,
  ];
  return lines.join('\n') + '\n';
}

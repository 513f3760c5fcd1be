/**
 * Outcomes per segment: for each outcome column ingest kept apart (never a feature, so never
 * clustered on and never in a rule), its rate or mean in every segment with a 95% interval, and
 * the lift against everyone. It reads the segmentation and never changes it.
 */
import type { Db } from '../../core/duckdb.js';
import { quoteIdent } from '../../core/sql.js';
import type { FeatureTable } from '../features/types.js';
import type { IngestResult, OutcomeColumn } from '../ingest/types.js';
import { meanInterval, wilson } from './stats.js';
import type { OutcomeMeasure, OutcomeStat, SegmentOutcome } from './types.js';

/** Levels of a category outcome reported, most frequent first (the rest are still in each n). */
export const MAX_LEVELS = 8;
/** Group -1: known users with no events in the window. */
const NO_EVENTS = -1;

type Value = string | number | boolean;

/**
 * @example
 * const outcomes = await outcomesBySegment(db, ingested, features, segmentation);
 * outcomes[0]; // { outcome: 'Revenue', kind: 'rate', level: 'true', everyone: { n: 12330, value: 0.1547, … }, segments: […] }
 */
export async function outcomesBySegment(
  db: Db,
  ingest: Pick<IngestResult, 'outcomes' | 'users'>,
  features: Pick<FeatureTable, 'userIds' | 'usersWithoutEvents'>,
  segmentation: { readonly k: number; readonly labels: Int32Array },
): Promise<OutcomeMeasure[]> {
  const columns = ingest.outcomes ?? [];
  if (columns.length === 0 || !ingest.users) return [];
  // Every user's group: a segment, or -1 for the no-events group.
  const groupOf = new Map<string, number>();
  features.userIds.forEach((id, i) => groupOf.set(id, segmentation.labels[i]));
  for (const id of features.usersWithoutEvents) groupOf.set(id, NO_EVENTS);
  const groups = [...Array.from({ length: segmentation.k }, (_, s) => s), ...(features.usersWithoutEvents.length > 0 ? [NO_EVENTS] : [])];

  const measures: OutcomeMeasure[] = [];
  for (const column of columns) {
    const values = await readValues(db, column, ingest.users.table);
    // Per group, the values of its users that have one.
    const byGroup = new Map<number, Value[]>(groups.map((g) => [g, []]));
    const all: Value[] = [];
    for (const [id, v] of values) {
      const g = groupOf.get(id);
      if (g === undefined) continue; // a users-table row that is in no group of this run
      byGroup.get(g)!.push(v);
      all.push(v);
    }
    measures.push(...measuresOf(column, groups, byGroup, all));
  }
  return measures;
}

async function readValues(db: Db, column: OutcomeColumn, usersTable: string): Promise<[string, Value][]> {
  const v = `o.${quoteIdent(column.column)}`;
  const sql =
    column.source === 'users'
      ? `SELECT o.user_id AS id, ${v} AS v FROM ${quoteIdent(column.table)} o WHERE ${v} IS NOT NULL`
      : `SELECT u.user_id AS id, ${v} AS v FROM ${quoteIdent(usersTable)} u JOIN ${quoteIdent(column.table)} o ON o.account_id = u.account_id WHERE ${v} IS NOT NULL`;
  const rows = await db.all<{ id: string; v: Value }>(sql);
  return rows.map((r) => [String(r.id), column.type === 'DOUBLE' ? Number(r.v) : column.type === 'BOOLEAN' ? r.v === true : String(r.v)]);
}

function measuresOf(column: OutcomeColumn, groups: readonly number[], byGroup: ReadonlyMap<number, Value[]>, all: readonly Value[]): OutcomeMeasure[] {
  const base = { outcome: column.column, source: column.source };
  if (column.type === 'DOUBLE') {
    const mean = (vs: readonly Value[]) => stat(vs.length, () => meanInterval(vs as number[]));
    return [build({ ...base, kind: 'mean', level: null, label: `mean ${column.column}` }, mean, groups, byGroup, all)];
  }
  const rate = (level: Value) => (vs: readonly Value[]) => stat(vs.length, () => wilson(vs.filter((v) => v === level).length, vs.length));
  if (column.type === 'BOOLEAN') return [build({ ...base, kind: 'rate', level: 'true', label: column.column }, rate(true), groups, byGroup, all)];
  const counts = new Map<string, number>();
  for (const v of all) counts.set(String(v), (counts.get(String(v)) ?? 0) + 1);
  const levels = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, MAX_LEVELS).map(([l]) => l);
  return levels.map((level) => build({ ...base, kind: 'rate', level, label: `${column.column} = ${level}` }, rate(level), groups, byGroup, all));
}

function build(
  head: Pick<OutcomeMeasure, 'outcome' | 'source' | 'kind' | 'level' | 'label'>,
  measure: (values: readonly Value[]) => OutcomeStat,
  groups: readonly number[],
  byGroup: ReadonlyMap<number, Value[]>,
  all: readonly Value[],
): OutcomeMeasure {
  const everyone = measure(all);
  const segments: SegmentOutcome[] = groups.map((segment) => {
    const s = measure(byGroup.get(segment)!);
    const lift = s.value !== null && everyone.value !== null && everyone.value > 0 ? round(s.value / everyone.value) : null;
    return { segment, ...s, lift };
  });
  return { ...head, everyone, segments };
}

function stat(n: number, interval: () => { value: number; low: number; high: number }): OutcomeStat {
  if (n === 0) return { n, value: null, low: null, high: null };
  const { value, low, high } = interval();
  return { n, value: round(value), low: round(low), high: round(high) };
}

/** Six significant digits: stable across platforms, finer than any report shows. */
const round = (x: number): number => Number(x.toPrecision(6));

/**
 * The fitted model as SQL: every user's segment computed in the warehouse from the features
 * relation, so that `--write-assignments` sends no user row through this machine.
 *
 *   features relation f (one row per user)
 *     → t: each transform step as the cluster stage applies it (stages/transform/columns.ts:
 *          shrinkage, missing → fill, log1p, winsorising, centring, scaling, weight; one-hot)
 *     → p: the PCA projection (stages/reduce/model.ts: (x − mean) · components)
 *     → q: squared distance to each centroid, summed in the order the engine sums
 *     → the nearest centroid (ties to the lowest segment id, as stages/cluster/assign.ts), its
 *       distance and the margin (d2 − d1) / (d2 + d1) to the next one — assignments.csv's columns.
 *
 * Each step is MATERIALIZED: inlined, every column would be spelled out again wherever the next
 * step reads it (d·p copies of each transform, 2k of each component), and the planner chokes
 * on an expression that grows with their product.
 *
 * The numbers are the run's in-memory model (the one segments.json records), written as
 * literals cast to DOUBLE PRECISION so every operation is the IEEE double arithmetic the
 * JavaScript does, in the same order; a non-finite number is refused (core/sql.ts).
 */
import { NO_EVENTS_GROUP } from '../core/groups.js';
import { numberLiteral } from '../core/sql.js';
import type { ClusterModel } from '../stages/cluster/types.js';
import type { Feature } from '../stages/features/types.js';
import type { PcaModel } from '../stages/reduce/types.js';
import type { TransformModel, TransformStep } from '../stages/transform/types.js';
import { ident, literal } from './pgsql.js';

/** What the pushdown needs of a finished analysis: its models, feature kinds and segment names. */
export interface ModelForSql {
  readonly transform: TransformModel;
  readonly pca: PcaModel;
  readonly kmeans: ClusterModel;
  /** The feature table's columns (only their names and kinds are read). */
  readonly features: readonly Pick<Feature, 'name' | 'kind'>[];
  /** One name per segment id. */
  readonly names: readonly string[];
}

/** The columns the pushdown's SELECT returns, in order (assignments.csv's). */
export const ASSIGNMENT_COLUMNS = ['user_id', 'segment', 'segment_name', 'distance', 'confidence'] as const;

/**
 * A number as a DOUBLE PRECISION literal (a bare `0.5` would be NUMERIC in PostgreSQL). A model
 * number below 1e-150 in size is written as 0: PostgreSQL raises an underflow error where a
 * product of two such numbers rounds to zero (JavaScript gives 0), and next to the other terms
 * it contributes nothing a double can hold.
 */
const f8 = (x: number): string => `CAST(${numberLiteral(Math.abs(x) < TINY ? 0 : x)} AS DOUBLE PRECISION)`;
const TINY = 1e-150;
const INFINITY = "CAST('Infinity' AS DOUBLE PRECISION)";

/**
 * CTEs (to follow the features relation `from`, which has `user_id` and one column per feature)
 * ending in `assigned(user_id, segment, segment_name, distance, confidence)`.
 *
 * @example
 * const ctes = modelCtes('f', { transform, pca, kmeans, features: table.columns, names });
 * const sql = `WITH ${featureCtes}, f AS (${select}), ${ctes.join(', ')} SELECT * FROM assigned`;
 */
export function modelCtes(from: string, model: ModelForSql): string[] {
  const { transform, pca, kmeans } = model;
  const d = transform.steps.length;
  const p = pca.components.length;
  const k = kmeans.centroids.length;
  if (pca.mean.length !== d) throw new RangeError(`the PCA model expects ${pca.mean.length} columns, the transform gives ${d}`);
  if (k === 0 || kmeans.centroids.some((c) => c.length !== p)) throw new RangeError(`the centroids do not have the PCA's ${p} components`);
  if (model.names.length !== k) throw new RangeError(`${model.names.length} segment names for k = ${k}`);
  const kinds = new Map(model.features.map((f) => [f.name, f.kind]));

  const r = transform.steps.map((s, j) => `${valueSql(s, kinds)} AS r${j}`);
  const t = transform.steps.map((s, j) => `${stepSql(s, `r${j}`)} AS t${j}`);
  const proj = pca.components.map((row, c) => `${d === 0 ? f8(0) : row.map((w, j) => `(t${j} - ${f8(pca.mean[j])}) * ${f8(w)}`).join(' + ')} AS p${c}`);
  const sq = kmeans.centroids.map((centre, c) => {
    const terms = centre.map((v, j) => `(p${j} - ${f8(v)}) * (p${j} - ${f8(v)})`);
    return `${terms.length === 0 ? f8(0) : terms.join(' + ')} AS q${c}`;
  });
  const all = Array.from({ length: k }, (_, c) => `q${c}`);
  // The first segment at the minimum wins (the engine keeps the first of equal distances).
  const nearest = k === 1 ? '0' : `CASE ${all.map((q, c) => `WHEN ${q} = q_min THEN ${c}`).join(' ')} END`;
  const runnerUp = k === 1 ? 'CAST(NULL AS DOUBLE PRECISION)' : `CASE segment ${all.map((_, c) => `WHEN ${c} THEN ${least(all.filter((_, o) => o !== c))}`).join(' ')} END`;
  const own = `CASE segment ${all.map((q, c) => `WHEN ${c} THEN ${q}`).join(' ')} END`;
  const name = `CASE segment ${model.names.map((n, c) => `WHEN ${c} THEN ${literal(n)}`).join(' ')} END`;
  return [
    `r AS MATERIALIZED (SELECT user_id, ${r.length ? r.join(', ') : '0 AS r_none'} FROM ${from})`,
    `t AS MATERIALIZED (SELECT user_id, ${t.length ? t.join(', ') : '0 AS t_none'} FROM r)`,
    `p AS MATERIALIZED (SELECT user_id, ${proj.length ? proj.join(', ') : '0 AS p_none'} FROM t)`,
    `q AS MATERIALIZED (SELECT user_id, ${sq.join(', ')} FROM p)`,
    `m AS MATERIALIZED (SELECT q.*, ${least(all)} AS q_min FROM q)`,
    `n AS MATERIALIZED (SELECT m.*, ${nearest} AS segment FROM m)`,
    `o AS MATERIALIZED (SELECT user_id, segment, sqrt(${own}) AS d1, sqrt(${runnerUp}) AS d2 FROM n)`,
    `assigned AS (SELECT CAST(user_id AS TEXT) AS user_id, segment, ${name} AS segment_name, d1 AS distance, ` +
      `CASE WHEN d2 IS NOT NULL AND d1 + d2 > 0 THEN (d2 - d1) / (d2 + d1) ELSE ${f8(1)} END AS confidence FROM o)`,
  ];
}

/** Users of the users table without events in the window: the no-events group, as assignments.csv. */
export function noEventsSelect(usersTemp: string, eventsTemp: string): string {
  return (
    `SELECT u.user_id, ${NO_EVENTS_GROUP.segment} AS segment, ${literal(NO_EVENTS_GROUP.name)} AS segment_name, ` +
    `CAST(NULL AS DOUBLE PRECISION) AS distance, CAST(NULL AS DOUBLE PRECISION) AS confidence FROM ${usersTemp} u ` +
    `WHERE NOT EXISTS (SELECT 1 FROM ${eventsTemp} e WHERE e.user_id = u.user_id)`
  );
}

function least(xs: readonly string[]): string {
  return xs.length === 1 ? xs[0] : `LEAST(${xs.join(', ')})`;
}

/** A feature column as a double: booleans as 0/1, anything else cast (NULL stays NULL). */
function numeric(name: string, kinds: ReadonlyMap<string, Feature['kind']>): string {
  const kind = kinds.get(name);
  if (kind === undefined) throw new RangeError(`the features relation has no feature ${JSON.stringify(name)}`);
  if (kind === 'categorical') throw new RangeError(`feature ${JSON.stringify(name)} is categorical, the model expects numbers`);
  return kind === 'boolean' ? `CAST(CAST(${ident(name)} AS INTEGER) AS DOUBLE PRECISION)` : `CAST(${ident(name)} AS DOUBLE PRECISION)`;
}

/** Finite (not NULL, NaN or ±Infinity): the JavaScript's Number.isFinite. */
const finite = (x: string): string => `abs(${x}) < ${INFINITY}`;

/** log1p accurate to a few ulps without a log1p function (Goldberg: ln(u) · x / (u − 1), u = 1 + x). */
const log1p = (x: string): string => `(CASE WHEN 1 + ${x} = 1 THEN ${x} ELSE ln(1 + ${x}) * ${x} / ((1 + ${x}) - 1) END)`;

/**
 * A step's input value: the one-hot test as 0/1, or the numeric feature as a double, shrunk
 * toward the prior when the step says so (stages/transform/columns.ts `shrunkValues`).
 */
function valueSql(step: TransformStep, kinds: ReadonlyMap<string, Feature['kind']>): string {
  if (step.kind === 'onehot') {
    if (kinds.get(step.feature) !== 'categorical') throw new RangeError(`feature ${JSON.stringify(step.feature)} is not categorical, the model expects categories`);
    const v = ident(step.feature);
    const others = step.others ?? [];
    const hit =
      step.category !== null ? `${v} = ${literal(step.category)}` : others.length === 0 ? 'TRUE' : `${v} IS NULL OR ${v} NOT IN (${others.map(literal).join(', ')})`;
    return `CASE WHEN ${hit} THEN ${f8(1)} ELSE ${f8(0)} END`;
  }
  const x = numeric(step.feature, kinds);
  if (!step.shrink) return x;
  // m = the evidence (observations + offset) when it and x are finite and it is positive; m = 0 ⇒ the prior.
  const s = step.shrink;
  const c = `(${numeric(s.observations, kinds)} + ${f8(s.offset)})`;
  const prior = f8(s.prior);
  const strength = f8(s.strength);
  return `CASE WHEN ${finite(x)} AND ${finite(c)} AND ${c} > 0 THEN (${c} * ${x} + ${strength} * ${prior}) / (${c} + ${strength}) ELSE ${prior} END`;
}

/** The model column from the step's input value `v` (stages/transform/columns.ts `numericValue`, line for line). */
function stepSql(step: TransformStep, v: string): string {
  const weight = f8(step.weight);
  if (step.kind === 'onehot') return `((${v} - ${f8(step.center)}) / ${f8(step.scale)}) * ${weight}`;
  const logged = step.log1p ? log1p(`GREATEST(${v}, ${f8(0)})`) : v;
  const filled = `(CASE WHEN ${finite(v)} THEN ${logged} ELSE ${f8(step.fill)} END)`;
  const clamped = `LEAST(GREATEST(${filled}, ${f8(step.lower)}), ${f8(step.upper)})`;
  return `((${clamped} - ${f8(step.center)}) / ${f8(step.scale)}) * ${weight}`;
}

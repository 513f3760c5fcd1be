/**
 * Candidate conditions, prepared once per run and shared by every segment's search.
 *
 * Each numeric feature is presorted once; its candidate thresholds become positions in that
 * order, so counting how many users of any subset pass every threshold is one pass over the
 * sorted users (cumulative counts), never one pass per threshold. Categorical and boolean
 * features become integer codes counted in one pass.
 *
 * Candidates are numbered in one global order — feature name, then operator (≥, <, =, ≠), then
 * value — and that number is the search's final tie-breaker.
 */
import { usableInRules } from './eligible.js';
import type { BooleanFeature, CategoricalFeature, Feature, FeatureTable, NumericFeature } from '../features/types.js';
import { candidateThresholds, roundingFor } from './thresholds.js';
import type { Condition } from './types.js';

export type Op = Condition['op'];

interface PreparedBase {
  readonly feature: Feature;
  /** Index of this feature's first candidate in the global numbering. */
  readonly first: number;
}

/** Candidates: `≥ t[j]` at first + j, then `< t[j]` at first + m + j. */
export interface PreparedNumeric extends PreparedBase {
  readonly kind: 'numeric';
  /** Users with a value, ascending by value. */
  readonly order: Int32Array;
  readonly thresholds: Float64Array;
  /** positions[j] = number of users in `order` whose value is < thresholds[j]. */
  readonly positions: Int32Array;
}

/** Candidates: `= v[j]` at first + j, then (categorical only) `≠ v[j]` at first + m + j. */
export interface PreparedCoded extends PreparedBase {
  readonly kind: 'categorical' | 'boolean';
  /** Per user: index into `levels`, or -1 when missing. */
  readonly codes: Int32Array;
  readonly levels: readonly (string | boolean)[];
  /** The level codes that get candidates, ascending by level. */
  readonly eligible: Int32Array;
}

export type PreparedFeature = PreparedNumeric | PreparedCoded;

export interface Candidate {
  readonly prepared: number;
  readonly op: Op;
  readonly value: number | string | boolean;
}

export interface CandidateSet {
  readonly features: readonly PreparedFeature[];
  readonly candidates: readonly Candidate[];
}

export interface CandidateOptions {
  readonly quantiles: readonly number[];
  /** Most frequent categories per categorical feature that become candidates. */
  readonly maxCategories: number;
  readonly exclude: ReadonlySet<string>;
}

/** Code-unit order: deterministic and independent of locale. */
export const compareStrings = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Prepares every feature of `table` a rule may use (see eligible.ts; and not in `options.exclude`) for counting.
 *
 * @example
 * const set = prepareCandidates(table, { quantiles: DEFAULT_QUANTILES, maxCategories: 30, exclude: new Set() });
 */
export function prepareCandidates(table: FeatureTable, options: CandidateOptions): CandidateSet {
  const columns = table.columns
    .filter((c) => usableInRules(c.meaning) && !options.exclude.has(c.name))
    .slice()
    .sort((a, b) => compareStrings(a.name, b.name));
  const features: PreparedFeature[] = [];
  const candidates: Candidate[] = [];
  for (const feature of columns) {
    const first = candidates.length;
    const index = features.length;
    const prepared = feature.kind === 'numeric' ? prepareNumeric(feature, first, options) : prepareCoded(feature, first, options);
    if (prepared === null) continue;
    features.push(prepared);
    if (prepared.kind === 'numeric') {
      for (const op of ['>=', '<'] as const) for (const t of prepared.thresholds) candidates.push({ prepared: index, op, value: t });
    } else {
      const ops = prepared.kind === 'boolean' ? (['='] as const) : (['=', '!='] as const);
      for (const op of ops) for (const code of prepared.eligible) candidates.push({ prepared: index, op, value: prepared.levels[code] });
    }
  }
  return { features, candidates };
}

function prepareNumeric(feature: NumericFeature, first: number, options: CandidateOptions): PreparedNumeric | null {
  const values = feature.values;
  let present = 0;
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i])) present++;
  if (present === 0) return null;
  const { order, sorted } = stableArgsort(values, present);
  const thresholds = candidateThresholds(sorted, roundingFor(feature.integer, sorted[0], sorted[present - 1]), options.quantiles);
  if (thresholds.length === 0) return null;
  const positions = new Int32Array(thresholds.length);
  for (let j = 0, p = 0; j < thresholds.length; j++) {
    while (p < present && sorted[p] < thresholds[j]) p++;
    positions[j] = p;
  }
  return { kind: 'numeric', feature, first, order, thresholds, positions };
}

/**
 * The indices of the `present` non-NaN values in ascending order of value, ties by index: what
 * sorting the indices with `values[a] - values[b] || a - b` gives, without a comparator call per
 * pair (that sort took ~1 s of the rules stage at 100k users). The values are sorted natively,
 * then each index, taken in ascending order, goes to the next free place of its value's run.
 * `sorted` is the values in that order (what the sort made on the way).
 */
export function stableArgsort(values: Float64Array, present: number): { readonly order: Int32Array; readonly sorted: Float64Array } {
  const sorted = new Float64Array(present);
  for (let i = 0, p = 0; i < values.length; i++) if (!Number.isNaN(values[i])) sorted[p++] = values[i];
  sorted.sort();
  const taken = new Int32Array(present);
  const order = new Int32Array(present);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isNaN(v)) continue;
    // The first place holding a value equal to v (-0 and 0 are one run, as the comparator has it).
    let lo = 0;
    let hi = present;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sorted[mid] < v) lo = mid + 1;
      else hi = mid;
    }
    order[lo + taken[lo]++] = i;
  }
  return { order, sorted };
}

function prepareCoded(feature: BooleanFeature | CategoricalFeature, first: number, options: CandidateOptions): PreparedCoded | null {
  const n = feature.values.length;
  const codes = new Int32Array(n).fill(-1);
  let levels: (string | boolean)[];
  if (feature.kind === 'boolean') {
    levels = [true, false];
    for (let i = 0; i < n; i++) codes[i] = feature.values[i] === 1 ? 0 : feature.values[i] === 0 ? 1 : -1;
  } else {
    const distinct = new Map<string, number>();
    for (const v of feature.values) if (v !== null) distinct.set(v, 0);
    const sortedLevels = [...distinct.keys()].sort(compareStrings);
    sortedLevels.forEach((v, i) => distinct.set(v, i));
    levels = sortedLevels;
    for (let i = 0; i < n; i++) {
      const v = feature.values[i];
      if (v !== null) codes[i] = distinct.get(v)!;
    }
  }
  const counts = new Int32Array(levels.length);
  for (let i = 0; i < n; i++) if (codes[i] >= 0) counts[codes[i]]++;
  // Only levels somebody has, and for categoricals the most frequent ones (ties: by value):
  // a rule on a value one user holds describes that user, not a segment.
  const present = Array.from(levels.keys()).filter((c) => counts[c] > 0);
  const kept = feature.kind === 'categorical' && present.length > options.maxCategories
    ? present.slice().sort((a, b) => counts[b] - counts[a] || a - b).slice(0, options.maxCategories).sort((a, b) => a - b)
    : present;
  // A feature with a single level everywhere cannot separate anyone.
  if (kept.length === 0 || (kept.length === 1 && counts[kept[0]] === n)) return null;
  return { kind: feature.kind, feature, first, codes, levels, eligible: Int32Array.from(kept) };
}

/**
 * For every candidate: how many users of subset B pass it (`selected`) and how many of those
 * are also in the segment (`hits`). `inB[i]` is 1 for users in B; `inBS[i]` is 1 for users in B
 * and in the segment. One pass over the users per feature.
 */
export function countCandidates(set: CandidateSet, inB: Uint8Array, inBS: Uint8Array, selected: Int32Array, hits: Int32Array): void {
  for (const p of set.features) {
    if (p.kind === 'numeric') countNumeric(p, inB, inBS, selected, hits);
    else countCoded(p, inB, inBS, selected, hits);
  }
}

function countNumeric(p: PreparedNumeric, inB: Uint8Array, inBS: Uint8Array, selected: Int32Array, hits: Int32Array): void {
  const { order, positions, first } = p;
  const m = positions.length;
  let b = 0;
  let bs = 0;
  let at = 0;
  for (let j = 0; j < m; j++) {
    for (const end = positions[j]; at < end; at++) {
      const u = order[at];
      b += inB[u];
      bs += inBS[u];
    }
    // Users in B below threshold j: the `<` candidate.
    selected[first + m + j] = b;
    hits[first + m + j] = bs;
  }
  for (; at < order.length; at++) {
    const u = order[at];
    b += inB[u];
    bs += inBS[u];
  }
  // `≥` = users in B with a value, minus those below.
  for (let j = 0; j < m; j++) {
    selected[first + j] = b - selected[first + m + j];
    hits[first + j] = bs - hits[first + m + j];
  }
}

function countCoded(p: PreparedCoded, inB: Uint8Array, inBS: Uint8Array, selected: Int32Array, hits: Int32Array): void {
  const { codes, eligible, first } = p;
  const sel = new Int32Array(p.levels.length);
  const hit = new Int32Array(p.levels.length);
  let presentB = 0;
  let presentBS = 0;
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i];
    if (c < 0 || inB[i] === 0) continue;
    sel[c]++;
    hit[c] += inBS[i];
    presentB++;
    presentBS += inBS[i];
  }
  const m = eligible.length;
  for (let j = 0; j < m; j++) {
    const c = eligible[j];
    selected[first + j] = sel[c];
    hits[first + j] = hit[c];
    if (p.kind === 'categorical') {
      // `≠ v` = users in B with some value, minus those with v (a missing value is not "≠ v").
      selected[first + m + j] = presentB - sel[c];
      hits[first + m + j] = presentBS - hit[c];
    }
  }
}

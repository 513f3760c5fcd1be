/**
 * Per-segment summaries of one feature, computed in a few passes over typed arrays: counts,
 * means and sums of squared deviations (two-pass, for numerical steadiness), medians, and
 * category counts. Inputs are never reordered in place.
 */
import { selectRanks } from '../../core/select.js';

export interface GroupMoments {
  /** Users with a value. */
  readonly count: number;
  readonly mean: number;
  /** Sum of squared deviations from the group's own mean. */
  readonly m2: number;
}

export interface NumericSummary {
  /** Per segment (0..k-1); mean NaN where a segment has no values. */
  readonly segments: readonly GroupMoments[];
  readonly medians: Float64Array;
  readonly population: GroupMoments;
  readonly populationMedian: number;
}

/** Summaries of a numeric (or 0/1) feature per segment, ignoring missing (non-finite) values. */
export function summariseNumeric(values: Float64Array, labels: Int32Array, k: number): NumericSummary {
  const count = new Float64Array(k);
  const sum = new Float64Array(k);
  let total = 0;
  let totalSum = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    count[labels[i]]++;
    sum[labels[i]] += v;
    total++;
    totalSum += v;
  }
  const mean = Float64Array.from(sum, (s, g) => (count[g] > 0 ? s / count[g] : NaN));
  const popMean = total > 0 ? totalSum / total : NaN;
  const m2 = new Float64Array(k);
  let popM2 = 0;
  // Values grouped by segment (counting sort), so each segment's median is one sort of a slice.
  const offsets = new Int32Array(k + 1);
  for (let g = 0; g < k; g++) offsets[g + 1] = offsets[g] + count[g];
  const cursor = offsets.slice(0, k);
  const grouped = new Float64Array(total);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    const g = labels[i];
    const d = v - mean[g];
    m2[g] += d * d;
    const dp = v - popMean;
    popM2 += dp * dp;
    grouped[cursor[g]++] = v;
  }
  const medians = new Float64Array(k);
  for (let g = 0; g < k; g++) medians[g] = medianInPlace(grouped.subarray(offsets[g], offsets[g + 1]));
  const segments = Array.from({ length: k }, (_, g) => ({ count: count[g], mean: mean[g], m2: m2[g] }));
  return {
    segments,
    medians,
    population: { count: total, mean: popMean, m2: popM2 },
    populationMedian: medianInPlace(grouped),
  };
}

/** The median of `a` (a scratch buffer, reordered); NaN when empty. */
function medianInPlace(a: Float64Array): number {
  const n = a.length;
  if (n === 0) return NaN;
  if (n % 2 === 1) return selectRanks(a, [(n - 1) / 2]).at((n - 1) / 2);
  const middle = selectRanks(a, [n / 2 - 1, n / 2]);
  return (middle.at(n / 2 - 1) + middle.at(n / 2)) / 2;
}

/** Moments of every segment except `s`, combined exactly. */
export function restMoments(summary: NumericSummary, s: number): GroupMoments {
  return combinedMoments(summary, (i) => i !== s);
}

/** Moments of the segments `included` accepts, combined exactly (parallel-variance formula). */
export function combinedMoments(summary: NumericSummary, included: (segment: number) => boolean): GroupMoments {
  let count = 0;
  let sum = 0;
  summary.segments.forEach((g, i) => {
    if (!included(i) || g.count === 0) return;
    count += g.count;
    sum += g.count * g.mean;
  });
  if (count === 0) return { count: 0, mean: NaN, m2: 0 };
  const mean = sum / count;
  let m2 = 0;
  summary.segments.forEach((g, i) => {
    if (!included(i) || g.count === 0) return;
    m2 += g.m2 + g.count * (g.mean - mean) * (g.mean - mean);
  });
  return { count, mean, m2 };
}

/**
 * Standardised mean difference of segment `s` against the rest of the users (Cohen's d with
 * the pooled SD). When the pooled SD is 0 (both groups constant inside) the population SD is
 * used instead, which is positive whenever the means differ; 0 when nothing varies at all.
 */
export function standardisedDifference(summary: NumericSummary, s: number): number {
  return smd(summary.segments[s], restMoments(summary, s), summary.population);
}

/** The same standardised difference against the segments `others` only (e.g. those sharing its name). */
export function standardisedDifferenceFrom(summary: NumericSummary, s: number, others: readonly number[]): number {
  return smd(summary.segments[s], combinedMoments(summary, (i) => i !== s && others.includes(i)), summary.population);
}

/**
 * The same standardised difference for holding a category: a 0/1 indicator per user, so a
 * category ranks exactly as a boolean feature with the same shares would.
 */
export function categoryDifference(inSegment: number, segmentSize: number, total: number, users: number): number {
  const moments = (hits: number, count: number): GroupMoments => {
    const mean = count > 0 ? hits / count : NaN;
    return { count, mean, m2: count > 0 ? count * mean * (1 - mean) : 0 };
  };
  return smd(moments(inSegment, segmentSize), moments(total - inSegment, users - segmentSize), moments(total, users));
}

/**
 * Standardised mean difference of a segment against the rest (Cohen's d with the pooled SD).
 * When the pooled SD is 0 (both groups constant inside) the population SD is used instead,
 * which is positive whenever the means differ; 0 when nothing varies at all.
 */
function smd(seg: GroupMoments, rest: GroupMoments, population: GroupMoments): number {
  if (seg.count === 0 || rest.count === 0) return 0;
  const diff = seg.mean - rest.mean;
  if (diff === 0) return 0;
  const df = seg.count + rest.count - 2;
  const pooled = df > 0 ? Math.sqrt((seg.m2 + rest.m2) / df) : 0;
  const popSd = Math.sqrt(population.m2 / Math.max(1, population.count - 1));
  // Relative guard: a pooled SD of round-off size would turn a tiny difference into a huge effect.
  const tiny = 1e-12 * Math.max(1, Math.abs(population.mean));
  const sd = pooled > tiny ? pooled : popSd;
  return sd > tiny ? diff / sd : 0;
}

export interface CategorySummary {
  /** Distinct non-missing values, sorted (UTF-16 order) for determinism. */
  readonly categories: readonly string[];
  /** counts[c][g] = users in segment g holding categories[c]. */
  readonly counts: readonly Int32Array[];
  readonly totals: Int32Array;
}

export function summariseCategories(values: readonly (string | null)[], labels: Int32Array, k: number): CategorySummary {
  const byValue = new Map<string, Int32Array>();
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null) continue;
    let c = byValue.get(v);
    if (c === undefined) byValue.set(v, (c = new Int32Array(k)));
    c[labels[i]]++;
  }
  const categories = [...byValue.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const counts = categories.map((c) => byValue.get(c) as Int32Array);
  const totals = Int32Array.from(counts, (c) => c.reduce((a, b) => a + b, 0));
  return { categories, counts, totals };
}

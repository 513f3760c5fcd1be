/**
 * Human-friendly thresholds. A rule an analyst promotes should say "≥ 30 days", not
 * "≥ 29.734 days", so every candidate threshold is rounded *before* it is scored: the metrics
 * a rule reports are those of the threshold it shows.
 */
import type { OrderStatistics } from '../../core/select.js';

/** How a numeric feature's thresholds are rounded. */
export type Rounding = 'integer' | 'share' | 'significant';

/**
 * Counts and days round to integers; features living in [0, 1] (shares, rates) to 2 decimals;
 * everything else, and any magnitude of 100 or more, to 2 significant figures.
 */
export function roundingFor(integer: boolean, min: number, max: number): Rounding {
  if (integer) return 'integer';
  if (min >= 0 && max <= 1) return 'share';
  return 'significant';
}

/**
 * Rounds `value` to a number a person would write: integers (2 significant figures from 100 up),
 * shares to 2 decimals, anything else to 2 significant figures. `coarse` rounds one step further
 * (1 significant figure, 1 decimal), giving the rounder neighbour a person might prefer.
 *
 * @example
 * humanRound(29.7, 'integer');          // 30
 * humanRound(1549, 'integer');          // 1500
 * humanRound(0.4567, 'share');          // 0.46
 * humanRound(0.01234, 'significant');   // 0.012
 * humanRound(31, 'integer', true);      // 30
 */
export function humanRound(value: number, rounding: Rounding, coarse = false): number {
  if (!Number.isFinite(value)) return value;
  const digits = coarse ? 1 : 2;
  // Going through the decimal string (not multiply/round/divide) gives the double nearest the
  // short decimal, so 0.3 is 0.3 and not 0.30000000000000004.
  let rounded: number;
  if (rounding === 'share') rounded = Number(value.toFixed(digits));
  else if (rounding === 'integer' && Math.abs(value) < 10 ** digits) rounded = Math.round(value);
  else rounded = Number(value.toPrecision(digits));
  return rounded + 0; // + 0 turns -0 (e.g. from rounding -0.2) into 0
}

/** Default quantile levels for candidate thresholds: dense in the middle, a few in the tails for small segments. */
export const DEFAULT_QUANTILES: readonly number[] = [
  0.02, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9,
  0.95, 0.98,
];

/** The ranks `candidateThresholds` reads of a column with `count` values: its ends and each level's. */
export function thresholdRanks(count: number, levels: readonly number[]): number[] {
  return [0, count - 1, ...levels.map((q) => rankOf(q, count))];
}

const rankOf = (q: number, count: number): number => Math.min(count - 1, Math.max(0, Math.round(q * (count - 1))));

/**
 * Candidate thresholds for one feature: the values at `levels` quantiles of its (non-missing)
 * values, each human-rounded both ways (fine and coarse, so a boundary at 30 is found even when
 * the nearest quantile is 31), deduplicated, ascending. Thresholds at or below the minimum or
 * above the maximum are dropped: `x ≥ t` would then mean only "x is present" or "nobody".
 * `values` need only hold the ranks `thresholdRanks` names.
 *
 * @example
 * candidateThresholds(sortedStatistics(Float64Array.of(10, 20, 31, 40)), 'integer', [0.5]); // Float64Array [30, 31]
 */
export function candidateThresholds(values: OrderStatistics, rounding: Rounding, levels: readonly number[]): Float64Array {
  const m = values.count;
  if (m === 0) return new Float64Array(0);
  const min = values.at(0);
  const max = values.at(m - 1);
  const out: number[] = [];
  for (const q of levels) {
    const value = values.at(rankOf(q, m));
    for (const t of [humanRound(value, rounding), humanRound(value, rounding, true)]) {
      if (Number.isFinite(t) && t > min && t <= max) out.push(t);
    }
  }
  // One step above the minimum: "did E at least once" (count ≥ 1), "some share" (≥ 0.01). An
  // event only one segment fires is 0 for ~90% of users, so every quantile up to the 0.9th is 0
  // and the next candidates were the 0.95th and 0.98th (count ≥ 16): the rule that selects
  // exactly the segment was never tried (QA: F1 0.74 suggested where ≥ 1 gives 1.00).
  const step = rounding === 'integer' ? 1 : rounding === 'share' ? 0.01 : null;
  if (step !== null) {
    const t = humanRound(min + step, rounding);
    if (t > min && t <= max) out.push(t);
  }
  out.sort((a, b) => a - b);
  return Float64Array.from(out.filter((t, i) => i === 0 || t !== out[i - 1]));
}

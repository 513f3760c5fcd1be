/** How well a rule's selection matches its segment, one-vs-rest. */
import type { RuleMetrics } from './types.js';

/**
 * Metrics from counts. Every ratio with a zero denominator is 0 (a rule selecting nobody has
 * precision 0, not NaN), so the metrics always serialise as plain JSON numbers.
 *
 * @example
 * metricsFromCounts(45, 50, 60, 1000).f1; // 2·45 / (50 + 60) ≈ 0.818
 */
export function metricsFromCounts(truePositives: number, selected: number, segmentSize: number, users: number): RuleMetrics {
  const ratio = (a: number, b: number): number => (b > 0 ? a / b : 0);
  const precision = ratio(truePositives, selected);
  const baseRate = ratio(segmentSize, users);
  return {
    truePositives,
    selected,
    segmentSize,
    precision,
    recall: ratio(truePositives, segmentSize),
    // 2PR / (P + R) written with counts: exact for the same counts, and 0 (not NaN) when empty.
    f1: ratio(2 * truePositives, selected + segmentSize),
    support: ratio(selected, users),
    lift: ratio(precision, baseRate),
  };
}

/**
 * Metrics of the users marked in `selected` against segment `segment` of `labels`.
 *
 * @example
 * const m = ruleMetrics(evaluateRule(table, conditions), labels, 2);
 */
export function ruleMetrics(selected: Uint8Array, labels: Int32Array, segment: number): RuleMetrics {
  let tp = 0;
  let sel = 0;
  let size = 0;
  for (let i = 0; i < labels.length; i++) {
    const inSegment = labels[i] === segment ? 1 : 0;
    sel += selected[i];
    size += inSegment;
    tp += selected[i] & inSegment;
  }
  return metricsFromCounts(tp, sel, size, labels.length);
}

/**
 * Outcomes between two runs (`runs diff`): for each outcome measure both runs report, each segment
 * of the later run beside the earlier segment it was matched to, so "who converts" can be followed
 * from week to week. Measures are paired by their label (`Revenue`, `final_result = Fail`).
 */
import type { OutcomeMeasure } from '../stages/outcomes/types.js';

export interface OutcomeChange {
  readonly measure: string;
  readonly key: string;
  /** Segment id in the later run. */
  readonly segment: number;
  readonly after: number | null;
  /** The matched earlier segment's value (null when unmatched or not measured there). */
  readonly before: number | null;
}

/** Later-run segments with the earlier segment each was matched to (null = new). */
export interface SegmentPair {
  readonly key: string;
  readonly segment: number;
  readonly matched: number | null;
}

/**
 * @example
 * outcomeChanges(earlier.outcomes, later.outcomes, [{ key: 'seg-1', segment: 0, matched: 2 }]);
 * // [{ measure: 'Revenue', key: 'seg-1', segment: 0, after: 0.25, before: 0.21 }]
 */
export function outcomeChanges(
  before: readonly OutcomeMeasure[] | undefined,
  after: readonly OutcomeMeasure[] | undefined,
  pairs: readonly SegmentPair[],
): OutcomeChange[] {
  if (!after || after.length === 0) return [];
  const earlier = new Map((before ?? []).map((m) => [m.label, m]));
  const valueOf = (m: OutcomeMeasure | undefined, segment: number | null) =>
    m === undefined || segment === null ? null : (m.segments.find((s) => s.segment === segment)?.value ?? null);
  const out: OutcomeChange[] = [];
  for (const m of after) {
    const was = earlier.get(m.label);
    for (const p of pairs) out.push({ measure: m.label, key: p.key, segment: p.segment, after: valueOf(m, p.segment), before: valueOf(was, p.matched) });
  }
  return out;
}

/**
 * Clock skew at the end of a log. The window ends at the latest event, so a few events from a
 * clock running ahead (a device set to the wrong year) would move it past everything else and
 * leave nearly every real event out of the window, with exit 0 (QA: 60 skewed rows of 34,032 did).
 *
 * The sign of it: after a gap of more than SKEW_DAYS with no event at all, fewer than SKEW_SHARE
 * of the valid events. A log with steady activity has no such gap however many years it spans; an
 * outage followed by ordinary activity has more than a handful of events after it. And it must
 * matter: the window ending at the latest event holds less than SKEW_KEPT of the events a window
 * ending before the gap would. A straggler five weeks after a course ended (OULAD: one assessment
 * submitted 35 days after the others) moves a 90-day window, but keeps most of it, and is real.
 * Decided from a per-day count (a few thousand rows at most): one cheap aggregate, not a sort.
 */

/** An empty stretch longer than this before the last events makes them suspect. */
export const SKEW_DAYS = 30;
/** ... when they are fewer than this share of the valid events, */
export const SKEW_SHARE = 0.01;
/** ... and a window ending at them keeps less than this share of a window ending before the gap. */
export const SKEW_KEPT = 0.5;

/** Valid events of one UTC day: how many, and the first and last time (ISO text, sortable). */
export interface DayCount {
  readonly day: number;
  readonly events: number;
  readonly first: string;
  readonly last: string;
}

export interface ClockSkew {
  /** Events after the gap. */
  readonly events: number;
  readonly first: string;
  readonly last: string;
  /** The latest event before the gap: where the window should end. */
  readonly bulkEnd: string;
  readonly days: number;
}

/**
 * The events after the earliest gap of more than SKEW_DAYS days that fewer than SKEW_SHARE of all
 * events follow, when a `windowDays`-day window ending at them keeps less than SKEW_KEPT of one
 * ending before the gap; null otherwise. The earliest such gap, so that skewed events at two
 * dates (a year ahead and two years ahead) are all named, and the window end suggested is the
 * real log's. `days` may come in any order; `day` is whole days since the epoch.
 *
 * @example
 * findClockSkew([{ day: 19800, events: 5000, … }, { day: 20400, events: 3, … }]); // { events: 3, … }
 */
export function findClockSkew(days: readonly DayCount[], windowDays: number): ClockSkew | null {
  const sorted = [...days].sort((a, b) => a.day - b.day);
  const total = sorted.reduce((n, d) => n + d.events, 0);
  let tail = 0;
  let gap: { at: number; tail: number } | null = null;
  for (let i = sorted.length - 1; i > 0; i--) {
    tail += sorted[i].events;
    if (tail >= SKEW_SHARE * total) break;
    // Days strictly between the two active days are empty.
    if (sorted[i].day - sorted[i - 1].day - 1 > SKEW_DAYS) gap = { at: i, tail };
  }
  if (gap === null) return null;
  // Events in the window of `windowDays` days ending on day `end` (by whole days: enough to judge).
  const held = (end: number) => sorted.reduce((n, d) => (d.day <= end && d.day > end - windowDays ? n + d.events : n), 0);
  if (held(sorted.at(-1)!.day) >= SKEW_KEPT * held(sorted[gap.at - 1].day)) return null;
  return { events: gap.tail, first: sorted[gap.at].first, last: sorted.at(-1)!.last, bulkEnd: sorted[gap.at - 1].last, days: SKEW_DAYS };
}

/**
 * The sample's time frame: a fixed window of whole UTC days ending at a fixed instant (never
 * "now"), and the formatting the CSV files use. All times are integer epoch seconds.
 */

export const DAY = 86_400;

export interface Window {
  /** First second of the window (00:00:00 UTC of its first day). */
  readonly startSec: number;
  /** Last second of the window, inclusive. */
  readonly endSec: number;
  readonly days: number;
  /** Whether each window day (0-based) is a Saturday or Sunday; looked up millions of times. */
  readonly weekend: readonly boolean[];
}

/** The `days`-day window whose last second is `end` (e.g. 2026-10-31T23:59:59Z). */
export function makeWindow(end: string, days: number): Window {
  const endMs = Date.parse(end);
  if (!Number.isFinite(endMs)) throw new Error(`sample: end is not a date: ${end}`);
  if (!Number.isInteger(days) || days < 7) throw new Error(`sample: days must be an integer ≥ 7, got ${days}`);
  const endSec = Math.floor(endMs / 1000);
  const startSec = endSec + 1 - days * DAY;
  const weekend = Array.from({ length: days }, (_, d) => {
    const dow = new Date((startSec + d * DAY) * 1000).getUTCDay();
    return dow === 0 || dow === 6;
  });
  return { startSec, endSec, days, weekend };
}

/** YYYY-MM-DD of an epoch second (UTC). */
export function isoDate(sec: number): string {
  return new Date(sec * 1000).toISOString().slice(0, 10);
}

const TWO_DIGITS = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));

/**
 * `2026-09-14T13:05:22Z` for an epoch second. Events are written in day order, so the date part
 * is cached per day: formatting millions of timestamps through Date would dominate the run.
 */
export function timestampFormatter(): (sec: number) => string {
  let cachedDay = NaN;
  let prefix = '';
  return (sec) => {
    const day = Math.floor(sec / DAY);
    if (day !== cachedDay) {
      cachedDay = day;
      prefix = `${isoDate(day * DAY)}T`;
    }
    const s = sec - day * DAY;
    const h = Math.floor(s / 3600);
    const m = Math.floor((s % 3600) / 60);
    return `${prefix}${TWO_DIGITS[h]}:${TWO_DIGITS[m]}:${TWO_DIGITS[s % 60]}Z`;
  };
}

/**
 * The as-of time E, written one way everywhere: `YYYY-MM-DD HH:MM:SS.ffffff` in UTC (what the
 * SQL renderings put in a timestamp literal), and its ISO form for the ingest stage's window end.
 */
import { rulesetErrors } from '../core/messages.js';

const PATTERN = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

/**
 * Reads an ISO 8601 date or date-time. A date alone means the end of that day (as `window.end`
 * does); no zone means UTC; an offset is converted to UTC; digits beyond microseconds are cut.
 *
 * @example
 * normalizeAsOf('2026-10-31');                 // '2026-10-31 23:59:59.999999'
 * normalizeAsOf('2026-10-31T14:00:00+02:00');  // '2026-10-31 12:00:00.000000'
 */
export function normalizeAsOf(text: string): string {
  const m = PATTERN.exec(text.trim());
  if (!m) throw rulesetErrors.badAsOf(text);
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  if (h === undefined) {
    const day = new Date(Date.UTC(+y, +mo - 1, +d));
    if (day.getUTCDate() !== +d || day.getUTCMonth() !== +mo - 1) throw rulesetErrors.badAsOf(text);
    return `${y}-${mo}-${d} 23:59:59.999999`;
  }
  let offsetMin = 0;
  if (zone && zone.toUpperCase() !== 'Z') {
    const z = zone.replace(':', '');
    offsetMin = (z[0] === '-' ? -1 : 1) * (Number(z.slice(1, 3)) * 60 + Number(z.slice(3, 5)));
  }
  if (+h > 23 || +mi > 59 || +(s ?? 0) > 59) throw rulesetErrors.badAsOf(text);
  const ms = Date.UTC(+y, +mo - 1, +d, +h, +mi, +(s ?? 0)) - offsetMin * 60_000;
  const t = new Date(ms);
  if (Number.isNaN(ms) || new Date(Date.UTC(+y, +mo - 1, +d)).getUTCDate() !== +d) throw rulesetErrors.badAsOf(text);
  const micros = (frac ?? '').padEnd(6, '0').slice(0, 6);
  return `${t.toISOString().slice(0, 19).replace('T', ' ')}.${micros}`;
}

/** `2026-10-31 23:45:02.000000` → `2026-10-31T23:45:02.000000Z` (what `window.end` reads). */
export function asOfIso(normalized: string): string {
  return `${normalized.replace(' ', 'T')}Z`;
}

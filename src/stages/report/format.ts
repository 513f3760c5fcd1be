/**
 * Number formatting for both reports. Everything is fixed precision and locale-free (no
 * toLocaleString), so the same documents always render to the same bytes.
 */

const MINUS = '\u2212';
export const MISSING = '\u2014';

const finite = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);

/** Groups the integer part with commas: 1234567.5 → "1,234,567.5". */
function group(fixed: string): string {
  const negative = fixed.startsWith('-');
  const body = negative ? fixed.slice(1) : fixed;
  const [int, frac] = body.split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? MINUS : ''}${grouped}${frac === undefined ? '' : `.${frac}`}`;
}

/** Avoids "-0.00" when a tiny negative rounds to zero. */
function toFixed(v: number, digits: number): string {
  const s = v.toFixed(digits);
  return /^-0(\.0*)?$/.test(s) ? s.slice(1) : s;
}

/**
 * A count with thousands separators.
 *
 * @example
 * formatInt(48210); // "48,210"
 */
export function formatInt(v: number | null | undefined): string {
  return finite(v) ? group(toFixed(Math.round(v), 0)) : MISSING;
}

/**
 * A number at a fixed number of decimals, grouped.
 *
 * @example
 * formatNumber(0.5, 3); // "0.500"
 */
export function formatNumber(v: number | null | undefined, digits: number): string {
  return finite(v) ? group(toFixed(v, digits)) : MISSING;
}

/**
 * A 0–1 share as a percentage.
 *
 * @example
 * formatPercent(0.2175); // "21.8%"
 */
export function formatPercent(v: number | null | undefined, digits = 1): string {
  return finite(v) ? `${group(toFixed(v * 100, digits))}%` : MISSING;
}

/**
 * An effect size with an explicit sign (typographic minus).
 *
 * @example
 * formatSigned(-0.4213); // "−0.42"
 */
export function formatSigned(v: number | null | undefined, digits = 2): string {
  if (!finite(v)) return MISSING;
  const s = group(toFixed(v, digits));
  return s.startsWith(MINUS) || /^0(\.0*)?$/.test(s) ? s : `+${s}`;
}

/**
 * A ratio such as lift.
 *
 * @example
 * formatRatio(3.104); // "3.10×"
 */
export function formatRatio(v: number | null | undefined): string {
  return finite(v) ? `${group(toFixed(v, 2))}\u00d7` : MISSING;
}

/**
 * A measured value whose magnitude is unknown in advance (feature means): precision follows the
 * magnitude so both 0.42 and 12,480 read naturally, and still depends only on the value.
 *
 * @example
 * formatValue(12480.37); // "12,480"
 */
export function formatValue(v: number | null | undefined): string {
  if (!finite(v)) return MISSING;
  const a = Math.abs(v);
  return group(toFixed(v, a >= 100 ? 0 : a >= 10 ? 1 : 2));
}

/**
 * A duration in milliseconds.
 *
 * @example
 * formatMs(1520); // "1.52 s"
 */
export function formatMs(ms: number | null | undefined): string {
  if (!finite(ms)) return MISSING;
  return ms < 1000 ? `${toFixed(ms, 0)} ms` : `${group(toFixed(ms / 1000, 2))} s`;
}

/**
 * A byte count in binary units.
 *
 * @example
 * formatBytes(2_621_440); // "2.50 MiB"
 */
export function formatBytes(bytes: number | null | undefined): string {
  if (!finite(bytes)) return MISSING;
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes;
  let u = 0;
  while (Math.abs(v) >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${toFixed(v, 0)} B` : `${toFixed(v, 2)} ${units[u]}`;
}

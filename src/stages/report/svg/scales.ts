/** Linear scales and "nice" tick values, shared by the charts. */

export interface Scale {
  (v: number): number;
  readonly domain: readonly [number, number];
}

/**
 * Maps [d0, d1] onto [r0, r1]; a zero-width domain maps to the middle of the range.
 *
 * @example
 * linear([0, 10], [0, 100])(5); // 50
 */
export function linear(domain: readonly [number, number], range: readonly [number, number]): Scale {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const span = d1 - d0;
  const f = (v: number) => (span === 0 ? (r0 + r1) / 2 : r0 + ((v - d0) / span) * (r1 - r0));
  return Object.assign(f, { domain });
}

/** The round step (1, 2 or 5 × 10^n) nearest (in ratio) to the one giving `count` ticks across [lo, hi]. */
function niceStep(lo: number, hi: number, count: number): number {
  const raw = Math.abs(hi - lo) / Math.max(1, count);
  if (raw === 0 || !Number.isFinite(raw)) return 1;
  const power = 10 ** Math.floor(Math.log10(raw));
  const m = raw / power;
  return (m < Math.SQRT2 ? 1 : m < Math.sqrt(10) ? 2 : m < Math.sqrt(50) ? 5 : 10) * power;
}

/**
 * Tick values: round numbers covering [lo, hi].
 *
 * @example
 * ticks(0, 1, 4); // [0, 0.2, 0.4, 0.6, 0.8, 1]
 */
export function ticks(lo: number, hi: number, count: number): number[] {
  const step = niceStep(lo, hi, count);
  const start = Math.ceil(lo / step - 1e-9);
  const end = Math.floor(hi / step + 1e-9);
  // A span too small for doubles to resolve (e.g. 1 .. 1 + 1e-15) makes start/end meaningless
  // and the loop below endless; the axis then shows just its two ends.
  if (!Number.isFinite(start) || !Number.isFinite(end) || end - start > 10 * Math.max(count, 1)) return [lo, hi];
  const out: number[] = [];
  // Multiply rather than accumulate, so ticks are exact multiples of the step.
  for (let i = start; i <= end; i++) out.push(Number((i * step).toPrecision(12)));
  return out;
}

/** [min, max] of the finite values, widened by `pad` of the span on each side. */
export function extent(values: Iterable<number>, pad = 0): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (lo === Infinity) return [0, 1];
  // Values equal up to rounding (a span below ~1e-9 of their size) get the same ±1 axis as equal ones.
  if (hi - lo <= 1e-9 * Math.max(1, Math.abs(lo), Math.abs(hi))) return [lo - 1, hi + 1];
  const p = (hi - lo) * pad;
  return [lo - p, hi + p];
}

/**
 * The evidence the selection rule weighs besides the sweep's scores: the gap statistic per k
 * (gap.ts) and, lazily, how cleanly the clusters of each k's solution split in two (split.ts).
 */
import type { ResolvedConfig } from '../../config/types.js';
import type { Matrix } from '../../core/matrix.js';
import { createRng, type Rng } from '../../core/rng.js';
import { gapReference } from './gap.js';
import type { Evidence } from './select-k.js';
import { splitRatio } from './split.js';
import { sweepSettings, type SweepEntry } from './sweep.js';

/** Reference data sets behind the gap statistic; its standard error shrinks as 1/sqrt of this. */
const GAP_REFERENCES = 5;

/**
 * Gap statistic for k = 1 and every swept k (from the sweep's own fits on `sample`), and a
 * memoised split ratio per swept k.
 */
export function gatherEvidence(sample: Matrix, entries: readonly SweepEntry[], config: ResolvedConfig['cluster'], rng: Rng): Evidence {
  const ks = [1, ...entries.map((e) => e.score.k)];
  // One restart per reference fit: a Gaussian cloud has no local optima worth the restarts.
  const ref = gapReference(sample, ks, { references: GAP_REFERENCES, ...sweepSettings(config), restarts: 1 }, rng.fork());
  const logW = new Array<number>(ref.expectedLogW.length).fill(NaN);
  logW[0] = Math.log(Math.max(totalScatter(sample), Number.MIN_VALUE));
  for (const e of entries) logW[e.score.k - 1] = Math.log(Math.max(e.score.inertia, Number.MIN_VALUE));

  const splitSeed = rng.fork().int(2 ** 31);
  // A split only counts when both halves could be segments of their own.
  const minSize = Math.max(10, Math.ceil(2 * config.minShare * sample.rows));
  const ratios = new Map<number, number>();
  const splitRatioOf = (k: number): number => {
    const known = ratios.get(k);
    if (known !== undefined) return known;
    const e = entries.find((x) => x.score.k === k);
    let min = 1;
    if (e) {
      // Seeded per k, so the ratio of one k does not depend on which others were asked first.
      const r = createRng(splitSeed + k);
      for (let c = 0; c < k; c++) min = Math.min(min, splitRatio(sample, e.labels, c, minSize, r.fork()));
    }
    ratios.set(k, min);
    return min;
  };

  return {
    gap: ref.expectedLogW.map((m, i) => m - logW[i]),
    standardError: ref.standardError,
    splitRatio: splitRatioOf,
  };
}

function totalScatter(m: Matrix): number {
  const { rows: n, cols: d, data } = m;
  let s = 0;
  for (let j = 0; j < d; j++) {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += data[i * d + j];
    mean /= n;
    for (let i = 0; i < n; i++) s += (data[i * d + j] - mean) ** 2;
  }
  return s;
}

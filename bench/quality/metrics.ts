/**
 * Agreement scores for the quality benchmark: ARI against planted segments, NMI against a
 * withheld outcome, and the helper that turns a world's string truth into integer labels.
 *
 * NMI follows scikit-learn's `normalized_mutual_info_score` with its default
 * `average_method='arithmetic'`, including its edge-case conventions, so figures here can be
 * compared with a notebook's.
 */

// The ARI is segmint's own (tested in test/); re-exported so the benchmark imports every score
// from one place. It wants non-negative integer labels, which `labelsOf` and the clusterers give.
export { adjustedRandIndex } from '../../src/stages/cluster/metrics.js';

/**
 * Normalised mutual information, MI / ((H(a) + H(b)) / 2), in natural-log units (the base
 * cancels). Labels may be any numbers; only equality matters.
 *
 * Conventions (scikit-learn's):
 * - both labelings constant (or both empty): 1 — neither splits the data, a perfect match;
 * - MI = 0 otherwise (e.g. exactly one labeling constant): 0;
 * - MI is clipped at 0 against round-off, and the normaliser kept above machine epsilon.
 *
 * @example
 * normalizedMutualInformation([0, 0, 1, 1], [0, 0, 1, 2]); // 0.8
 */
export function normalizedMutualInformation(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  if (b.length !== n) throw new RangeError(`labelings differ in length: ${n} vs ${b.length}`);
  const ia = denseCodes(a);
  const ib = denseCodes(b);
  if (ia.k === ib.k && ia.k <= 1) return 1;

  const table = new Float64Array(ia.k * ib.k);
  for (let i = 0; i < n; i++) table[ia.codes[i] * ib.k + ib.codes[i]]++;
  const rowSums = new Float64Array(ia.k);
  const colSums = new Float64Array(ib.k);
  for (let r = 0; r < ia.k; r++) {
    for (let c = 0; c < ib.k; c++) {
      const v = table[r * ib.k + c];
      rowSums[r] += v;
      colSums[c] += v;
    }
  }

  // MI = Σ p(r,c) · log(p(r,c) / (p(r) p(c))), over the non-empty cells only.
  let mi = 0;
  for (let r = 0; r < ia.k; r++) {
    for (let c = 0; c < ib.k; c++) {
      const v = table[r * ib.k + c];
      if (v > 0) mi += (v / n) * Math.log((v * n) / (rowSums[r] * colSums[c]));
    }
  }
  mi = Math.max(mi, 0);
  if (mi === 0) return 0;

  const normaliser = Math.max((entropy(rowSums, n) + entropy(colSums, n)) / 2, Number.EPSILON);
  return mi / normaliser;
}

/**
 * Integer labels (0..g-1) for `userIds` from a world's string truth. Codes follow the sorted
 * distinct truth values, so the mapping does not depend on the order of `userIds`.
 * Throws when a user has no truth: scoring a user the world never planted would be a bug.
 *
 * @example
 * labelsOf(new Map([['u1', 'b'], ['u2', 'a']]), ['u1', 'u2']); // Int32Array [1, 0]
 */
export function labelsOf(truth: ReadonlyMap<string, string>, userIds: string[]): Int32Array {
  const values = userIds.map((id) => {
    const v = truth.get(id);
    if (v === undefined) throw new Error(`no truth for user ${id}`);
    return v;
  });
  const codes = new Map([...new Set(values)].sort().map((v, i) => [v, i] as const));
  return Int32Array.from(values, (v) => codes.get(v)!);
}

/** Relabels arbitrary numbers as 0..k-1 (in order of first appearance) and counts them. */
function denseCodes(labels: ArrayLike<number>): { codes: Int32Array; k: number } {
  const seen = new Map<number, number>();
  const codes = new Int32Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    let c = seen.get(labels[i]);
    if (c === undefined) {
      c = seen.size;
      seen.set(labels[i], c);
    }
    codes[i] = c;
  }
  return { codes, k: seen.size };
}

/** Shannon entropy (nats) of a partition given its part sizes. */
function entropy(sizes: Float64Array, n: number): number {
  let h = 0;
  for (const s of sizes) if (s > 0) h -= (s / n) * Math.log(s / n);
  return h;
}

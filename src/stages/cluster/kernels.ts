/**
 * The k-means hot loops over fixed chunks of rows, written so the same code runs on the main
 * thread or, stringified ({@link KERNEL_SOURCE}), in worker threads (pool.ts). So these
 * functions use no imports and no module variables: only their arguments, each other, `Math` and
 * literals.
 *
 * Chunks are fixed-size and every per-chunk partial result is combined in chunk order, so the
 * result never depends on how many threads ran the chunks, or which.
 */

/** Rows per chunk. */
export const CHUNK = 4096;

export const KERNEL = {
  /** Nearest centre and fresh Hamerly bounds for every row (first Lloyd step). */
  assignAll: 0,
  /**
   * Hamerly-bounded assignment (later Lloyd steps); bounds loosened by the last moves. Rows that
   * change cluster are listed per chunk (moved, movedFrom, movedCount) for the sums update.
   */
  assignBounded: 1,
  /** k-means++: each chunk's potential under each candidate (on every stride-th row), into chunkPot. */
  potentials: 2,
  /** k-means++: record the chosen candidate as nearest centre where it is. */
  commit: 3,
} as const;

/** Slots of `Buffers.scalars`. */
export const S = { n: 0, d: 1, k: 2, maxMoveAt: 3, maxMove: 4, secondMove: 5, placed: 6, trials: 7, chosen: 8, stride: 9 } as const;

/** Everything a kernel reads or writes (SharedArrayBuffer-backed when threads are used). */
export interface Buffers {
  readonly data: Float64Array;
  readonly centres: Float64Array;
  readonly labels: Int32Array;
  readonly upper: Float64Array;
  readonly lower: Float64Array;
  readonly half: Float64Array;
  readonly move: Float64Array;
  readonly closest: Float64Array;
  readonly nearest: Int32Array;
  readonly candidates: Int32Array;
  /** Lloyd: rows that changed cluster in the last assignment, listed from each chunk's first row. */
  readonly moved: Int32Array;
  /** Lloyd: the cluster each listed row left. */
  readonly movedFrom: Int32Array;
  /** Lloyd: how many rows of each chunk are listed. */
  readonly movedCount: Int32Array;
  /** Seeding: gaps[t * placed + c] = squared distance from candidate t to centre c. */
  readonly gaps: Float64Array;
  /** Seeding: chunkPot[chunk * trials + t]. */
  readonly chunkPot: Float64Array;
  readonly scalars: Float64Array;
}

/**
 * Runs kernel `kind` on rows [chunk · CHUNK, (chunk + 1) · CHUNK) of `b.data`.
 * Distances are summed left to right (bit-identical to ml-distance-euclidean's), and ties go to
 * the lowest centre index, as in ml-nearest-vector.
 */
export function runKernel(kind: number, chunk: number, b: Buffers): void {
  const n = b.scalars[0] | 0;
  const start = chunk * 4096; // CHUNK
  const end = Math.min(n, start + 4096);
  if (kind === 0) kernelAssignAll(start, end, b);
  else if (kind === 1) kernelAssignBounded(start, end, chunk, b);
  else if (kind === 2) kernelPotentials(start, end, chunk, b);
  else if (kind === 3) kernelCommit(start, end, b);
}

/** Squared Euclidean distance, unrolled by four but summed strictly left to right. */
function dist(x: Float64Array, xi: number, y: Float64Array, yi: number, d: number): number {
  let acc = 0;
  let j = 0;
  for (; j + 3 < d; j += 4) {
    const t0 = x[xi + j] - y[yi + j];
    const t1 = x[xi + j + 1] - y[yi + j + 1];
    const t2 = x[xi + j + 2] - y[yi + j + 2];
    const t3 = x[xi + j + 3] - y[yi + j + 3];
    acc += t0 * t0;
    acc += t1 * t1;
    acc += t2 * t2;
    acc += t3 * t3;
  }
  for (; j < d; j++) {
    const t = x[xi + j] - y[yi + j];
    acc += t * t;
  }
  return acc;
}

/**
 * dist, except that it may stop early and return any partial sum ≥ `limit` once the sum has
 * reached it (the terms are non-negative, so the full sum would be ≥ `limit` too). Below the
 * limit it returns exactly what dist returns. Most candidates are far, so most sums stop after
 * a few dimensions ("partial distance search").
 */
function distBelow(x: Float64Array, xi: number, y: Float64Array, yi: number, d: number, limit: number): number {
  let acc = 0;
  let j = 0;
  for (; j + 3 < d; j += 4) {
    const t0 = x[xi + j] - y[yi + j];
    const t1 = x[xi + j + 1] - y[yi + j + 1];
    const t2 = x[xi + j + 2] - y[yi + j + 2];
    const t3 = x[xi + j + 3] - y[yi + j + 3];
    acc += t0 * t0;
    acc += t1 * t1;
    acc += t2 * t2;
    acc += t3 * t3;
    if (acc >= limit) return acc;
  }
  for (; j < d; j++) {
    const t = x[xi + j] - y[yi + j];
    acc += t * t;
  }
  return acc;
}

/** Exact nearest centre of row i (ties to the lowest index) and fresh Hamerly bounds. */
function assignExact(
  i: number,
  data: Float64Array,
  centres: Float64Array,
  labels: Int32Array,
  upper: Float64Array,
  lower: Float64Array,
  d: number,
  k: number,
): void {
  const off = i * d;
  let best = 0;
  // Same start value and strict comparison as ml-nearest-vector, so ties resolve identically.
  let bestDist = Number.MAX_VALUE;
  let second = Infinity;
  for (let c = 0; c < k; c++) {
    // A centre at least as far as the second best so far changes neither best nor second.
    const v = distBelow(data, off, centres, c * d, d, second);
    if (v < bestDist) {
      if (bestDist !== Number.MAX_VALUE) second = bestDist;
      bestDist = v;
      best = c;
    } else if (v < second) {
      second = v;
    }
  }
  labels[i] = best;
  upper[i] = Math.sqrt(bestDist);
  lower[i] = Math.sqrt(second);
}

function kernelAssignAll(start: number, end: number, b: Buffers): void {
  const d = b.scalars[1] | 0;
  const k = b.scalars[2] | 0;
  const { data, centres, labels, upper, lower } = b;
  for (let i = start; i < end; i++) assignExact(i, data, centres, labels, upper, lower, d, k);
}

function kernelAssignBounded(start: number, end: number, chunk: number, b: Buffers): void {
  // Bounds only let a point skip when its own centre is closer by this relative margin, so
  // rounding in the bounds can never make the result differ from plain Lloyd on a near tie.
  const SAFE = 1 + 1e-9;
  // Relative slack added at every bound update, to absorb the rounding of the update itself.
  const DRIFT = 1e-11;
  const s = b.scalars;
  const d = s[1] | 0;
  const k = s[2] | 0;
  const maxMoveAt = s[3] | 0;
  const maxMove = s[4];
  const secondMove = s[5];
  const data = b.data;
  const centres = b.centres;
  const labels = b.labels;
  const upper = b.upper;
  const lower = b.lower;
  const half = b.half;
  const move = b.move;
  const moved = b.moved;
  const movedFrom = b.movedFrom;
  let count = 0;
  for (let i = start; i < end; i++) {
    const a = labels[i];
    // Loosen the bounds by how far the centres moved (triangle inequality).
    const up = upper[i] + move[a];
    const other = a === maxMoveAt ? secondMove : maxMove;
    const lo = lower[i] - other - DRIFT * (lower[i] + other);
    const u0 = up + DRIFT * up;
    upper[i] = u0;
    lower[i] = lo;
    const bound = half[a] > lo ? half[a] : lo;
    if (u0 * SAFE < bound) continue;
    const u = Math.sqrt(dist(data, i * d, centres, a * d, d));
    upper[i] = u;
    if (u * SAFE < bound) continue;
    assignExact(i, data, centres, labels, upper, lower, d, k);
    if (labels[i] !== a) {
      moved[start + count] = i;
      movedFrom[start + count] = a;
      count++;
    }
  }
  b.movedCount[chunk] = count;
}

function kernelPotentials(start: number, end: number, chunk: number, b: Buffers): void {
  const s = b.scalars;
  const d = s[1] | 0;
  const placed = s[6] | 0;
  const trials = s[7] | 0;
  const stride = s[9] | 0;
  const data = b.data;
  const closest = b.closest;
  const nearest = b.nearest;
  const gaps = b.gaps;
  const cand = b.candidates;
  // Only every stride-th row counts (rows 0, stride, 2·stride, … of the whole matrix).
  const first = Math.ceil(start / stride) * stride;
  for (let t = 0; t < trials; t++) {
    const off = cand[t] * d;
    const g = t * placed;
    let pot = 0;
    for (let i = first; i < end; i += stride) {
      const cl = closest[i];
      // A candidate at least twice as far from a point's centre as the point itself cannot be
      // nearer to the point (triangle inequality): skip the distance.
      if (gaps[g + nearest[i]] >= 4 * cl) {
        pot += cl;
      } else {
        const v = distBelow(data, i * d, data, off, d, cl);
        pot += v < cl ? v : cl;
      }
    }
    b.chunkPot[chunk * trials + t] = pot;
  }
}

function kernelCommit(start: number, end: number, b: Buffers): void {
  const s = b.scalars;
  const d = s[1] | 0;
  const placed = s[6] | 0;
  const off = (s[8] | 0) * d;
  const data = b.data;
  const closest = b.closest;
  const nearest = b.nearest;
  const gaps = b.gaps;
  for (let i = start; i < end; i++) {
    const cl = closest[i];
    if (gaps[nearest[i]] >= 4 * cl) continue;
    const v = distBelow(data, i * d, data, off, d, cl);
    if (v < cl) {
      closest[i] = v;
      nearest[i] = placed;
    }
  }
}

/** The kernels as JavaScript source, for worker threads (defines `runKernel`). */
export const KERNEL_SOURCE = [dist, distBelow, assignExact, kernelAssignAll, kernelAssignBounded, kernelPotentials, kernelCommit, runKernel]
  .map((f) => f.toString())
  .join('\n');

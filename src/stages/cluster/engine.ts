/**
 * The k-means engine proper: whole restarts — greedy k-means++ seeding, then Lloyd iterations
 * accelerated with Hamerly's bounds — on one thread, over a row-major Float64Array.
 *
 * A restart never depends on which thread runs it: its random draws are handed in (drawn from
 * the caller's Rng beforehand) and every sum runs in row order. So restarts can run on any number
 * of threads (pool.ts) and the best one, by inertia then restart index, is the same.
 * The same code runs on the calling thread and, stringified ({@link ENGINE_SOURCE}), in worker
 * threads: these functions use no imports and no module variables — only their arguments, each
 * other, `Math` and literals.
 *
 * Lloyd is defined exactly like ml-kmeans v7 so the two can be compared: each step assigns every
 * point to its nearest centre (ties to the lowest index), recomputes the centres as means, and
 * stops when no centre moved by more than `tolerance` in *squared* Euclidean distance, or after
 * `maxIterations` steps. The labels returned are those of the last assignment; the centres are
 * the means of those labels, summed in row order like ml-kmeans so the final bits agree.
 * Between iterations the per-cluster sums are updated only for points that changed cluster
 * (the rest are most of them, so a full pass would dominate); that differs from a fresh sum by
 * rounding in the last bits only. The one deliberate difference: a centre left without points is
 * re-seeded at the point farthest from its own centre (ml-kmeans leaves it where it was, which
 * wastes a cluster).
 *
 * Hamerly's bounds are kept lazily: each point stores its upper bound minus its centre's
 * cumulative movement and its lower bound plus the cumulative "largest movement of any other
 * centre", both as of when they were last computed. The bound test then only reads, and a point
 * far from every boundary costs a few loads per iteration — which is what the long tail of
 * iterations in a slowly settling local optimum consists of. A point whose bounds fail is
 * reassigned with Elkan's centre-to-centre test (reassign). Hamerly's one lower bound per point
 * rather than Elkan's k: segments live in few dimensions (PCA scores) and k is small, where
 * Hamerly's cheaper bookkeeping wins (Hamerly 2010; Newling & Fleuret 2016), and k bounds per
 * point would cost n · k memory per thread. Alternatives measured on bench/kmeans.ts's blobs:
 * tracking each row's second-nearest seed during seeding (tighter first bounds) cost the seeding
 * as much as it saved Lloyd; keeping Elkan's triangle bounds as a point's lower bound saved work
 * in the second step and lost more in the later ones.
 */

/** One k-means problem, shared by every restart of a call. */
export interface Job {
  readonly data: Float64Array;
  readonly n: number;
  readonly d: number;
  readonly k: number;
  /**
   * Uniform draws in [0, 1): restart r uses per = 1 + (k − 1) · trials of them from r · per on
   * (the first centre, then one per candidate per later centre; kmeans.ts's drawsPerSeeding).
   */
  readonly uniforms: Float64Array;
  /** k-means++ candidates per centre after the first. */
  readonly trials: number;
  /** Infinity for no limit. */
  readonly maxIterations: number;
  readonly tolerance: number;
}

/** A thread's working rows (exactly n long). Seeding leaves nearest/closest² in labels/upper. */
export interface Scratch {
  readonly labels: Int32Array;
  readonly upper: Float64Array;
  readonly lower: Float64Array;
}

/** A thread's best restart so far. stats = [restart (−1: none yet), inertia, iterations, converged (0/1), reseeded]. */
export interface Outcome {
  readonly labels: Int32Array;
  readonly centres: Float64Array;
  readonly stats: Float64Array;
}

/** Called after every update step with that step's labels and new centres (working buffers: read only). */
export type IterationHook = (iteration: number, labels: Int32Array, centres: Float64Array) => void;

export interface RunStats {
  readonly inertia: number;
  readonly iterations: number;
  readonly converged: boolean;
  readonly reseeded: number;
}

/**
 * Runs the restarts `claim()` hands out (−1: none left), keeping the best (lowest inertia, then
 * lowest restart index) in `out`. `tick` is called now and then to show the thread is alive.
 */
export function runClaimed(job: Job, claim: () => number, s: Scratch, out: Outcome, hook: IterationHook | null, tick: () => void): void {
  const kd = job.k * job.d;
  for (let r = claim(); r >= 0; r = claim()) {
    const centres = new Float64Array(kd);
    const res = runRestart(job, r, s, centres, hook, tick);
    const st = out.stats;
    if (st[0] < 0 || res.inertia < st[1] || (res.inertia === st[1] && r < st[0])) {
      out.labels.set(s.labels);
      out.centres.set(centres);
      st[0] = r;
      st[1] = res.inertia;
      st[2] = res.iterations;
      st[3] = res.converged ? 1 : 0;
      st[4] = res.reseeded;
    }
  }
}

/** Restart r: seeds with its draws, runs Lloyd, leaves its labels in s.labels and centres in `centres`. */
export function runRestart(job: Job, r: number, s: Scratch, centres: Float64Array, hook: IterationHook | null, tick: () => void): RunStats {
  const per = 1 + (job.k - 1) * job.trials;
  const sums = new Float64Array(job.k * job.d);
  const counts = new Int32Array(job.k);
  seedCentres(job.data, job.n, job.d, job.k, job.trials, job.uniforms, r * per, centres, s.upper, s.labels, s.lower, sums, counts, tick);
  return lloyd(job, s, centres, { sums, counts }, hook, tick);
}

/**
 * Greedy k-means++ (Arthur & Vassilvitskii 2007, with the "greedy" trials of scikit-learn and
 * ml-kmeans): each new centre is the best of `trials` candidates drawn with probability
 * proportional to the squared distance to the nearest centre so far, "best" meaning the one that
 * lowers the total potential most. The potential is estimated on every stride-th row, at most
 * about 16,384 rows (kmeans.ts's POTENTIAL_ROWS): the best candidate is usually far better than
 * the others, so the estimate picks the same one while the comparison stops growing with n;
 * every row still counts when the chosen centre is committed. Potentials are summed per chunk
 * of 4,096 rows, then over chunks: a fixed order, so the chosen candidates depend on nothing but
 * the data and the draws.
 *
 * Leaves in closest/nearest each row's squared distance to its nearest seed and which seed that
 * is (ties to the lowest index): exactly Lloyd's first assignment, which lloyd() then reuses.
 * With `sums`/`counts`, the last pass also adds every row to its nearest seed's sum, in row
 * order, which saves Lloyd's first step a pass over the data. `cum` is scratch for the running
 * sums of closest.
 */
export function seedCentres(
  data: Float64Array,
  n: number,
  d: number,
  k: number,
  trials: number,
  u: Float64Array,
  at: number,
  centres: Float64Array,
  closest: Float64Array,
  nearest: Int32Array,
  cum: Float64Array,
  sums: Float64Array | null,
  counts: Int32Array | null,
  tick: () => void,
): void {
  if (n === 0) return;
  const first = Math.floor(u[at] * n);
  for (let j = 0; j < d; j++) centres[j] = data[first * d + j];
  // The rows the candidates' potentials are measured on (every stride-th), copied together as
  // the first pass goes by, so that measuring reads memory in order.
  const stride = Math.max(1, Math.ceil(n / 16384));
  const m = Math.ceil(n / stride);
  const sub = new Float64Array(m * d);
  const subClosest = new Float64Array(m);
  const subNearest = new Int32Array(m);
  // The first centre is every row's nearest.
  let acc = 0;
  for (let i = 0, r = 0; i < n; i++) {
    let v = dist(data, i * d, data, first * d, d);
    if (!(v < Infinity)) v = Infinity;
    closest[i] = v;
    nearest[i] = 0;
    acc += v;
    cum[i] = acc;
    if (i === r * stride) {
      for (let j = 0; j < d; j++) sub[r * d + j] = data[i * d + j];
      subClosest[r] = v;
      r++;
    }
  }
  if (k === 1 && sums !== null && counts !== null) sumByCluster(data, n, d, nearest, sums, counts);

  const cand = new Int32Array(trials);
  const candRows = new Float64Array(trials * d);
  const gaps = new Float64Array(trials * k);
  const pots = new Float64Array(trials);
  const parts = new Float64Array(trials);
  const chosenGaps = new Float64Array(k);
  for (let c = 1; c < k; c++) {
    tick();
    const total = acc;
    for (let t = 0; t < trials; t++) {
      const x = u[at + 1 + (c - 1) * trials + t];
      // When every point already sits on a centre (fewer distinct points than k) the
      // distribution is degenerate; fall back to a uniform draw so the seeding still completes.
      cand[t] = total > 0 ? searchCumulative(cum, n, x * total) : Math.floor(x * n);
      for (let j = 0; j < d; j++) candRows[t * d + j] = data[cand[t] * d + j];
      for (let p = 0; p < c; p++) gaps[t * c + p] = dist(candRows, t * d, centres, p * d, d);
    }
    // Every candidate's potential, row by row (each row once for all candidates), summed per
    // chunk of 4,096 rows of the whole matrix, then over chunks.
    pots.fill(0);
    for (let start = 0; start < n; start += 4096) {
      const end = Math.ceil(Math.min(n, start + 4096) / stride);
      parts.fill(0);
      for (let r = Math.ceil(start / stride); r < end; r++) {
        const cl = subClosest[r];
        const near = subNearest[r];
        for (let t = 0; t < trials; t++) {
          // A candidate at least twice as far from a point's centre as the point itself cannot
          // be nearer to the point (triangle inequality): skip the distance.
          if (gaps[t * c + near] >= 4 * cl) {
            parts[t] += cl;
          } else {
            const v = distBelow(sub, r * d, candRows, t * d, d, cl);
            parts[t] += v < cl ? v : cl;
          }
        }
      }
      for (let t = 0; t < trials; t++) pots[t] += parts[t];
    }
    let best = 0;
    for (let t = 1; t < trials; t++) if (pots[t] < pots[best]) best = t;

    for (let j = 0; j < d; j++) centres[c * d + j] = candRows[best * d + j];
    for (let p = 0; p < c; p++) chosenGaps[p] = dist(centres, c * d, centres, p * d, d);
    const last = c === k - 1 && sums !== null && counts !== null;
    acc = commitSeed(data, n, d, c, centres, chosenGaps, closest, nearest, cum, last ? sums : null, last ? counts : null);
    for (let r = 0; r < m; r++) {
      subClosest[r] = closest[r * stride];
      subNearest[r] = nearest[r * stride];
    }
  }
}

/**
 * Records centre c as nearest where it is, and the running sums of closest in `cum`; returns
 * their total. With `sums`/`counts`, also sums every row into its nearest centre's sum.
 */
function commitSeed(
  data: Float64Array,
  n: number,
  d: number,
  c: number,
  centres: Float64Array,
  chosenGaps: Float64Array,
  closest: Float64Array,
  nearest: Int32Array,
  cum: Float64Array,
  sums: Float64Array | null,
  counts: Int32Array | null,
): number {
  const off = c * d;
  let acc = 0;
  for (let i = 0; i < n; i++) {
    const cl = closest[i];
    // The triangle inequality again: a centre at least twice as far from the row's nearest
    // centre as the row itself cannot be nearer.
    if (chosenGaps[nearest[i]] >= 4 * cl) {
      acc += cl;
    } else {
      const v = distBelow(data, i * d, centres, off, d, cl);
      if (v < cl) {
        closest[i] = v;
        nearest[i] = c;
        acc += v;
      } else {
        acc += cl;
      }
    }
    cum[i] = acc;
    if (sums !== null && counts !== null) {
      const a = nearest[i];
      counts[a]++;
      const to = a * d;
      const src = i * d;
      for (let j = 0; j < d; j++) sums[to + j] += data[src + j];
    }
  }
  return acc;
}

/** First index whose running sum exceeds `target` (rows of weight zero are never chosen). */
export function searchCumulative(cum: Float64Array, n: number, target: number): number {
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cum[mid] > target) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Per-cluster sums (k × d) and sizes. */
export interface ClusterSums {
  readonly sums: Float64Array;
  readonly counts: Int32Array;
}

/**
 * Lloyd from `centres` (k × d, updated in place to the final centres). With `seeded` (the
 * seeding's sums), the first assignment is taken from the seeding (labels = nearest seed,
 * upper = its squared distance).
 */
export function lloyd(job: Job, s: Scratch, centres: Float64Array, seeded: ClusterSums | null, hook: IterationHook | null, tick: () => void): RunStats {
  // Bounds only let a point skip when its own centre is closer by this relative margin, so
  // rounding in the bounds can never make the result differ from plain Lloyd on a near tie.
  const SAFE = 1 + 1e-9;
  const { data, n, d, k, maxIterations, tolerance } = job;
  const { labels, upper, lower } = s;
  const next = new Float64Array(k * d);
  const sums = seeded !== null ? seeded.sums : new Float64Array(k * d);
  const counts = seeded !== null ? seeded.counts : new Int32Array(k);
  const half = new Float64Array(k);
  const pairs = new Float64Array(k * k);
  const order = new Int32Array(k * k);
  // Cumulative movement of each centre, and of the largest move of any *other* centre.
  const ownMoves = new Float64Array(k);
  const otherMoves = new Float64Array(k);
  // Per centre for the bound test: slack for the rounding of the stored bounds and cumulative
  // movements, and ownMoves · SAFE + slack.
  const slack = new Float64Array(k);
  const reach = new Float64Array(k);

  let iterations = 0;
  let converged = false;
  let reseeded = 0;
  while (!converged && iterations < maxIterations) {
    iterations++;
    tick();
    halfGaps(centres, k, d, half, pairs, order);

    // 1. Assignment, with the per-cluster sums kept up to date.
    if (iterations === 1) {
      if (seeded !== null) {
        // The lower bound from the triangle inequality: another seed is at least (its distance
        // to the own seed) − (the row's distance to the own seed) away; a little slack for
        // rounding, as everywhere the bounds are derived rather than measured.
        for (let i = 0; i < n; i++) {
          const a = labels[i];
          const up = Math.sqrt(upper[i]);
          upper[i] = up;
          lower[i] = 2 * half[a] - up - 1e-11 * (2 * half[a] + up);
        }
      } else {
        for (let i = 0; i < n; i++) assignExact(i, data, centres, labels, upper, lower, d, k, ownMoves, otherMoves);
        sumByCluster(data, n, d, labels, sums, counts);
      }
    } else {
      for (let c = 0; c < k; c++) {
        slack[c] = 1e-12 * (ownMoves[c] + otherMoves[c]);
        reach[c] = ownMoves[c] * SAFE + slack[c];
      }
      // With one centre every row stays where it is.
      if (k > 1) assignBounded(data, n, d, k, centres, labels, upper, lower, half, pairs, order, ownMoves, otherMoves, slack, reach, sums, counts);
    }

    // 2. Update: the means (an empty cluster keeps its centre, as in ml-kmeans, until re-seeded).
    let empties = 0;
    for (let c = 0; c < k; c++) {
      const off = c * d;
      const m = counts[c];
      if (m === 0) {
        empties++;
        for (let j = 0; j < d; j++) next[off + j] = centres[off + j];
      } else {
        for (let j = 0; j < d; j++) next[off + j] = sums[off + j] / m;
      }
    }
    const moved = empties > 0 ? reseedEmpty(data, n, d, k, labels, Int32Array.from(counts), next) : 0;
    reseeded += moved;

    // 3. Convergence, measured like ml-kmeans: squared movement of every centre. The moves also
    //    loosen the bounds: a point's own centre by its move, the others by the largest other.
    converged = moved === 0;
    let maxMove = 0;
    let maxMoveAt = -1;
    let secondMove = 0;
    for (let c = 0; c < k; c++) {
      const m2 = dist(next, c * d, centres, c * d, d);
      if (m2 > tolerance) converged = false;
      const m = Math.sqrt(m2);
      ownMoves[c] += m;
      if (m > maxMove) {
        secondMove = maxMove;
        maxMove = m;
        maxMoveAt = c;
      } else if (m > secondMove) {
        secondMove = m;
      }
    }
    for (let c = 0; c < k; c++) otherMoves[c] += c === maxMoveAt ? secondMove : maxMove;
    centres.set(next);
    if (hook !== null) hook(iterations, labels, centres);
  }

  // The running sums drift from a fresh sum by rounding only; recompute the final centres as
  // plain means summed in row order, exactly as ml-kmeans computes them.
  if (iterations > 1) {
    sumByCluster(data, n, d, labels, sums, counts);
    for (let c = 0; c < k; c++) {
      const m = counts[c];
      if (m > 0) for (let j = 0; j < d; j++) centres[c * d + j] = sums[c * d + j] / m;
    }
  }
  let inertia = 0;
  for (let i = 0; i < n; i++) inertia += dist(data, i * d, centres, labels[i] * d, d);
  return { inertia, iterations, converged, reseeded };
}

/**
 * A Lloyd assignment step with Hamerly's bounds: only rows whose bounds no longer prove their
 * centre nearest are measured. Rows that change cluster move their coordinates between the
 * clusters' sums right away, in row order.
 */
function assignBounded(
  data: Float64Array,
  n: number,
  d: number,
  k: number,
  centres: Float64Array,
  labels: Int32Array,
  upper: Float64Array,
  lower: Float64Array,
  half: Float64Array,
  pairs: Float64Array,
  order: Int32Array,
  ownMoves: Float64Array,
  otherMoves: Float64Array,
  slack: Float64Array,
  reach: Float64Array,
  sums: Float64Array,
  counts: Int32Array,
): void {
  const SAFE = 1 + 1e-9;
  for (let i = 0; i < n; i++) {
    const a = labels[i];
    // Current bounds: upper ≤ stored + own movement since; lower ≥ stored − others' since.
    // The point keeps its centre if upper < max(half gap, lower). The max is computed without a
    // branch: which of the two is larger varies from row to row, and a mispredicted branch on a
    // third of the rows costs more than the rest of the test. It may exceed the true max by an
    // ulp, which SAFE absorbs.
    const lo = lower[i] - otherMoves[a];
    const h = half[a];
    const bound = 0.5 * (h + lo + Math.abs(h - lo));
    if (upper[i] * SAFE + reach[a] < bound) continue;
    const own = dist(data, i * d, centres, a * d, d);
    const up = Math.sqrt(own);
    upper[i] = up - ownMoves[a];
    if (up * SAFE + slack[a] < bound) continue;
    const b = reassign(i, a, own, data, centres, pairs, order, labels, upper, lower, d, k, ownMoves, otherMoves);
    if (b !== a) {
      const src = i * d;
      const from = a * d;
      const to = b * d;
      for (let j = 0; j < d; j++) {
        sums[from + j] -= data[src + j];
        sums[to + j] += data[src + j];
      }
      counts[a]--;
      counts[b]++;
    }
  }
}

/**
 * Exact nearest centre of row i (ties to the lowest index) given its exact squared distance
 * `own` to its current centre a, with fresh bounds: upper = the distance to the nearest, lower =
 * the distance to the runner-up. The other centres are tried nearest to a first (`order`), so the
 * runner-up is usually found at once; after that, Elkan's triangle test skips every centre c
 * that can be neither: d(x, c) ≥ 2 · half(best, c) − d(x, best), which is often already beyond
 * the runner-up. Returns the new label.
 */
function reassign(
  i: number,
  a: number,
  own: number,
  data: Float64Array,
  centres: Float64Array,
  pairs: Float64Array,
  order: Int32Array,
  labels: Int32Array,
  upper: Float64Array,
  lower: Float64Array,
  d: number,
  k: number,
  ownMoves: Float64Array,
  otherMoves: Float64Array,
): number {
  const SAFE = 1 + 1e-9;
  const off = i * d;
  let best = a;
  let bestDist = own;
  let bestRoot = Math.sqrt(own);
  // Squared distance to the nearest centre other than best, among those measured.
  let second = Infinity;
  for (let t = a * k + 1, end = a * k + k; t < end; t++) {
    const c = order[t];
    // Farther than both best and runner-up (margins for rounding): nothing to learn.
    const lb = (2 * pairs[best * k + c] - bestRoot) * (1 - 1e-9);
    if (lb > bestRoot * SAFE && lb * lb > second) continue;
    let v = distBelow(data, off, centres, c * d, d, second);
    // A tie goes to the lower index: only then is a partial sum equal to bestDist ambiguous.
    if (v === bestDist && c < best) v = dist(data, off, centres, c * d, d);
    if (v < bestDist || (v === bestDist && c < best)) {
      second = bestDist;
      best = c;
      bestDist = v;
      bestRoot = Math.sqrt(v);
    } else if (v < second) {
      second = v;
    }
  }
  labels[i] = best;
  upper[i] = bestRoot - ownMoves[best];
  lower[i] = Math.sqrt(second) + otherMoves[best];
  return best;
}

/**
 * Exact nearest centre of row i (ties to the lowest index, as ml-nearest-vector), with fresh
 * bounds stored relative to the new centre's cumulative movements. Returns the new label.
 */
function assignExact(
  i: number,
  data: Float64Array,
  centres: Float64Array,
  labels: Int32Array,
  upper: Float64Array,
  lower: Float64Array,
  d: number,
  k: number,
  ownMoves: Float64Array,
  otherMoves: Float64Array,
): number {
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
  upper[i] = Math.sqrt(bestDist) - ownMoves[best];
  lower[i] = Math.sqrt(second) + otherMoves[best];
  return best;
}

/** sums[c]: the sum of cluster c's points, in row order; counts[c]: its size. */
function sumByCluster(data: Float64Array, n: number, d: number, labels: Int32Array, sums: Float64Array, counts: Int32Array): void {
  sums.fill(0);
  counts.fill(0);
  for (let i = 0; i < n; i++) {
    const a = labels[i];
    counts[a]++;
    const off = a * d;
    const src = i * d;
    for (let j = 0; j < d; j++) sums[off + j] += data[src + j];
  }
}

/**
 * pairs[a · k + b]: half the distance between centres a and b; half[c]: half the distance from
 * centre c to its nearest other centre (Infinity when k = 1); order[a · k ..]: a, then the other
 * centres by distance from a (ties by index).
 */
function halfGaps(centres: Float64Array, k: number, d: number, half: Float64Array, pairs: Float64Array, order: Int32Array): void {
  half.fill(Infinity);
  for (let a = 0; a < k; a++) {
    pairs[a * k + a] = 0;
    for (let b = a + 1; b < k; b++) {
      const g = 0.5 * Math.sqrt(dist(centres, a * d, centres, b * d, d));
      pairs[a * k + b] = g;
      pairs[b * k + a] = g;
      if (g < half[a]) half[a] = g;
      if (g < half[b]) half[b] = g;
    }
  }
  // Insertion sort per row: k is small.
  for (let a = 0; a < k; a++) {
    const row = a * k;
    for (let t = 0; t < k; t++) {
      const c = t;
      let u = t;
      while (u > 0 && (pairs[row + order[row + u - 1]] > pairs[row + c] || (pairs[row + order[row + u - 1]] === pairs[row + c] && order[row + u - 1] > c))) {
        order[row + u] = order[row + u - 1];
        u--;
      }
      order[row + u] = c;
    }
  }
}

/**
 * Moves each empty centre onto the point farthest from its own (new) centre, taken only from
 * clusters that keep at least one point; ties go to the lowest row. Returns how many moved.
 */
function reseedEmpty(data: Float64Array, n: number, d: number, k: number, labels: Int32Array, counts: Int32Array, centres: Float64Array): number {
  const far = new Float64Array(n);
  for (let i = 0; i < n; i++) far[i] = dist(data, i * d, centres, labels[i] * d, d);
  let moved = 0;
  for (let c = 0; c < k; c++) {
    if (counts[c] !== 0) continue;
    let pick = -1;
    let pickDist = 0;
    for (let i = 0; i < n; i++) {
      if (far[i] > pickDist && counts[labels[i]] > 1) {
        pickDist = far[i];
        pick = i;
      }
    }
    // Every point sits on its centre: fewer distinct points than k, nothing to split.
    if (pick < 0) continue;
    for (let j = 0; j < d; j++) centres[c * d + j] = data[pick * d + j];
    counts[labels[pick]]--;
    counts[c] = 1;
    far[pick] = -1;
    moved++;
  }
  return moved;
}

/**
 * Squared Euclidean distance, unrolled by four but summed strictly left to right, so the result
 * is bit-identical to ml-distance-euclidean's. Also exported as distance.ts's sqDist.
 */
export function dist(x: Float64Array, xi: number, y: Float64Array, yi: number, d: number): number {
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
export function distBelow(x: Float64Array, xi: number, y: Float64Array, yi: number, d: number, limit: number): number {
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

/** The engine as JavaScript source, for worker threads (defines `runClaimed` and its helpers). */
export const ENGINE_SOURCE = [
  runClaimed,
  runRestart,
  seedCentres,
  commitSeed,
  searchCumulative,
  lloyd,
  assignBounded,
  reassign,
  assignExact,
  sumByCluster,
  halfGaps,
  reseedEmpty,
  dist,
  distBelow,
]
  .map((f) => f.toString())
  .join('\n');

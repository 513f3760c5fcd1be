/**
 * k-means: segmint's engine against ml-kmeans on the same generated blobs, same k, same number
 * of k-means++ restarts, same iteration limit and tolerance (ml-kmeans has no restarts option: it
 * is called once per restart with its own seed, keeping the lowest inertia, as segmint does
 * internally). Converting the matrix to ml-kmeans' arrays of rows is not timed.
 *
 * 1. 200k × 20, k = 8, 3 restarts: `reps` repetitions, repetition r seeding both engines
 *    differently (segmint createRng(r + 1); ml-kmeans seeds 3r + 1 … 3r + 3), so the medians
 *    cover seeding luck as well as timing noise. Wall and CPU time (CPU: all threads of the
 *    process), for segmint on one thread and with its restarts on two.
 * 2. Lloyd alone from the same initial centres, both engines: identical labels and iteration
 *    counts, so the ratio is the engine's own.
 * 3. 1M × 30, k = 8, 3 restarts, each engine in its own process (bench/kmeans-child.ts) so its
 *    peak resident memory is its own: segmint (two threads, the points in a SharedArrayBuffer),
 *    segmint's mini-batch k-means, and ml-kmeans when it finishes within a time limit.
 *
 *   node --import tsx bench/kmeans.ts [rows] [cols] [k] [restarts]
 *
 * SEGMINT_BENCH_ML_1M_SECONDS (default 300; 0 skips it) bounds the ml-kmeans 1M × 30 run.
 */
import { spawnSync } from 'node:child_process';
import { kmeans as mlKmeans } from 'ml-kmeans';
import { kmeans, type KMeansResult } from '../src/stages/cluster/kmeans.js';
import { seedingTrials } from '../src/stages/cluster/kmeans.js';
import { kmeansPlusPlus } from '../src/stages/cluster/seeding.js';
import { createThreadPool } from '../src/stages/cluster/pool.js';
import { toRows, type Matrix } from '../src/core/matrix.js';
import { createRng } from '../src/core/rng.js';
import { benchBlobs } from './blobs.js';

export interface KmeansFigures {
  rows: number;
  cols: number;
  k: number;
  restarts: number;
  reps: number;
  /** k-means++ candidates per centre: segmint's (compared on a subsample) and ml-kmeans' (2 + ⌊ln k⌋, on all rows). */
  candidates: { segmint: number; mlKmeans: number };
  segmint: Runs;
  /** The same fits with the restarts on two threads (results identical by construction; checked). */
  segmint2Threads: Runs & { identical: boolean };
  mlKmeans: Runs;
  /** Median ml-kmeans wall time / median segmint wall time. */
  speedup: number;
  /** The same in CPU time (all threads), which other processes on a busy machine disturb less. */
  speedupCpu: number;
  speedup2Threads: number;
  speedup2ThreadsCpu: number;
  /** Per repetition, segmint inertia / ml-kmeans inertia (≤ 1: as good or better). */
  inertiaRatios: number[];
  sameStart: SameStart;
  /** The same with k + 4 clusters (more than the data has), where Lloyd runs its 100 iterations. */
  sameStartOverfit: SameStart;
  /** 1M × 30 (null when not run). */
  large: LargeFigures | null;
}

export interface Runs {
  /** Per repetition. */
  runs: Run[];
  medianMs: number;
  medianCpuMs: number;
}

export interface Run {
  ms: number;
  cpuMs: number;
  inertia: number;
  /** Of the winning restart. */
  iterations: number;
}

interface SameStart {
  k: number;
  iterations: number;
  segmintMs: number;
  mlKmeansMs: number;
  speedup: number;
  speedupCpu: number;
  sameLabels: boolean;
}

export interface LargeRun {
  engine: string;
  /** Median over the child's repetitions (one for ml-kmeans). */
  ms: number;
  cpuMs: number;
  inertia: number;
  iterations: number;
  /** Resident memory with the points generated, before fitting. */
  dataRssMb: number;
  maxRssMb: number;
}

export interface LargeFigures {
  rows: number;
  cols: number;
  k: number;
  restarts: number;
  runs: LargeRun[];
  /** Why ml-kmeans has no row, when it has none. */
  mlKmeansSkipped: string | null;
}

export async function runKmeansBench(rows = 200_000, cols = 20, k = 8, restarts = 3, reps = 3, large = true): Promise<KmeansFigures> {
  const points = benchBlobs(rows, cols, k, 42);
  const plain = toRows(points);
  const settings = { restarts, maxIterations: 100, tolerance: 1e-6 };

  // Warm both engines (and the pool's worker) up first, so none pays for compiling its hot loops.
  const pool = createThreadPool(2);
  const warm = benchBlobs(20_000, cols, k, 7);
  kmeans(warm, k, { rng: createRng(2), restarts: 2 });
  kmeans(warm, k, { rng: createRng(2), restarts: 4, pool });
  mlKmeans(toRows(warm), k, { seed: 2, initialization: 'kmeans++' });

  const ours: Run[] = [];
  const threaded: Run[] = [];
  const ref: Run[] = [];
  let identical = true;
  for (let r = 0; r < reps; r++) {
    const one = timed(() => kmeans(points, k, { rng: createRng(r + 1), ...settings }));
    const two = timed(() => kmeans(points, k, { rng: createRng(r + 1), ...settings, pool }));
    identical &&= sameFit(one.value, two.value);
    const ml = timed(() => {
      let best = { inertia: Infinity, iterations: 0 };
      for (let s = 1; s <= restarts; s++) {
        const fit = mlKmeans(plain, k, { seed: r * restarts + s, initialization: 'kmeans++', ...settings });
        const inertia = inertiaOf(plain, fit.clusters, fit.centroids);
        if (inertia < best.inertia) best = { inertia, iterations: fit.iterations };
      }
      return best;
    });
    ours.push(asRun(one));
    threaded.push(asRun(two));
    ref.push(asRun(ml));
  }
  await pool.close();

  const sameStart = lloydOnly(points, plain, k);
  const sameStartOverfit = lloydOnly(points, plain, k + 4);
  const segmint = summarise(ours);
  const segmint2Threads = { ...summarise(threaded), identical };
  const mlK = summarise(ref);
  return {
    rows,
    cols,
    k,
    restarts,
    reps,
    candidates: { segmint: seedingTrials(k, rows), mlKmeans: 2 + Math.floor(Math.log(k)) },
    segmint,
    segmint2Threads,
    mlKmeans: mlK,
    speedup: mlK.medianMs / segmint.medianMs,
    speedupCpu: mlK.medianCpuMs / segmint.medianCpuMs,
    speedup2Threads: mlK.medianMs / segmint2Threads.medianMs,
    speedup2ThreadsCpu: mlK.medianCpuMs / segmint2Threads.medianCpuMs,
    inertiaRatios: ours.map((o, r) => o.inertia / ref[r].inertia),
    sameStart,
    sameStartOverfit,
    large: large ? runLarge(1_000_000, 30, k, restarts) : null,
  };
}

/** The 1M × 30 case, one child process per engine. */
function runLarge(rows: number, cols: number, k: number, restarts: number): LargeFigures {
  const runs: LargeRun[] = [];
  for (const engine of ['segmint', 'segmint-minibatch']) {
    runs.push(child(engine, rows, cols, k, restarts, 0).run!);
  }
  const limit = Number(process.env.SEGMINT_BENCH_ML_1M_SECONDS ?? 300);
  let mlKmeansSkipped: string | null = null;
  if (limit > 0) {
    const ml = child('ml-kmeans', rows, cols, k, restarts, limit);
    if (ml.run) runs.push(ml.run);
    else mlKmeansSkipped = ml.why;
  } else {
    mlKmeansSkipped = 'skipped (SEGMINT_BENCH_ML_1M_SECONDS=0)';
  }
  return { rows, cols, k, restarts, runs, mlKmeansSkipped };
}

function child(engine: string, rows: number, cols: number, k: number, restarts: number, limitSeconds: number): { run: LargeRun | null; why: string } {
  process.stderr.write(`k-means bench: ${engine} on ${rows.toLocaleString('en-US')} × ${cols} …\n`);
  const out = spawnSync(process.execPath, ['--import', 'tsx', 'bench/kmeans-child.ts', engine, String(rows), String(cols), String(k), String(restarts)], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
    timeout: limitSeconds > 0 ? limitSeconds * 1000 : undefined,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (out.error || out.status !== 0) {
    const timedOut = out.signal === 'SIGTERM' || (out.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT';
    const why = timedOut ? `did not finish within ${limitSeconds} s (stopped)` : `failed (${out.error?.message ?? `exit ${out.status ?? out.signal}`})`;
    if (engine !== 'ml-kmeans') throw new Error(`k-means bench: ${engine} ${why}`);
    return { run: null, why };
  }
  return { run: JSON.parse(out.stdout.trim().split('\n').at(-1)!) as LargeRun, why: '' };
}

/** Lloyd iterations only, both engines from segmint's first-restart seeding. */
function lloydOnly(points: Matrix, plain: number[][], k: number): SameStart {
  const seeds = kmeansPlusPlus(points, k, createRng(1).fork());
  const ours = timed(() => kmeans(points, k, { initialCentroids: seeds, maxIterations: 100, tolerance: 1e-6 }));
  const ref = timed(() => mlKmeans(plain, k, { initialization: toRows(seeds), maxIterations: 100, tolerance: 1e-6 }));
  return {
    k,
    iterations: ours.value.iterations,
    segmintMs: ours.ms,
    mlKmeansMs: ref.ms,
    speedup: ref.ms / ours.ms,
    speedupCpu: ref.cpuMs / ours.cpuMs,
    sameLabels: ref.value.iterations === ours.value.iterations && ref.value.clusters.every((l, i) => l === ours.value.labels[i]),
  };
}

function sameFit(a: KMeansResult, b: KMeansResult): boolean {
  return a.inertia === b.inertia && a.labels.every((l, i) => l === b.labels[i]) && a.centroids.data.every((v, i) => v === b.centroids.data[i]);
}

export function timed<T>(f: () => T): { value: T; ms: number; cpuMs: number } {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const value = f();
  const ms = Math.round(performance.now() - t0);
  const cpu = process.cpuUsage(cpu0);
  return { value, ms, cpuMs: Math.round((cpu.user + cpu.system) / 1000) };
}

function asRun(x: { ms: number; cpuMs: number; value: { inertia: number; iterations: number } }): Run {
  return { ms: x.ms, cpuMs: x.cpuMs, inertia: x.value.inertia, iterations: x.value.iterations };
}

function summarise(runs: Run[]): Runs {
  return { runs, medianMs: median(runs.map((r) => r.ms)), medianCpuMs: median(runs.map((r) => r.cpuMs)) };
}

export function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function inertiaOf(rows: number[][], labels: number[], centroids: number[][]): number {
  let s = 0;
  for (let i = 0; i < rows.length; i++) {
    const c = centroids[labels[i]];
    for (let j = 0; j < c.length; j++) s += (rows[i][j] - c[j]) ** 2;
  }
  return s;
}

export function printKmeans(f: KmeansFigures): string {
  const n = (x: number) => x.toLocaleString('en-US');
  const table = (head: string[], rows: string[][]) => {
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const fmt = (cells: string[]) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
    return [fmt(head), `| ${widths.map((w, i) => (i === 0 ? '-'.repeat(w) : '-'.repeat(w - 1) + ':')).join(' | ')} |`, ...rows.map(fmt)];
  };
  const row = (name: string, x: Runs) => [
    name,
    n(x.medianMs),
    n(x.medianCpuMs),
    x.runs.map((r) => r.inertia.toExponential(6)).join(', '),
    x.runs.map((r) => r.iterations).join(', '),
  ];
  const ratios = f.inertiaRatios.map((r) => r.toFixed(6)).join(', ');
  const worse = f.inertiaRatios.filter((r) => r > 1 + 1e-12).length;
  const out = [
    `k-means, ${n(f.rows)} × ${f.cols}, k = ${f.k}, ${f.restarts} k-means++ restarts, at most 100 iterations, tolerance 1e-6; ${f.reps} repetitions with different seeds`,
    ...table(
      ['engine', 'median wall ms', 'median cpu ms', 'inertia per repetition', 'iterations¹'],
      [row('segmint', f.segmint), row('segmint, 2 threads²', f.segmint2Threads), row('ml-kmeans', f.mlKmeans)],
    ),
    `segmint is ${f.speedup.toFixed(1)}× faster than ml-kmeans in wall time, ${f.speedupCpu.toFixed(1)}× in CPU time; with its restarts on 2 threads ${f.speedup2Threads.toFixed(1)}× in wall time (${f.speedup2ThreadsCpu.toFixed(1)}× CPU)`,
    `inertia segmint / ml-kmeans per repetition: ${ratios} (${worse === 0 ? 'equal or lower in every repetition' : `HIGHER in ${worse} of ${f.reps}`})`,
    '¹ of the winning restart',
    `² result ${f.segmint2Threads.identical ? 'identical to' : 'DIFFERENT from'} one thread in every repetition; CPU counts both threads`,
    `k-means++ candidates per centre: segmint ${f.candidates.segmint} (compared on a 16k-row subsample), ml-kmeans ${f.candidates.mlKmeans} (2 + ⌊ln k⌋, on every row)`,
    ...[f.sameStart, f.sameStartOverfit].map(
      (x) =>
        `Lloyd alone from the same initial centres, k = ${x.k}: ${x.iterations} iterations, segmint ${n(x.segmintMs)} ms vs ml-kmeans ${n(x.mlKmeansMs)} ms (${x.speedup.toFixed(1)}× wall, ${x.speedupCpu.toFixed(1)}× CPU), ${x.sameLabels ? 'identical labels' : 'LABELS DIFFER'}`,
    ),
  ];
  if (f.large) {
    const L = f.large;
    out.push(
      '',
      `k-means, ${n(L.rows)} × ${L.cols}, k = ${L.k}, ${L.restarts} restarts (seedings for mini-batch); each engine in its own process`,
      ...table(
        ['engine', 'wall ms', 'cpu ms', 'inertia', 'iterations', 'RSS with data', 'peak RSS'],
        L.runs.map((r) => [r.engine, n(r.ms), n(r.cpuMs), r.inertia.toExponential(6), String(r.iterations), `${n(r.dataRssMb)} MB`, `${n(r.maxRssMb)} MB`]),
      ),
      ...(L.mlKmeansSkipped ? [`ml-kmeans: ${L.mlKmeansSkipped}`] : []),
      'segmint: 2 threads, points generated into a SharedArrayBuffer (used in place); median of 3 runs. mini-batch: batches of 4,096, one Lloyd step at the end; iterations = mini-batch steps + Lloyd steps.',
    );
  }
  out.push('');
  return out.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [rows, cols, k, restarts] = process.argv.slice(2).map(Number);
  process.stdout.write(printKmeans(await runKmeansBench(rows || undefined, cols || undefined, k || undefined, restarts || undefined)));
}

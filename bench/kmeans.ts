/**
 * k-means: segmint's engine against ml-kmeans on the same blobs, same k, same number of
 * k-means++ restarts (ml-kmeans has no restarts option: it is called once per restart with its
 * own seed, keeping the lowest inertia, as segmint does internally). Converting the matrix to
 * ml-kmeans' arrays of rows is not timed.
 *
 *   node --import tsx bench/kmeans.ts [rows] [cols] [k] [restarts]
 */
import { kmeans as mlKmeans } from 'ml-kmeans';
import { kmeans } from '../src/stages/cluster/kmeans.js';
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
  segmint: Run;
  /** The same fit with the row loops on two threads (results are identical by construction). */
  segmint2Threads: Run & { identical: boolean; poolStartMs: number };
  mlKmeans: Run;
  /** ml-kmeans time / segmint time (one thread), wall clock. */
  speedup: number;
  /** The same in CPU time, which other processes on a busy machine disturb less. */
  speedupCpu: number;
  /** ml-kmeans time / segmint time on two threads. */
  speedup2Threads: number;
  /** segmint inertia / ml-kmeans inertia (≤ 1 means segmint's fit is as good or better). */
  inertiaRatio: number;
  /**
   * Lloyd iterations alone, both engines from the same initial centres (segmint's first restart
   * seeding): same iterations, same labels; the ratio is the engine's own speed-up.
   */
  sameStart: SameStart;
  /** The same with k + 4 clusters (more than the data has), where Lloyd needs many iterations. */
  sameStartOverfit: SameStart;
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

interface Run {
  /** Wall clock. */
  ms: number;
  /** CPU time of the process (all threads). */
  cpuMs: number;
  inertia: number;
  iterations: number;
}

export async function runKmeansBench(rows = 200_000, cols = 20, k = 8, restarts = 3): Promise<KmeansFigures> {
  const points = benchBlobs(rows, cols, k, 42);

  const settings = { restarts, maxIterations: 100, tolerance: 1e-6 };
  // Warm both engines up on a small set first, so neither pays for compiling its hot loops.
  const warm = benchBlobs(20_000, cols, k, 7);
  kmeans(warm, k, { rng: createRng(2), restarts: 1 });
  mlKmeans(toRows(warm), k, { seed: 2, initialization: 'kmeans++' });

  const ours = timed(() => kmeans(points, k, { rng: createRng(1), ...settings }));

  const t0 = performance.now();
  const pool = createThreadPool(2);
  const poolStartMs = Math.round(performance.now() - t0);
  const threaded = timed(() => kmeans(points, k, { rng: createRng(1), ...settings, pool }));
  await pool.close();
  const identical =
    threaded.value.inertia === ours.value.inertia &&
    threaded.value.labels.every((l, i) => l === ours.value.labels[i]) &&
    threaded.value.centroids.data.every((v, i) => v === ours.value.centroids.data[i]);

  const plain = toRows(points);
  const ref = timed(() => {
    let best = { inertia: Infinity, iterations: 0 };
    for (let r = 0; r < restarts; r++) {
      const fit = mlKmeans(plain, k, { seed: r + 1, initialization: 'kmeans++', maxIterations: 100, tolerance: 1e-6 });
      const inertia = inertiaOf(plain, fit.clusters, fit.centroids);
      if (inertia < best.inertia) best = { inertia, iterations: fit.iterations };
    }
    return best;
  });

  const sameStart = lloydOnly(points, plain, k);
  const sameStartOverfit = lloydOnly(points, plain, k + 4);

  const run = (x: { ms: number; cpuMs: number; value: { inertia: number; iterations: number } }): Run => ({
    ms: x.ms,
    cpuMs: x.cpuMs,
    inertia: x.value.inertia,
    iterations: x.value.iterations,
  });
  return {
    rows,
    cols,
    k,
    restarts,
    segmint: run(ours),
    segmint2Threads: { ...run(threaded), identical, poolStartMs },
    mlKmeans: run(ref),
    speedup: ref.ms / ours.ms,
    speedupCpu: ref.cpuMs / ours.cpuMs,
    speedup2Threads: ref.ms / threaded.ms,
    inertiaRatio: ours.value.inertia / ref.value.inertia,
    sameStart,
    sameStartOverfit,
  };
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

function timed<T>(f: () => T): { value: T; ms: number; cpuMs: number } {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const value = f();
  const ms = Math.round(performance.now() - t0);
  const cpu = process.cpuUsage(cpu0);
  return { value, ms, cpuMs: Math.round((cpu.user + cpu.system) / 1000) };
}

function inertiaOf(rows: number[][], labels: number[], centroids: number[][]): number {
  let s = 0;
  for (let i = 0; i < rows.length; i++) {
    const c = centroids[labels[i]];
    for (let j = 0; j < c.length; j++) s += (rows[i][j] - c[j]) ** 2;
  }
  return s;
}

export function printKmeans(f: KmeansFigures): string {
  const line = (name: string, x: Run) =>
    `| ${name.padEnd(19)} | ${String(x.ms).padStart(7)} | ${String(x.cpuMs).padStart(6)} | ${x.inertia.toExponential(6).padStart(12)} | ${String(x.iterations).padStart(11)} |`;
  return [
    `k-means, ${f.rows.toLocaleString('en-US')} × ${f.cols}, k = ${f.k}, ${f.restarts} k-means++ restarts each`,
    '| engine              | wall ms | cpu ms |      inertia | iterations¹ |',
    '| ------------------- | ------: | -----: | -----------: | ----------: |',
    line('segmint', f.segmint),
    line('segmint, 2 threads²', f.segmint2Threads),
    line('ml-kmeans', f.mlKmeans),
    `segmint is ${f.speedup.toFixed(1)}× faster than ml-kmeans in wall time (${f.speedupCpu.toFixed(1)}× in CPU time; ${f.speedup2Threads.toFixed(1)}× wall on 2 threads); inertia ratio segmint / ml-kmeans = ${f.inertiaRatio.toFixed(6)}`,
    '¹ of the winning restart',
    `² pool start-up (${f.segmint2Threads.poolStartMs} ms) not included; result ${f.segmint2Threads.identical ? 'identical to' : 'DIFFERENT from'} one thread`,
    ...[f.sameStart, f.sameStartOverfit].map(
      (x) =>
        `Lloyd alone from the same initial centres, k = ${x.k}: ${x.iterations} iterations, segmint ${x.segmintMs} ms vs ml-kmeans ${x.mlKmeansMs} ms (${x.speedup.toFixed(1)}× wall, ${x.speedupCpu.toFixed(1)}× CPU), ${x.sameLabels ? 'identical labels' : 'LABELS DIFFER'}`,
    ),
    '',
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [rows, cols, k, restarts] = process.argv.slice(2).map(Number);
  process.stdout.write(printKmeans(await runKmeansBench(rows || undefined, cols || undefined, k || undefined, restarts || undefined)));
}

/**
 * One large k-means measurement in its own process, so its peak resident memory is its own.
 * Prints one JSON line (a LargeRun of bench/kmeans.ts). Used by bench/kmeans.ts.
 *
 *   node --import tsx bench/kmeans-child.ts segmint|segmint-minibatch|ml-kmeans ROWS COLS K RESTARTS
 */
import { kmeans as mlKmeans } from 'ml-kmeans';
import { kmeans } from '../src/stages/cluster/kmeans.js';
import { miniBatchKmeans } from '../src/stages/cluster/minibatch.js';
import { createThreadPool } from '../src/stages/cluster/pool.js';
import { toRows } from '../src/core/matrix.js';
import { createRng } from '../src/core/rng.js';
import { benchBlobs } from './blobs.js';
import { inertiaOf, median, timed } from './kmeans.js';

const [engine, rowsArg, colsArg, kArg, restartsArg] = process.argv.slice(2);
const [rows, cols, k, restarts] = [rowsArg, colsArg, kArg, restartsArg].map(Number);
const settings = { restarts, maxIterations: 100, tolerance: 1e-6 };
const mb = (x: number) => Math.round(x / 1_048_576);

let result: { ms: number; cpuMs: number; inertia: number; iterations: number };
let dataRssMb: number;
if (engine === 'ml-kmeans') {
  const plain = toRows(benchBlobs(rows, cols, k, 42));
  global.gc?.();
  dataRssMb = mb(process.memoryUsage().rss);
  const run = timed(() => {
    let best = { inertia: Infinity, iterations: 0 };
    for (let s = 1; s <= restarts; s++) {
      const fit = mlKmeans(plain, k, { seed: s, initialization: 'kmeans++', ...settings });
      const inertia = inertiaOf(plain, fit.clusters, fit.centroids);
      if (inertia < best.inertia) best = { inertia, iterations: fit.iterations };
    }
    return best;
  });
  result = { ms: run.ms, cpuMs: run.cpuMs, ...run.value };
} else {
  const points = benchBlobs(rows, cols, k, 42, engine === 'segmint');
  dataRssMb = mb(process.memoryUsage().rss);
  const pool = engine === 'segmint' ? createThreadPool(2) : undefined;
  // Warm-up on a small set, as in the 200k comparison.
  const warm = benchBlobs(20_000, cols, k, 7);
  if (pool) kmeans(warm, k, { rng: createRng(2), restarts: 4, pool });
  else miniBatchKmeans(warm, k, { rng: createRng(2) });
  const runs = [1, 2, 3].map((seed) =>
    timed(() => (pool ? kmeans(points, k, { rng: createRng(seed), ...settings, pool }) : miniBatchKmeans(points, k, { rng: createRng(seed), restarts }))),
  );
  await pool?.close();
  const mid = runs.slice().sort((a, b) => a.ms - b.ms)[1];
  result = { ms: median(runs.map((r) => r.ms)), cpuMs: median(runs.map((r) => r.cpuMs)), inertia: mid.value.inertia, iterations: mid.value.iterations };
}
const maxRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
process.stdout.write(JSON.stringify({ engine, ...result, dataRssMb, maxRssMb }) + '\n');

/**
 * `npm run bench`: speed and memory of segmint's engines against the reference libraries.
 * Prints a table per benchmark and writes every figure to bench/results.json.
 * Pass names to run a subset: `npm run bench -- kmeans pca`.
 */
import { writeFileSync } from 'node:fs';
import { printKmeans, runKmeansBench } from './kmeans.js';
import { printPca, runPcaBench } from './pca.js';
import { printSweep, runSweepBench } from './sweep.js';
import { printE2e, runE2eBench } from './e2e.js';
import { printIngest, runIngestBench } from './ingest.js';
import { printQuality, runQualityBench } from './quality.js';
import { printWarehouse, runWarehouseBench } from './warehouse.js';
import { printWeekly, runWeeklyBench } from './weekly.js';

const all = ['kmeans', 'pca', 'sweep', 'ingest', 'e2e', 'quality', 'weekly', 'warehouse'] as const;
const wanted = process.argv.slice(2).filter((a) => (all as readonly string[]).includes(a));
const selected = wanted.length ? wanted : [...all];
const results: Record<string, unknown> = { machine: { cpus: (await import('node:os')).cpus().length, node: process.versions.node } };

for (const name of selected) {
  switch (name) {
    case 'kmeans': {
      const f = await runKmeansBench();
      results.kmeans = f;
      process.stdout.write(printKmeans(f) + '\n');
      break;
    }
    case 'pca': {
      const f = await runPcaBench();
      results.pca = f;
      process.stdout.write(printPca(f) + '\n');
      break;
    }
    case 'sweep': {
      const f = await runSweepBench();
      results.sweep = f;
      process.stdout.write(printSweep(f) + '\n');
      break;
    }
    case 'ingest': {
      const f = await runIngestBench();
      results.ingest = f;
      process.stdout.write(printIngest(f) + '\n');
      break;
    }
    case 'quality': {
      const f = await runQualityBench();
      results.quality = f;
      process.stdout.write(printQuality(f) + '\n');
      break;
    }
    case 'weekly': {
      const f = await runWeeklyBench();
      results.weekly = f;
      process.stdout.write(printWeekly(f) + '\n');
      break;
    }
    case 'e2e': {
      const sizes = process.env.SEGMINT_BENCH_USERS?.split(',').map(Number);
      const f = await runE2eBench(sizes);
      results.e2e = f;
      process.stdout.write(printE2e(f) + '\n');
      break;
    }
    case 'warehouse': {
      const f = await runWarehouseBench();
      results.warehouse = f;
      process.stdout.write(printWarehouse(f) + '\n');
      break;
    }
  }
}

writeFileSync('bench/results.json', JSON.stringify(results, null, 2) + '\n');
process.stdout.write('figures written to bench/results.json\n');

/**
 * PCA: segmint's fit (moments in typed arrays + eigen-decomposition of the d × d covariance by
 * ml-pca) against ml-pca fitted directly on the data as plain arrays (its default SVD).
 * Converting the matrix to arrays of rows is not timed.
 *
 *   node --import tsx bench/pca.ts [rows] [cols]
 */
import { PCA } from 'ml-pca';
import { fitPca } from '../src/stages/reduce/index.js';
import { toRows } from '../src/core/matrix.js';
import { benchBlobs } from './blobs.js';

export interface PcaFigures {
  rows: number;
  cols: number;
  segmint: { ms: number; cpuMs: number; heapMb: number };
  mlPca: { ms: number; cpuMs: number; heapMb: number };
  /** ml-pca time / segmint time (wall clock). */
  speedup: number;
  /** The same in CPU time. */
  speedupCpu: number;
  /** Largest |difference| between the two explained-variance ratio vectors. */
  maxRatioDifference: number;
}

export async function runPcaBench(rows = 200_000, cols = 30): Promise<PcaFigures> {
  const matrix = benchBlobs(rows, cols, 6, 7);
  const ours = measure(() => fitPca(matrix, { components: cols, variance: 1 }));
  const plain = toRows(matrix);
  const ref = measure(() => new PCA(plain));
  const a = ours.value.model.explainedVarianceRatio;
  const b = ref.value.getExplainedVariance();
  const maxRatioDifference = Math.max(...a.map((v, i) => Math.abs(v - b[i])));
  return {
    rows,
    cols,
    segmint: ours.figures,
    mlPca: ref.figures,
    speedup: ref.figures.ms / ours.figures.ms,
    speedupCpu: ref.figures.cpuMs / ours.figures.cpuMs,
    maxRatioDifference,
  };
}

function measure<T>(run: () => T): { value: T; figures: { ms: number; cpuMs: number; heapMb: number } } {
  const used = () => {
    const m = process.memoryUsage();
    return m.heapUsed + m.arrayBuffers;
  };
  const heap0 = used();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const value = run();
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  // Memory growth (JS heap + typed-array buffers) with the result still alive: a rough view of
  // what each approach keeps.
  const heapMb = Math.max(0, used() - heap0) / 2 ** 20;
  return { value, figures: { ms: Math.round(ms), cpuMs: Math.round((cpu.user + cpu.system) / 1000), heapMb: Math.round(heapMb) } };
}

export function printPca(f: PcaFigures): string {
  const line = (name: string, x: PcaFigures['segmint']) =>
    `| ${name.padEnd(7)} | ${String(x.ms).padStart(7)} | ${String(x.cpuMs).padStart(6)} | ${String(x.heapMb).padStart(11)} |`;
  return [
    `PCA, ${f.rows.toLocaleString('en-US')} × ${f.cols}, all components`,
    '| engine  | wall ms | cpu ms | memory MB¹ |',
    '| ------- | ------: | -----: | ---------: |',
    line('segmint', f.segmint),
    line('ml-pca', f.mlPca),
    `segmint is ${f.speedup.toFixed(1)}× faster in wall time (${f.speedupCpu.toFixed(1)}× in CPU time); explained-variance ratios agree within ${f.maxRatioDifference.toExponential(1)}`,
    '¹ growth of JS heap + array buffers with the result alive; segmint also holds the projected scores (200k × 30), ml-pca does not project',
    '',
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [rows, cols] = process.argv.slice(2).map(Number);
  process.stdout.write(printPca(await runPcaBench(rows || undefined, cols || undefined)));
}

/**
 * The whole k sweep on 100k users: `clusterUsers` with automatic k (the default range 2..10,
 * default settings) on generated users with six planted segments (bench/users.ts), one pair of
 * which differs along a single dimension only. Reports the time, the chosen k, how well the
 * segments recover the planted ones (adjusted Rand index), and the same on one thread.
 *
 *   node --import tsx bench/sweep.ts [users]
 */
import type { ResolvedConfig } from '../src/config/types.js';
import { createContext } from '../src/core/context.js';
import { adjustedRandIndex, clusterUsers } from '../src/stages/cluster/index.js';
import { timed } from './kmeans.js';
import { benchUsers } from './users.js';

export interface SweepFigures {
  users: number;
  dims: number;
  plantedK: number;
  chosenK: number;
  ari: number;
  reason: string;
  /** Every core (the default). */
  ms: number;
  cpuMs: number;
  /** The same on one thread (the result is identical; checked). */
  oneThreadMs: number;
  identical: boolean;
}

/** The resolved defaults of `cluster:` (src/config/resolve.ts). */
const DEFAULTS: ResolvedConfig['cluster'] = {
  k: null,
  kRange: [2, 10],
  restarts: 10,
  maxIterations: 100,
  sampleSize: 5000,
  stabilityRuns: 5,
  minShare: 0.02,
  minSize: 20,
  unstableBelow: 0.75,
  warmStart: 'none',
};

export async function runSweepBench(users = 100_000): Promise<SweepFigures> {
  const data = benchUsers(users, 7);
  // Warm-up on a small set, so neither run pays for compiling the hot loops.
  clusterUsers(benchUsers(3000, 8).points, DEFAULTS, createContext(1), { threads: 1 });
  const all = timed(() => clusterUsers(data.points, DEFAULTS, createContext(42)));
  const one = timed(() => clusterUsers(data.points, DEFAULTS, createContext(42), { threads: 1 }));
  const r = all.value;
  return {
    users,
    dims: data.points.cols,
    plantedK: data.k,
    chosenK: r.k,
    ari: adjustedRandIndex(r.labels, data.truth),
    reason: r.selection.reason,
    ms: all.ms,
    cpuMs: all.cpuMs,
    oneThreadMs: one.ms,
    identical: one.value.inertia === r.inertia && one.value.labels.every((l, i) => l === r.labels[i]),
  };
}

export function printSweep(f: SweepFigures): string {
  return [
    `k sweep (clusterUsers, automatic k in 2..10, default settings) on ${f.users.toLocaleString('en-US')} users × ${f.dims} dimensions with ${f.plantedK} planted segments`,
    `chose k = ${f.chosenK} in ${(f.ms / 1000).toFixed(2)} s wall (${(f.cpuMs / 1000).toFixed(2)} s CPU; ${(f.oneThreadMs / 1000).toFixed(2)} s on one thread, result ${f.identical ? 'identical' : 'DIFFERENT'}); adjusted Rand index against the planted segments ${f.ari.toFixed(4)}`,
    `why: ${f.reason}`,
    '',
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write(printSweep(await runSweepBench(Number(process.argv[2] ?? 100_000))));
}

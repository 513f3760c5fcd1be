/**
 * `npm run bench -- weekly`: segmint as a weekly job on the planted worlds of bench/quality.
 *
 * Each world (90 days of events ending 2026-06-30) is run four times into one output folder, as
 * of 21, 14 and 7 days before its end and at its end, the way a scheduled job runs
 * (`window.end` = the as-of time, every event before it, the job's previous run found in the
 * folder). Worlds with events only: a CRM export has no weeks. Per world it records the k of
 * each week, how often k changed from one week to the next, the ARI against the planted
 * segments each week (over the users that week segments), and the share of users segmented in
 * two consecutive weeks who kept their segment's key.
 *
 * Held-out seeds 200–209 by default (`SEGMINT_WEEKLY_SEEDS=1-5` for the tuning seeds,
 * `SEGMINT_QUALITY_FAMILIES=…` for a subset), each with `cluster.warm_start: none` and
 * `previous` (`SEGMINT_WEEKLY_WARM=previous` for one). Whole runs, reports included: 3–4 s per
 * run on this machine's worlds, ~35 min for both settings on seeds 200–209.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { resolveConfig } from '../src/config/resolve.js';
import { createContext } from '../src/core/context.js';
import { runPipeline } from '../src/pipeline.js';
import { parseSeeds } from './quality.js';
import { adjustedRandIndex, labelsOf } from './quality/metrics.js';
import { plantedFamilies } from './quality/worlds/index.js';
import type { World } from './quality/types.js';

const WORLD_END = Date.parse('2026-06-30T23:59:59Z');
const DAY_MS = 86_400_000;
/** Days before the world's end of each weekly run, oldest first. */
const WEEKS_BEFORE = [21, 14, 7, 0] as const;
const RUN_SEED = 42;

type WarmStart = 'none' | 'previous';

export interface Replay {
  readonly family: string;
  readonly seed: number;
  readonly trueK: number | null;
  readonly warmStart: WarmStart;
  readonly ks: readonly number[];
  /** Weeks whose k differs from the week before. */
  readonly flips: number;
  readonly aris: readonly number[];
  /** Users segmented in both of two consecutive weeks who kept their segment's key, over all such users. */
  readonly keptKeyShare: number;
}

export interface WeeklyFigures {
  readonly seeds: readonly number[];
  readonly replays: readonly Replay[];
}

async function replay(world: World, warmStart: WarmStart): Promise<Replay> {
  const dir = mkdtempSync(join(tmpdir(), 'segmint-weekly-'));
  try {
    writeFileSync(join(dir, 'events.csv'), Papa.unparse(world.events as object[], { columns: ['user_id', 'event', 'timestamp'] }));
    if (world.users) writeFileSync(join(dir, 'users.csv'), Papa.unparse(world.users as object[]));
    const ks: number[] = [];
    const aris: number[] = [];
    let shared = 0;
    let kept = 0;
    for (const before of WEEKS_BEFORE) {
      const end = new Date(WORLD_END - before * DAY_MS).toISOString();
      const raw = {
        name: `${world.family}-${world.seed}`,
        seed: RUN_SEED,
        inputs: {
          events: { path: 'events.csv', columns: { user_id: 'user_id', event: 'event', timestamp: 'timestamp' } },
          ...(world.users ? { users: { path: 'users.csv', key: 'user_id' } } : {}),
        },
        window: { days: 3650, end },
        cluster: { warm_start: warmStart },
        output: { dir: join(dir, 'runs'), max_reject_rate: 1 },
      };
      const config = resolveConfig(raw, { file: 'weekly.yaml', baseDir: dir, source: null });
      const outcome = await runPipeline(config, createContext(RUN_SEED));
      const { segments } = outcome.documents;
      ks.push(segments.k);
      const segmented = outcome.assignments.filter((a) => a.segment >= 0 && a.segment < segments.k && world.truth.has(a.userId));
      const truth = labelsOf(world.truth, segmented.map((a) => a.userId));
      aris.push(adjustedRandIndex(truth, Int32Array.from(segmented, (a) => a.segment)));
      if (segments.lineage && segments.lineage.previousRun !== null) {
        shared += segments.lineage.sharedUsers;
        kept += segments.lineage.keptKey;
      }
    }
    const flips = ks.slice(1).filter((k, i) => k !== ks[i]).length;
    return { family: world.family, seed: world.seed, trueK: world.trueK, warmStart, ks, flips, aris, keptKeyShare: shared > 0 ? kept / shared : 1 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function runWeeklyBench(log: (line: string) => void = (l) => process.stderr.write(l + '\n')): Promise<WeeklyFigures> {
  const seeds = parseSeeds(process.env.SEGMINT_WEEKLY_SEEDS ?? '200-209');
  const only = process.env.SEGMINT_QUALITY_FAMILIES?.split(',').map((s) => s.trim());
  const warmStarts = (process.env.SEGMINT_WEEKLY_WARM?.split(',') ?? ['none', 'previous']) as WarmStart[];
  const replays: Replay[] = [];
  for (const family of plantedFamilies) {
    if (only && !only.includes(family.name)) continue;
    for (const seed of seeds) {
      const world = family.generate(seed);
      if (!world.events) break;
      for (const warmStart of warmStarts) {
        const r = await replay(world, warmStart);
        log(`weekly ${family.name} seed ${seed} warm_start ${warmStart}: k ${r.ks.join(' ')}, ARI ${r.aris.map((a) => a.toFixed(2)).join(' ')}, keys kept ${(100 * r.keptKeyShare).toFixed(1)}%`);
        replays.push(r);
      }
    }
  }
  return { seeds, replays };
}

export function printWeekly(f: WeeklyFigures): string {
  const lines = [`weekly job — 4 weekly runs per world (as of 21, 14, 7 and 0 days before its end), seeds ${f.seeds[0]}–${f.seeds[f.seeds.length - 1]}`];
  lines.push(`  ${'family'.padEnd(18)} ${'warm_start'.padEnd(10)} ${'worlds'.padStart(6)} ${'k changes'.padStart(10)} ${'steady worlds'.padStart(13)} ${'true k, last week'.padStart(17)} ${'mean ARI'.padStart(8)} ${'keys kept'.padStart(9)}`);
  const families = [...new Set(f.replays.map((r) => r.family))];
  for (const family of families) {
    for (const warmStart of ['none', 'previous'] as const) {
      const rs = f.replays.filter((r) => r.family === family && r.warmStart === warmStart);
      if (rs.length === 0) continue;
      const flips = rs.reduce((s, r) => s + r.flips, 0);
      const steady = rs.filter((r) => r.flips === 0).length;
      const trueLast = rs.filter((r) => r.trueK !== null && r.ks[r.ks.length - 1] === r.trueK).length;
      const ari = rs.reduce((s, r) => s + r.aris.reduce((a, b) => a + b, 0) / r.aris.length, 0) / rs.length;
      const keys = rs.reduce((s, r) => s + r.keptKeyShare, 0) / rs.length;
      lines.push(
        `  ${family.padEnd(18)} ${warmStart.padEnd(10)} ${String(rs.length).padStart(6)} ${String(flips).padStart(10)} ${`${steady}/${rs.length}`.padStart(13)} ${(rs[0].trueK === null ? '—' : `${trueLast}/${rs.length}`).padStart(17)} ${(rs[0].trueK === null ? '—' : ari.toFixed(3)).padStart(8)} ${`${(100 * keys).toFixed(1)}%`.padStart(9)}`,
      );
    }
  }
  return lines.join('\n');
}

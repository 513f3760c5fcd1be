/**
 * segmint on one world, as a user would run it on files: the world is written to CSV, the
 * config resolved the way `segmint run` resolves it, and the stages run through clustering (the
 * profile, rules and report stages do not change the segments, so the benchmark skips them).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { resolveConfig } from '../../src/config/resolve.js';
import { createContext } from '../../src/core/context.js';
import { openDb } from '../../src/core/duckdb.js';
import { ingest } from '../../src/stages/ingest/index.js';
import { buildFeatures } from '../../src/stages/features/index.js';
import { segmentUsers } from '../../src/segment.js';
import type { KScore } from '../../src/stages/cluster/types.js';
import type { World } from './types.js';

export interface SegmintOutcome {
  /** Labels aligned with the sorted truth user ids; -1 for a user segmint left out. */
  readonly labels: Int32Array;
  readonly userIds: readonly string[];
  readonly k: number;
  readonly strongStructure: boolean;
  readonly reason: string;
  readonly warnings: readonly string[];
  /** Smallest segment, in users. */
  readonly smallest: number;
  /** The sweep's scores per candidate k. */
  readonly scores: readonly KScore[];
}

/** Raw YAML-shaped settings merged over the world's inputs (for experiments). */
export type ConfigPatch = Readonly<Record<string, unknown>>;

export async function runSegmint(world: World, k: number | 'auto', seed: number, patch: ConfigPatch = {}): Promise<SegmintOutcome> {
  const dir = mkdtempSync(join(tmpdir(), 'segmint-quality-'));
  try {
    const inputs: Record<string, unknown> = {};
    if (world.events) {
      writeFileSync(join(dir, 'events.csv'), Papa.unparse(world.events as object[], { columns: ['user_id', 'event', 'timestamp'] }));
      inputs.events = { path: 'events.csv', columns: { user_id: 'user_id', event: 'event', timestamp: 'timestamp' } };
    }
    if (world.users) {
      writeFileSync(join(dir, 'users.csv'), Papa.unparse(world.users as object[]));
      inputs.users = { path: 'users.csv', key: 'user_id' };
    }
    const raw = deepMerge(
      {
        name: `${world.family}-${world.seed}`,
        seed,
        inputs,
        // Real logs span more than the default 90 days; planted worlds fit inside any window.
        window: { days: 3650 },
        cluster: k === 'auto' ? {} : { k },
        output: { max_reject_rate: 1 },
      },
      patch,
    );
    const config = resolveConfig(raw, { file: `${world.family}.yaml`, baseDir: dir, source: null });
    const ctx = createContext(seed);
    const db = await openDb();
    try {
      const ingested = await ingest(db, config, ctx);
      const features = await buildFeatures(db, ingested, config, ctx);
      const { cluster } = await segmentUsers(features, config, ctx);
      const index = new Map(features.userIds.map((u, i) => [u, i]));
      const userIds = [...world.truth.keys()].sort();
      const labels = Int32Array.from(userIds, (u) => {
        const i = index.get(u);
        return i === undefined ? -1 : cluster.labels[i];
      });
      const sizes = new Array<number>(cluster.k).fill(0);
      for (const l of cluster.labels) sizes[l]++;
      return {
        labels,
        userIds,
        k: cluster.k,
        strongStructure: cluster.selection.strongStructure,
        reason: cluster.selection.reason,
        warnings: ctx.warnings.map((w) => `${w.code}: ${w.message}`),
        smallest: Math.min(...sizes),
        scores: cluster.scores,
      };
    } finally {
      db.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function deepMerge(a: Record<string, unknown>, b: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [key, value] of Object.entries(b)) {
    const prev = out[key];
    out[key] =
      isPlain(prev) && isPlain(value) ? deepMerge(prev as Record<string, unknown>, value as Record<string, unknown>) : value;
  }
  return out;
}

function isPlain(v: unknown): boolean {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

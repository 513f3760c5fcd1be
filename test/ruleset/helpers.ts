/** Shared setup for ruleset tests: one run of the bundled sample per test file, and file helpers. */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Papa from 'papaparse';
import { loadConfigFile } from '../../src/config/index.js';
import { createContext } from '../../src/core/context.js';
import { openDb } from '../../src/core/duckdb.js';
import { runPipeline } from '../../src/pipeline.js';
import type { RunDocuments } from '../../src/run/types.js';
import { buildFeatures } from '../../src/stages/features/index.js';
import type { FeatureTable } from '../../src/stages/features/types.js';
import { ingest } from '../../src/stages/ingest/index.js';

export const REPO = resolve(import.meta.dirname, '../..');
export const SAMPLE = resolve(REPO, 'data/sample');
export const SAMPLE_INPUTS = ['--events', join(SAMPLE, 'events.csv.gz'), '--users', join(SAMPLE, 'users.csv'), '--accounts', join(SAMPLE, 'accounts.csv')];

/** Runs pipeline/default.yaml into `reportsDir`. */
export async function sampleRun(reportsDir: string): Promise<{ runDir: string; documents: RunDocuments }> {
  const config = loadConfigFile(resolve(REPO, 'pipeline/default.yaml'), { out: reportsDir });
  const outcome = await runPipeline(config, createContext(config.seed));
  return { runDir: outcome.runDir, documents: outcome.documents };
}

/** The sample run's feature table, rebuilt the way the run built it. */
export async function sampleFeatures(): Promise<FeatureTable> {
  const config = loadConfigFile(resolve(REPO, 'pipeline/default.yaml'));
  const db = await openDb();
  try {
    const ctx = createContext(config.seed);
    return await buildFeatures(db, await ingest(db, config, ctx), config, ctx);
  } finally {
    db.close();
  }
}

export function readCsv(file: string): Record<string, string>[] {
  return Papa.parse<Record<string, string>>(readFileSync(file, 'utf8'), { header: true, skipEmptyLines: true }).data;
}

/** user ids per segment key from memberships.csv. */
export function membersByKey(file: string): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const row of readCsv(file)) out.set(row.segment, (out.get(row.segment) ?? new Set()).add(row.user_id));
  return out;
}

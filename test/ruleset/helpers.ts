/** Shared setup for ruleset tests: one run of the bundled sample per test file, and file helpers. */
import { createHash } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Papa from 'papaparse';
import { loadConfigFile } from '../../src/config/index.js';
import type { ResolvedConfig } from '../../src/config/types.js';
import { assignmentsCsv } from '../../src/run/assignments.js';
import { jobOf } from '../../src/run/jobs.js';
import { stableJson } from '../../src/run/json.js';
import { createContext } from '../../src/core/context.js';
import { openDb } from '../../src/core/duckdb.js';
import { runPipeline } from '../../src/pipeline.js';
import type { RunDocuments } from '../../src/run/types.js';
import { buildFeatures } from '../../src/stages/features/index.js';
import type { FeatureTable } from '../../src/stages/features/types.js';
import { ingest } from '../../src/stages/ingest/index.js';
import { tempDir } from '../helpers/cli.js';
import { makeRunDocuments } from '../helpers/run-documents.js';

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

/**
 * A finished run of `config` (its job as `segmint run` records it, its inputs fingerprinted from
 * the config's events and users paths) with four users: u1 and u3 in segment 0, u2 and u4 in
 * segment 1, as segments.json counts them.
 */
export function fourUserRun(config: ResolvedConfig, runId: string): string {
  const made = makeRunDocuments();
  const fingerprint = (path: string) => ({ path, bytes: statSync(path).size, sha256: createHash('sha256').update(readFileSync(path)).digest('hex') });
  const paths = [...(config.inputs.events?.paths ?? []), ...(config.inputs.users?.paths ?? [])];
  const dir = tempDir();
  writeFileSync(join(dir, 'manifest.json'), stableJson({ ...made.manifest, runId, config, inputs: paths.map(fingerprint), job: jobOf(config) }));
  const sizes = [2, 2, 0];
  const segments = { ...made.segments, users: 4, segments: made.segments.segments.map((seg, i) => ({ ...seg, size: sizes[i] ?? 0, share: (sizes[i] ?? 0) / 4 })) };
  writeFileSync(join(dir, 'segments.json'), stableJson(segments));
  writeFileSync(join(dir, 'rules.json'), stableJson(made.rules));
  writeFileSync(
    join(dir, 'assignments.csv'),
    assignmentsCsv(['u1', 'u2', 'u3', 'u4'].map((userId, i) => ({ userId, segment: i % 2, segmentName: made.segments.segments[i % 2].name, distance: 1, confidence: 0.5 }))),
  );
  return dir;
}

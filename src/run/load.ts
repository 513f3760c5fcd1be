/** Reading a finished run folder back (for `segmint report`, `runs`, `rules`). */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Papa from 'papaparse';
import { errors } from '../core/messages.js';
import type { RunDocuments } from './types.js';

/** A run given as a folder path, or as an id (or `latest`) under `reportsDir`. */
export function resolveRunDir(run: string, reportsDir = 'reports'): string {
  for (const candidate of [resolve(run), resolve(reportsDir, run)]) {
    if (existsSync(join(candidate, 'manifest.json'))) return candidate;
  }
  throw errors.runNotFound(run);
}

export function loadRunDocuments(dir: string): RunDocuments {
  const read = (name: string) => JSON.parse(readFileSync(join(dir, name), 'utf8')) as unknown;
  const manifest = read('manifest.json') as RunDocuments['manifest'];
  if (manifest?.kind !== 'segmint.manifest') throw errors.runNotFound(dir);
  return { manifest, segments: read('segments.json') as RunDocuments['segments'], rules: read('rules.json') as RunDocuments['rules'] };
}

/** assignments.csv as user id → segment id. */
export function loadAssignments(dir: string): Map<string, number> {
  const parsed = Papa.parse<Record<string, string>>(readFileSync(join(dir, 'assignments.csv'), 'utf8'), { header: true, skipEmptyLines: true });
  const out = new Map<string, number>();
  for (const row of parsed.data) out.set(row.user_id, Number(row.segment));
  return out;
}

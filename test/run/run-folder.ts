/** Finished run folders from the fixture documents, for tests over a reports folder. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assignmentsCsv, type Assignment } from '../../src/run/assignments.js';
import { stableJson } from '../../src/run/json.js';
import { loadRunDocuments } from '../../src/run/load.js';
import type { RunDocuments } from '../../src/run/types.js';
import { makeRunDocuments } from '../helpers/run-documents.js';

/**
 * A finished run `id` of `job` in `out`, its assignments.csv as big as segments.json says (each
 * segment's size, users named `u<segment>-<n>`).
 */
export function writeRunFolder(out: string, id: string, finishedAt: string, job = 'weekly'): string {
  const made = makeRunDocuments();
  const docs: RunDocuments = { ...made, manifest: { ...made.manifest, runId: id, finishedAt, job } };
  const dir = join(out, id);
  mkdirSync(dir);
  writeFileSync(join(dir, 'manifest.json'), stableJson(docs.manifest));
  writeFileSync(join(dir, 'segments.json'), stableJson(docs.segments));
  writeFileSync(join(dir, 'rules.json'), stableJson(docs.rules));
  const rows: Assignment[] = docs.segments.segments.flatMap((s) =>
    Array.from({ length: s.size }, (_, i) => ({ userId: `u${s.id}-${String(i).padStart(4, '0')}`, segment: s.id, segmentName: s.name, distance: 1, confidence: 0.5 })),
  );
  writeFileSync(join(dir, 'assignments.csv'), assignmentsCsv(rows));
  return dir;
}

/** Cuts a run's segments.json short; gives back why it no longer loads, as `runs list` shows it. */
export function truncateSegments(dir: string): string {
  writeFileSync(join(dir, 'segments.json'), '{"kind": "segmint.segm');
  try {
    loadRunDocuments(dir);
  } catch (e) {
    const { message, hint } = e as Error & { hint: string };
    return `${message} (${hint})`;
  }
  throw new Error('expected the truncated run not to load');
}

/**
 * Which run a new run is compared with: the job's latest run that loads, and a newer one of the
 * job that does not is named in a warning, never passed over silently.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createContext } from '../../src/core/context.js';
import { warnings } from '../../src/core/warnings.js';
import { assignmentsCsv, type Assignment } from '../../src/run/assignments.js';
import { stableJson } from '../../src/run/json.js';
import { loadRunDocuments } from '../../src/run/load.js';
import { shownPath } from '../../src/run/paths.js';
import { AUTO_PREVIOUS, findPrevious } from '../../src/run/previous.js';
import type { RunDocuments } from '../../src/run/types.js';
import { makeRunDocuments } from '../helpers/run-documents.js';
import { tempDir } from '../helpers/tmp.js';

/** A finished run of the fixture job in `out`, its assignments.csv as big as segments.json says. */
function writeRun(out: string, id: string, finishedAt: string, job = 'weekly'): string {
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

function truncate(dir: string): string {
  writeFileSync(join(dir, 'segments.json'), '{"kind": "segmint.segm');
  try {
    loadRunDocuments(dir);
  } catch (e) {
    const { message, hint } = e as Error & { hint: string };
    return `${message} (${hint})`;
  }
  throw new Error('expected the truncated run not to load');
}

describe('findPrevious (the job latest run)', () => {
  it('a newer run of the job that does not load: the older one, with a warning naming the skipped folder and why', () => {
    const out = tempDir();
    writeRun(out, 'run-a', '2026-10-24T06:00:00.000Z');
    const reason = truncate(writeRun(out, 'run-b', '2026-10-31T06:00:00.000Z'));
    const config = { ...makeRunDocuments().manifest.config, output: { dir: out, maxRejectRate: 0.05 } };
    const ctx = createContext(42);
    expect(findPrevious(config, AUTO_PREVIOUS, ctx)?.docs.manifest.runId).toBe('run-a');
    expect(ctx.warnings).toEqual([warnings.previousSkipped(shownPath(join(out, 'run-b')), reason, 'run-a')]);
    expect(ctx.warnings[0].message).toMatch(/^skipped .*run-b as the previous run: .*segments\.json: not valid JSON .*; compared with the older run run-a instead/);
  });

  it('no run of the job loads: none, and the warning says so', () => {
    const out = tempDir();
    const reason = truncate(writeRun(out, 'run-b', '2026-10-31T06:00:00.000Z'));
    const config = { ...makeRunDocuments().manifest.config, output: { dir: out, maxRejectRate: 0.05 } };
    const ctx = createContext(42);
    expect(findPrevious(config, AUTO_PREVIOUS, ctx)).toBeNull();
    expect(ctx.warnings).toEqual([warnings.previousSkipped(shownPath(join(out, 'run-b')), reason, null)]);
  });

  it('says nothing of a broken run of another job, or one older than the run chosen', () => {
    const out = tempDir();
    truncate(writeRun(out, 'run-0', '2026-10-17T06:00:00.000Z'));
    writeRun(out, 'run-a', '2026-10-24T06:00:00.000Z');
    truncate(writeRun(out, 'run-x', '2026-10-31T06:00:00.000Z', 'daily'));
    const config = { ...makeRunDocuments().manifest.config, output: { dir: out, maxRejectRate: 0.05 } };
    const ctx = createContext(42);
    expect(findPrevious(config, AUTO_PREVIOUS, ctx)?.docs.manifest.runId).toBe('run-a');
    expect(ctx.warnings).toEqual([]);
  });
});

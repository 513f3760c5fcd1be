/**
 * Which run a new run is compared with: the job's latest run that loads, and a newer one of the
 * job that does not is named in a warning, never passed over silently.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createContext } from '../../src/core/context.js';
import { warnings } from '../../src/core/warnings.js';
import { shownPath } from '../../src/run/paths.js';
import { AUTO_PREVIOUS, findPrevious } from '../../src/run/previous.js';
import { makeRunDocuments } from '../helpers/run-documents.js';
import { tempDir } from '../helpers/tmp.js';
import { truncateSegments as truncate, writeRunFolder as writeRun } from './run-folder.js';

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

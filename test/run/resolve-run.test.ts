/**
 * Finding a run by folder, id or `latest`; with runs of several jobs in one folder there is no
 * single `latest`, and the message names the per-job pointers instead of "run not found".
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { errors } from '../../src/core/messages.js';
import { resolveRunDir } from '../../src/run/load.js';
import { tempDir } from '../helpers/tmp.js';

function run(reports: string, name: string): string {
  const dir = join(reports, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'manifest.json'), '{}');
  return dir;
}

describe('resolveRunDir', () => {
  it('finds a run by id under the reports folder, or by its folder', () => {
    const reports = tempDir('segmint-resolve-');
    const dir = run(reports, '2026-01-01T00-00-00Z-abcdef');
    expect(resolveRunDir('2026-01-01T00-00-00Z-abcdef', reports)).toBe(dir);
    expect(resolveRunDir(dir, reports)).toBe(dir);
  });

  it('latest with only per-job pointers names them', () => {
    const reports = tempDir('segmint-resolve-');
    run(reports, 'latest-weekly');
    run(reports, 'latest-adhoc-1a2b3c');
    expect(() => resolveRunDir('latest', reports)).toThrow(errors.latestOfWhichJob(reports, ['latest-adhoc-1a2b3c', 'latest-weekly']).message);
  });

  it('an unknown run is still "run not found"', () => {
    const reports = tempDir('segmint-resolve-');
    expect(() => resolveRunDir('latest', reports)).toThrow(errors.runNotFound('latest').message);
    expect(() => resolveRunDir('nope', reports)).toThrow(errors.runNotFound('nope').message);
  });
});

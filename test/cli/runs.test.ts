/**
 * `segmint runs diff|list|history` over a reports folder of fixture runs: the order two runs are
 * compared in, a folder that does not exist, a job that has no runs.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { errors } from '../../src/core/messages.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { writeRunFolder } from '../run/run-folder.js';

describe('segmint runs diff', () => {
  it('the later run is shown as the later run whichever order the two are given in, and says so when turned round', async () => {
    const out = tempDir();
    writeRunFolder(out, 'run-a', '2026-10-24T06:00:00.000Z');
    writeRunFolder(out, 'run-b', '2026-10-31T06:00:00.000Z');
    const inOrder = await runCli(['runs', 'diff', 'run-a', 'run-b', '--dir', out]);
    expect(inOrder.code, inOrder.stderr).toBe(0);
    expect(inOrder.stderr).toBe('');
    const turned = await runCli(['runs', 'diff', 'run-b', 'run-a', '--dir', out]);
    expect(turned.code, turned.stderr).toBe(0);
    expect(turned.stderr).toBe('note: run-b finished after run-a, so it is shown as the later run\n');
    expect(turned.stdout).toBe(inOrder.stdout);
  });
});

describe('segmint runs list', () => {
  it('a --dir that does not exist is a one-line error with a hint, not "no runs"', async () => {
    const missing = join(tempDir(), 'nonexistent');
    const r = await runCli(['runs', 'list', '--dir', missing]);
    expect(r.code).not.toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`${errors.reportsFolderNotFound(missing).oneLine()}\n`);
  });
});

describe('segmint runs history', () => {
  it('a job with no runs in the folder: says so and names the jobs that have runs, not "run not found … pass a run folder"', async () => {
    const out = tempDir();
    writeRunFolder(out, 'run-a', '2026-10-24T06:00:00.000Z', 'weekly');
    writeRunFolder(out, 'run-b', '2026-10-31T06:00:00.000Z', 'daily');
    const r = await runCli(['runs', 'history', 'nojob', '--dir', out]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toBe(`${errors.jobNotFound('nojob', out, ['daily', 'weekly']).oneLine()}\n`);
    expect(r.stderr).toContain('no runs of job "nojob" in');
    expect(r.stderr).toContain('jobs with runs there: daily, weekly');
    expect(r.stderr).not.toContain('pass a run folder');
  });

  it('a folder with no runs, or none at all', async () => {
    const empty = tempDir();
    const r = await runCli(['runs', 'history', 'weekly', '--dir', empty]);
    expect(r.stderr).toBe(`${errors.jobNotFound('weekly', empty, []).oneLine()}\n`);
    const missing = join(empty, 'nonexistent');
    const m = await runCli(['runs', 'history', 'weekly', '--dir', missing]);
    expect(m.code).not.toBe(0);
    expect(m.stderr).toBe(`${errors.reportsFolderNotFound(missing).oneLine()}\n`);
  });
});

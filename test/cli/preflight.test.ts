/**
 * Checked before the long work: a bad --k / --seed and an output folder runs cannot be written
 * to stop with one line before ingest starts — no progress line on stderr (these runs are not
 * --quiet), nothing written.
 */
import { describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { errors } from '../../src/core/messages.js';
import { entries, runCli, tempDir } from '../helpers/cli.js';
import { plantedEvents } from './inputs.js';

async function expectStopsFirst(argv: string[], line: string): Promise<void> {
  const r = await runCli(argv);
  expect(r.code).toBe(1);
  expect(r.stdout).toBe('');
  expect(r.stderr).toBe(`${line}\n`);
}

describe('--k and --seed are checked up front', () => {
  for (const command of ['run', 'validate']) {
    for (const k of ['abc', '0', '1', '2.5', '-3', '']) {
      it(`${command} --k ${JSON.stringify(k)}`, async () => {
        const dir = tempDir();
        const out = join(dir, 'reports');
        await expectStopsFirst([command, '--events', plantedEvents(dir), '--out', out, '--k', k], errors.badFlagValue('k', k, 'an integer >= 2').oneLine());
        expect(entries(out)).toEqual([]);
      });
    }
  }

  it('--k given twice', async () => {
    const dir = tempDir();
    await expectStopsFirst(['run', '--events', plantedEvents(dir), '--k', '2', '--k', '3'], errors.badFlagValue('k', ['2', '3'], 'an integer >= 2').oneLine());
  });

  it('--k with --k-range is a usage error (one or the other)', async () => {
    for (const command of ['run', 'validate']) {
      const r = await runCli([command, '--events', 'e.csv', '--k', '3', '--k-range', '2..5']);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^error: Arguments k and k-range are mutually exclusive \(hint: .+\)\n$/);
    }
  });

  it('--k without a value is a usage error', async () => {
    const r = await runCli(['run', '--k']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: Not enough arguments following: k \(hint: .+\)\n$/);
  });

  it('--seed that is not a whole number in range', async () => {
    const dir = tempDir();
    await expectStopsFirst(['validate', '--events', plantedEvents(dir), '--seed', 'x1'], errors.badFlagValue('seed', 'x1', 'an integer >= 0 and <= 4294967295').oneLine());
  });

  it('a valid --k and --seed still run (validate reads the inputs)', async () => {
    const dir = tempDir();
    const r = await runCli(['validate', '--events', plantedEvents(dir), '--out', join(dir, 'reports'), '--k', '3', '--seed', '7', '--quiet']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^config ok: command line\n/);
  });
});

describe('the output folder is probed before ingest', () => {
  it('--out pointing at a file', async () => {
    const dir = tempDir();
    const file = join(dir, 'notes.txt');
    writeFileSync(file, 'x');
    for (const command of ['run', 'validate']) {
      await expectStopsFirst([command, '--events', plantedEvents(dir), '--out', file], errors.outputNotFolder(file, 'a file').oneLine());
    }
  });

  it('reports/latest being a real folder', async () => {
    const dir = tempDir();
    const out = join(dir, 'reports');
    mkdirSync(join(out, 'latest'), { recursive: true });
    await expectStopsFirst(['run', '--events', plantedEvents(dir), '--out', out], errors.latestNotPointer(join(out, 'latest')).oneLine());
    expect(entries(out)).toEqual(['latest']);
  });
});

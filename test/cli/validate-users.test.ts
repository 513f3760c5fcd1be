/**
 * `segmint validate` refuses a config whose run would stop at once for want of users (none in
 * the window) with the run's own line.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { errors } from '../../src/core/messages.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { plantedEvents } from './inputs.js';

/** A config next to the planted events (60 users in October 2026), with `extra` YAML appended. */
function config(dir: string, extra: string): string {
  plantedEvents(dir);
  const file = join(dir, 'segmint.yaml');
  writeFileSync(file, `inputs:\n  events: { path: events.csv }\n${extra}`);
  return file;
}

async function expectBothStop(dir: string, argv: string[], line: string): Promise<void> {
  for (const command of ['validate', 'run']) {
    const r = await runCli([command, ...argv, '--out', join(dir, 'reports'), '--quiet']);
    expect({ command, code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual({ command, code: 1, stdout: '', stderr: `${line}\n` });
  }
}

describe('validate counts the users a run would segment', () => {
  for (const end of ['1990-01-01', '2030-01-01']) {
    it(`window.end ${end}: no users in the window`, async () => {
      const dir = tempDir();
      await expectBothStop(dir, ['--config', config(dir, `window: { end: ${end} }\n`)], errors.noUsers().oneLine());
    });
  }

  it('a config a run can segment still validates', async () => {
    const dir = tempDir();
    const r = await runCli(['validate', '--config', config(dir, 'cluster: { k: 3 }\n'), '--out', join(dir, 'reports'), '--quiet']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^config ok: /);
  });
});

/**
 * `segmint init --user-id/--event/--timestamp`: columns the user names win over detection (here
 * the detector would take `user_id`, a column that only looks like the id, and no event column at
 * all), the written config validates, and a named column no input has is one line.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { errors } from '../../src/core/messages.js';
import { runCli, tempDir } from '../helpers/cli.js';

function writeLog(dir: string): string {
  const rows = ['member,user_id,activity,logged'];
  for (let u = 0; u < 40; u++) {
    for (let i = 0; i < 3 + (u % 4); i++) {
      rows.push(`m${u},shared-${u % 2},${u % 2 ? 'read' : 'write'},2026-03-${String(1 + ((u + i) % 27)).padStart(2, '0')}T10:${String(i).padStart(2, '0')}:00Z`);
    }
  }
  const file = join(dir, 'log.csv');
  writeFileSync(file, `${rows.join('\n')}\n`);
  return file;
}

describe('segmint init with named columns', () => {
  it('writes the named columns and the config validates', async () => {
    const dir = tempDir('segmint-init-cols-');
    const log = writeLog(dir);
    const out = join(dir, 'job.yaml');
    const r = await runCli(['init', log, '--out', out, '--user-id', 'member', '--event', 'activity', '--timestamp', 'logged']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const written = parseYaml(readFileSync(out, 'utf8')) as { inputs: { events: { columns: Record<string, string> } } };
    expect(written.inputs.events.columns).toMatchObject({ user_id: 'member', event: 'activity', timestamp: 'logged' });
    const v = await runCli(['validate', '--config', out, '--quiet']);
    expect(v.code).toBe(0);
    expect(v.stdout).toContain('config ok');
  });

  it('a named column no input has is one line', async () => {
    const dir = tempDir('segmint-init-cols-');
    const log = writeLog(dir);
    const r = await runCli(['init', log, '--out', join(dir, 'job.yaml'), '--timestamp', 'Logged']);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(errors.initColumnNotFound('--timestamp', 'Logged', ['member', 'user_id', 'activity', 'logged']).oneLine());
  });
});

/**
 * `segmint validate` refuses a config whose run would stop at once for want of users: none in
 * the window, k above the number of users, or too few users for k segments of min_size. It
 * counts the users a run segments (users with events in the window; users-table rows only in an
 * attribute-only run) and stops with the run's own line.
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

  it('cluster.k above the number of users', async () => {
    const dir = tempDir();
    await expectBothStop(dir, ['--config', config(dir, 'cluster: { k: 61, min_size: 1 }\n')], errors.kTooLarge(61, 60).oneLine());
  });

  it('k segments of cluster.min_size need more users than there are', async () => {
    const dir = tempDir();
    await expectBothStop(dir, ['--config', config(dir, 'cluster: { k: 4 }\n')], errors.tooFewToSegment(60, 4, 20).oneLine());
    const auto = tempDir();
    await expectBothStop(auto, ['--config', config(auto, 'cluster: { min_size: 40 }\n')], errors.tooFewToSegment(60, 2, 40).oneLine());
  });

  it('--events with fewer users than two segments of min_size', async () => {
    const dir = tempDir();
    const events = join(dir, 'few.csv');
    writeFileSync(events, ['user_id,event,timestamp', ...Array.from({ length: 30 }, (_, u) => `u${u},${u % 2 ? 'view' : 'edit'},2026-10-0${1 + (u % 5)}T12:00:00Z`)].join('\n') + '\n');
    await expectBothStop(dir, ['--events', events], errors.tooFewToSegment(30, 2, 20).oneLine());
  });

  it('users-table users without events are not counted (they are not segmented)', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'users.csv'), ['user_id,plan', ...Array.from({ length: 100 }, (_, u) => `u${u},${u % 3 ? 'free' : 'pro'}`)].join('\n') + '\n');
    const file = config(dir, 'cluster: { k: 61, min_size: 1 }\n').replace(/segmint\.yaml$/, 'with-users.yaml');
    writeFileSync(file, 'inputs:\n  events: { path: events.csv }\n  users: { path: users.csv }\ncluster: { k: 61, min_size: 1 }\n');
    await expectBothStop(dir, ['--config', file], errors.kTooLarge(61, 60).oneLine());
  });

  it('an attribute-only run counts the users table', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'users.csv'), ['user_id,seats', ...Array.from({ length: 5 }, (_, u) => `u${u},${u * u + 1}`)].join('\n') + '\n');
    await expectBothStop(dir, ['--users', join(dir, 'users.csv'), '--k', '6'], errors.kTooLarge(6, 5).oneLine());
  });

  it('a config a run can segment still validates', async () => {
    const dir = tempDir();
    const r = await runCli(['validate', '--config', config(dir, 'cluster: { k: 3 }\n'), '--out', join(dir, 'reports'), '--quiet']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^config ok: /);
  });
});

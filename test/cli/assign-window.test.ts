/**
 * `segmint assign` beyond scoring a run's own events: a model fitted on a users table alone scores
 * users by their attributes (no --events), and a model whose window was pinned with --as-of scores
 * later data with --as-of latest — without it, one line that names the way out.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ASSIGN_COLUMNS_HINT } from '../../src/assign/index.js';
import { loadAssignments } from '../../src/run/load.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { fixture } from '../stages/ingest/helpers.js';

/** 120 users, half editing at night and half viewing by day, over the `days` days before `end`. */
function log(end: Date, days: number): string {
  const rows = ['user_id,event,timestamp'];
  for (let u = 0; u < 120; u++) {
    const night = u % 2 === 0;
    for (let e = 0; e < 12; e++) {
      const t = new Date(end.getTime() - (((u * 7 + e * 5) % days) + 1) * 86_400_000);
      t.setUTCHours(night ? 1 + (e % 4) : 12 + (e % 4), u % 60);
      rows.push(`u${u},${night ? 'edit' : 'view'},${t.toISOString()}`);
    }
  }
  return rows.join('\n') + '\n';
}

describe('segmint assign', () => {
  it('scores a users-table-only model by attributes: --users alone reproduces the run, and --events is refused', async () => {
    const dir = tempDir();
    const users = fixture('wholesale-customers.csv');
    const reports = join(dir, 'reports');
    expect((await runCli(['run', '--users', users, '--out', reports, '--quiet'])).code).toBe(0);
    const run = join(reports, 'latest');
    const out = join(dir, 'scored.csv');
    const r = await runCli(['assign', '--model', run, '--users', users, '--out', out, '--quiet']);
    expect(r.stderr).not.toMatch(/^error:/m);
    expect(r.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(readFileSync(join(run, 'assignments.csv'), 'utf8'));

    const events = join(dir, 'events.csv');
    writeFileSync(events, 'user_id,event,timestamp\n1,a,2024-05-01T00:00:00Z\n');
    const refused = await runCli(['assign', '--model', run, '--users', users, '--events', events, '--out', out, '--quiet']);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toContain('was fitted on a users table alone');
    const none = await runCli(['assign', '--model', run, '--out', out, '--quiet']);
    expect(none.stderr).toContain('give the users to score with --users');
  }, 120_000);

  it('a model pinned with --as-of keeps its window end; later data needs --as-of latest, and the error says so', async () => {
    const dir = tempDir();
    const early = join(dir, 'early.csv');
    writeFileSync(early, log(new Date('2024-06-01T00:00:00Z'), 60));
    const reports = join(dir, 'reports');
    expect((await runCli(['run', '--events', early, '--as-of', '2024-06-01', '--k', '2', '--out', reports, '--quiet'])).code).toBe(0);
    const run = join(reports, 'latest');

    // The run's own data, its own window: its assignments back.
    const own = join(dir, 'own.csv');
    expect((await runCli(['assign', '--model', run, '--events', early, '--out', own, '--quiet'])).code).toBe(0);
    expect(readFileSync(own, 'utf8')).toBe(readFileSync(join(run, 'assignments.csv'), 'utf8'));

    // Half a year later.
    const late = join(dir, 'late.csv');
    writeFileSync(late, log(new Date('2024-12-01T00:00:00Z'), 60));
    const pinned = await runCli(['assign', '--model', run, '--events', late, '--out', join(dir, 'x.csv'), '--quiet']);
    expect(pinned.code).not.toBe(0);
    expect(pinned.stderr.trim().split('\n')).toHaveLength(1);
    expect(pinned.stderr).toContain('--as-of latest');
    const scored = join(dir, 'late-scored.csv');
    const latest = await runCli(['assign', '--model', run, '--events', late, '--as-of', 'latest', '--out', scored, '--quiet']);
    expect(latest.code).toBe(0);
    // Every user of the later data is scored into one of the run's segments.
    const k = loadAssignments(run).size > 0 ? new Set(loadAssignments(run).values()).size : 0;
    const after = readFileSync(scored, 'utf8').trim().split('\n').slice(1).map((l) => Number(l.split(',')[1]));
    expect(after).toHaveLength(120);
    expect(after.every((s) => s >= 0 && s < k)).toBe(true);
    expect((await runCli(['assign', '--model', run, '--events', late, '--as-of', 'soon', '--out', scored, '--quiet'])).stderr).toContain('--as-of "soon" is not a date or time');
  }, 120_000);

  it("a column the run's config named and the new files lack: one line whose hint fits assign (it has no config to fix)", async () => {
    const dir = tempDir();
    const events = join(dir, 'events.csv');
    writeFileSync(events, log(new Date('2024-06-01T00:00:00Z'), 60).replace(/^user_id,/, 'uid,'));
    const config = join(dir, 'job.yaml');
    writeFileSync(config, `name: job\ninputs:\n  events:\n    path: events.csv\n    columns: { user_id: uid }\ncluster: { k: 2 }\noutput: { dir: reports }\n`);
    expect((await runCli(['run', '--config', config, '--quiet'])).code).toBe(0);
    const renamed = join(dir, 'new.csv');
    writeFileSync(renamed, log(new Date('2024-06-01T00:00:00Z'), 60));
    const r = await runCli(['assign', '--model', join(dir, 'reports', 'latest'), '--events', renamed, '--out', join(dir, 'x.csv'), '--quiet']);
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(`has no column "uid"`);
    expect(r.stderr).toContain(`(hint: ${ASSIGN_COLUMNS_HINT})`);
  }, 120_000);
});

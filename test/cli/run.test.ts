/**
 * `segmint run` without a config, as a new user tries it first, then the commands that read a
 * finished run back.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir, type CliResult } from '../helpers/cli.js';
import { formatPercent } from '../../src/stages/report/format.js';

const HOSTILE_EVENT = '<script>alert(1)</script>';
const HOSTILE_PLAN = '<img src=x onerror=alert(2)>';

/** 60 users, all active on Thursdays: half fire a hostile-named event at night, half view reports by day. */
function writeInputs(dir: string): { events: string; users: string } {
  const events = ['userId,event_name,event_time'];
  const users = ['userId,plan,seats'];
  for (let u = 0; u < 60; u++) {
    const night = u % 2 === 0;
    for (let d = 0; d < 4 + (u % 5); d++) {
      for (let e = 0; e < 3; e++) {
        const ts = Date.UTC(2026, 9, 1 + d * 7, night ? 2 + e : 13 + e, (u * 7) % 60) / 1000;
        events.push(`u${u},${night ? `"${HOSTILE_EVENT}"` : 'report_viewed'},${ts}`);
      }
    }
    users.push(`u${u},"${night ? HOSTILE_PLAN : 'pro'}",${1 + (u % 7)}`);
  }
  const eventsPath = join(dir, 'events.csv');
  const usersPath = join(dir, 'users.csv');
  writeFileSync(eventsPath, events.join('\n') + '\n');
  writeFileSync(usersPath, users.join('\n') + '\n');
  return { events: eventsPath, users: usersPath };
}

describe('segmint run --events … (no config)', () => {
  let dir: string;
  let out: string;
  let run: CliResult;
  let runDir: string;

  beforeAll(async () => {
    dir = tempDir();
    out = join(dir, 'reports');
    const inputs = writeInputs(dir);
    run = await runCli(['run', '--events', inputs.events, '--users', inputs.users, '--out', out, '--k', '2', '--seed', '7']);
    runDir = join(out, 'latest');
  });

  it('exits 0, prints the detected mapping on stderr and the segment table and report path on stdout', () => {
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('user_id <- userId, event <- event_name, timestamp <- event_time (epoch_s)');
    expect(run.stdout).toMatch(/id\s+segment\s+users\s+share\s+top traits\s+rule F1/);
    expect(run.stdout).toContain('60 users, k = 2 (fixed)');
    // The run folder is outside the current directory: shown absolute, not as ../../tmp/… (QA).
    const [, shown] = /\nreport: (\S+)\n/.exec(run.stdout)!;
    expect(shown.startsWith(`${out}/`) && shown.endsWith('/report.html')).toBe(true);
  });

  it('escapes event names and attribute values from the data in report.html', () => {
    const html = readFileSync(join(runDir, 'report.html'), 'utf8');
    expect(html).not.toContain(HOSTILE_EVENT);
    expect(html).not.toContain(HOSTILE_PLAN);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toMatch(/<script/i);
  });

  it('separates the two planted groups', () => {
    const rows = readFileSync(join(runDir, 'assignments.csv'), 'utf8').trim().split('\n').slice(1);
    const segmentOf = new Map(rows.map((r) => [r.split(',')[0], r.split(',')[1]]));
    for (let u = 2; u < 60; u++) expect(segmentOf.get(`u${u}`)).toBe(segmentOf.get(`u${u % 2}`));
    expect(segmentOf.get('u0')).not.toBe(segmentOf.get('u1'));
  });

  it('re-renders the report identically from the run JSON', async () => {
    const before = readFileSync(join(runDir, 'report.html'), 'utf8');
    const r = await runCli(['report', runDir]);
    expect(r.code).toBe(0);
    expect(readFileSync(join(runDir, 'report.html'), 'utf8')).toBe(before);
  });

  it('lists runs and rules, and diffs a run against itself as stable', async () => {
    const list = await runCli(['runs', 'list', '--dir', out]);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/run\s+job\s+window end\s+users\s+k\s+mean F1\s+compared with\s+kept key/);
    const rules = await runCli(['rules', 'list', 'latest', '--dir', out]);
    expect(rules.code).toBe(0);
    expect(rules.stdout).toContain('SQL verified');
    // Metrics as the report shows them: 99.75% precision is not "1.00".
    const first = JSON.parse(readFileSync(join(runDir, 'rules.json'), 'utf8')).rules[0];
    expect(rules.stdout).toContain(`precision ${formatPercent(first.metrics.precision)}  recall ${formatPercent(first.metrics.recall)}  F1 ${first.metrics.f1.toFixed(3)}`);
    const diff = await runCli(['runs', 'diff', 'latest', 'latest', '--dir', out]);
    expect(diff.code).toBe(0);
    expect(diff.stdout.match(/stable/g)?.length).toBe(2);
  });

  it('reports an unknown run in one line', async () => {
    const r = await runCli(['runs', 'show', 'no-such-run', '--dir', out]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toMatch(/^error: run not found: no-such-run \(hint: /);
  });
});

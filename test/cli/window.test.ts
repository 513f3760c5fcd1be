/**
 * The analysis window from the command line and the config: `--window-days N|all`,
 * `window.days: all` over a log longer than ten years, the warning when the window leaves
 * out most users, and the stop when a few events from a clock running ahead would move the window.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configFromArgs } from '../../src/cli/commands/run.js';
import { loadConfigFile, WHOLE_LOG_DAYS } from '../../src/config/resolve.js';
import { errors } from '../../src/core/messages.js';
import { loadRunDocuments } from '../../src/run/load.js';
import { runCli, tempDir } from '../helpers/cli.js';

/** 200 users over 16 years: 150 active only in 2010, 50 only in October 2026; even users edit at night, odd ones view by day. */
function longLog(dir: string): string {
  const rows = ['user_id,event,timestamp'];
  for (let u = 0; u < 200; u++) {
    const year = u < 150 ? 2010 : 2026;
    const night = u % 2 === 0;
    for (let d = 0; d < 6; d++) {
      for (let e = 0; e < 3; e++) rows.push(`u${u},${night ? 'edit' : 'view'},${new Date(Date.UTC(year, 9, 1 + d * 4, night ? 2 + e : 13 + e, u % 60)).toISOString()}`);
    }
  }
  const file = join(dir, 'log.csv');
  writeFileSync(file, rows.join('\n') + '\n');
  return file;
}

describe('the analysis window', () => {
  it('window.days: all and --window-days all mean the whole log; numbers past ten years are allowed', () => {
    const dir = tempDir();
    const yaml = (days: string) => {
      const f = join(dir, `w${days}.yaml`);
      writeFileSync(f, `inputs: { events: { path: events.csv } }\nwindow: { days: ${days} }\n`);
      return f;
    };
    expect(loadConfigFile(yaml('all')).window.days).toBe(WHOLE_LOG_DAYS);
    expect(loadConfigFile(yaml('7300')).window.days).toBe(7300);
    expect(() => loadConfigFile(yaml('soon'))).toThrow(/window\.days must be a whole number of days from 1 to 50000, or all/);
    expect(configFromArgs({ events: ['x.csv'], windowDays: 'all' }).window.days).toBe(WHOLE_LOG_DAYS);
    expect(configFromArgs({ config: yaml('all'), windowDays: '30' }).window.days).toBe(30);
    expect(() => configFromArgs({ events: ['x.csv'], windowDays: '0' })).toThrow(
      errors.badFlagValue('window-days', '0', 'a whole number of days from 1 to 50000, or all').message,
    );
  });

  it('a window that leaves out most users says so in the summary; --window-days all uses the whole log', async () => {
    const dir = tempDir();
    const log = longLog(dir);
    const out = join(dir, 'reports');

    const narrow = await runCli(['run', '--events', log, '--out', out, '--k', '2', '--quiet']);
    expect(narrow.code).toBe(0);
    expect(narrow.stdout.split('\n')[0]).toBe(
      'warning: The 90-day window leaves out 75.0% of users. 150 of 200 users with events have none in the 90 days up to 2026-10-21, so they are in no segment. ' +
        'Widen it with --window-days N (window.days: N in the config), or use the whole log with --window-days all (window.days: all); --as-of DATE (window.end) moves its end.',
    );
    const narrowDocs = loadRunDocuments(join(out, 'latest'));
    expect(narrowDocs.manifest.accounting[0].usersOutOfWindow).toBe(150);
    expect(narrowDocs.segments.users).toBe(50);

    const whole = await runCli(['run', '--events', log, '--out', out, '--k', '2', '--window-days', 'all', '--quiet']);
    expect(whole.code).toBe(0);
    expect(whole.stdout).not.toContain('warning:');
    const docs = loadRunDocuments(join(out, 'latest'));
    expect(docs.segments.users).toBe(200);
    expect(docs.manifest.accounting[0]).toMatchObject({ used: 3600, outOfWindow: 0 });
    expect(docs.manifest.accounting[0].usersOutOfWindow).toBeUndefined();
  }, 120_000);

  it('a few events dated far after the rest (clock skew) stop the run in one line naming them; the --as-of it suggests runs', async () => {
    const dir = tempDir();
    // 300 users with 20 events each in April–May 2024, and 3 events (1% is 60) from a clock a year and a half ahead.
    const rows = ['user_id,event,timestamp'];
    for (let u = 0; u < 300; u++) {
      for (let e = 0; e < 20; e++) rows.push(`u${u},${u % 2 ? 'view' : 'edit'},${new Date(Date.UTC(2024, 3, 1 + ((u + e * 3) % 58), 9 + (e % 8))).toISOString()}`);
    }
    rows.push('u1,view,2025-11-01T00:00:00Z', 'u2,view,2025-11-02T00:00:00Z', 'u3,edit,2025-11-03T12:00:00Z');
    const log = join(dir, 'skewed.csv');
    writeFileSync(log, rows.join('\n') + '\n');
    const out = join(dir, 'reports');

    const r = await runCli(['run', '--events', log, '--out', out, '--k', '2', '--quiet']);
    expect(r.code).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toBe(
      'error: 3 events are dated 2025-11-01T00:00:00Z to 2025-11-03T12:00:00Z, after more than 30 days without any event; all the other events end by 2024-05-28T16:00:00Z, ' +
        'and a window ending at the latest event would leave them out (clock skew?) (hint: end the window with the bulk of the events: set window.end: 2024-05-28 (or --as-of 2024-05-28); those events then count as out of window)',
    );
    expect(existsSync(out)).toBe(false);

    const fixed = await runCli(['run', '--events', log, '--out', out, '--k', '2', '--as-of', '2024-05-28', '--quiet']);
    expect(fixed.code).toBe(0);
    const docs = loadRunDocuments(join(out, 'latest'));
    expect(docs.manifest.accounting[0]).toMatchObject({ read: 6003, outOfWindow: 3, rejected: 0 });
    expect(docs.segments.users).toBe(300);
  }, 120_000);
});

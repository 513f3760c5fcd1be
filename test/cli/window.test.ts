/**
 * The analysis window from the command line and the config: `--window-days N|all`,
 * `window.days: all` over a log longer than ten years, and the warning when the window leaves
 * out most users.
 */
import { writeFileSync } from 'node:fs';
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
});

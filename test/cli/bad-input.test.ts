/**
 * Bad input never produces a stack trace or a run folder: one line naming the problem, a hint,
 * and a non-zero exit.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { errors } from '../../src/core/messages.js';
import { entries, runCli, tempDir } from '../helpers/cli.js';

function eventsFile(dir: string, name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

/** A small valid log: `users` users with a few events each over a few days. */
function smallLog(users: number): string {
  const lines = ['user_id,event,timestamp'];
  for (let u = 0; u < users; u++) {
    for (let e = 0; e < 6; e++) {
      lines.push(`u${u},${e % 2 ? 'view' : 'edit'}${u % 3},2024-05-${String(1 + ((u + e) % 20)).padStart(2, '0')}T${String(8 + e).padStart(2, '0')}:00:00Z`);
    }
  }
  return lines.join('\n') + '\n';
}

async function expectCleanFailure(argv: string[], out: string, expected: { message: string; code?: number }) {
  const result = await runCli([...argv, '--out', out, '--quiet']);
  expect(result.code).not.toBe(0);
  const lines = result.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toContain(expected.message);
  expect(lines[0]).toMatch(/\(hint: .+\)$/);
  expect(result.stderr).not.toMatch(/\n\s+at /);
  expect(entries(out)).toEqual([]);
  return result;
}

describe('segmint run on bad input', () => {
  it('a missing file', async () => {
    const dir = tempDir();
    const missing = join(dir, 'nope.csv');
    await expectCleanFailure(['run', '--events', missing], join(dir, 'out'), { message: errors.fileNotFound(missing, 'events').message });
  });

  it('a file with no user-id column', async () => {
    const dir = tempDir();
    const file = eventsFile(dir, 'events.csv', 'who,event,timestamp\na,view,2024-05-01T00:00:00Z\n');
    const r = await expectCleanFailure(['run', '--events', file], join(dir, 'out'), { message: `${file} has no user id column` });
    expect(r.stderr).toContain('found who, event, timestamp');
  });

  it('an events file with only a header', async () => {
    const dir = tempDir();
    const file = eventsFile(dir, 'events.csv', 'user_id,event,timestamp\n');
    await expectCleanFailure(['run', '--events', file], join(dir, 'out'), { message: errors.emptyInput(file, 'events').message });
  });

  it('a timestamp column that does not parse', async () => {
    const dir = tempDir();
    const file = eventsFile(dir, 'events.csv', 'user_id,event,timestamp\na,view,yesterday\nb,view,last week\nc,edit,soon\n');
    await expectCleanFailure(['run', '--events', file], join(dir, 'out'), { message: 'timestamp column "timestamp"' });
  });

  it('--k larger than the number of users', async () => {
    const dir = tempDir();
    const file = eventsFile(dir, 'events.csv', smallLog(5));
    await expectCleanFailure(['run', '--events', file, '--k', '9'], join(dir, 'out'), { message: errors.kTooLarge(9, 5).message });
  });

  it('a single user', async () => {
    const dir = tempDir();
    const file = eventsFile(dir, 'events.csv', smallLog(1));
    await expectCleanFailure(['run', '--events', file], join(dir, 'out'), { message: 'only 1 distinct user' });
  });

  it('too few users for segments of the minimum size (22 users: a message, not 1-user segments)', async () => {
    const dir = tempDir();
    const file = eventsFile(dir, 'events.csv', smallLog(22));
    await expectCleanFailure(['run', '--events', file], join(dir, 'out'), { message: errors.tooFewToSegment(22, 2, 20).message });
    await expectCleanFailure(['run', '--events', file, '--k', '2'], join(dir, 'out2'), { message: 'cluster.min_size' });
  });

  it('a NUL character in an event name is data: the run completes and rules.sql runs (was a multi-line parse error)', async () => {
    const dir = tempDir();
    const rows = ['user_id,event,timestamp'];
    for (let u = 0; u < 60; u++) {
      for (let e = 0; e < 8; e++) {
        const event = e % 2 ? 'view' : u % 3 === 0 ? 'edit\u0000x' : `edit${u % 2}`;
        rows.push(`u${u},${event},2024-05-${String(1 + ((u + e) % 20)).padStart(2, '0')}T${String(8 + e).padStart(2, '0')}:00:00Z`);
      }
    }
    const file = eventsFile(dir, 'events.csv', rows.join('\n') + '\n');
    const out = join(dir, 'out');
    const result = await runCli(['run', '--events', file, '--out', out, '--quiet']);
    expect(result.stderr).not.toMatch(/Parser Error|\n\s+at /);
    expect(result.code).toBe(0);
    const sql = readFileSync(join(out, 'latest', 'rules.sql'), 'utf8');
    expect(sql).not.toContain('\u0000');
  });

  it('identical users', async () => {
    const dir = tempDir();
    const rows = ['user_id,event,timestamp'];
    for (const u of ['a', 'b', 'c', 'd']) rows.push(`${u},view,2024-05-01T10:00:00Z`, `${u},view,2024-05-02T10:00:00Z`);
    const file = eventsFile(dir, 'events.csv', rows.join('\n') + '\n');
    await expectCleanFailure(['run', '--events', file], join(dir, 'out'), { message: errors.identicalUsers(4).message });
  });

  it('an attribute-only table whose only column was left out as an identifier names it, with the type to declare', async () => {
    const dir = tempDir();
    const rows = ['customer_id,revenue_cents', ...Array.from({ length: 200 }, (_, i) => `c${i},${1000 + i * 37}`)];
    const users = eventsFile(dir, 'crm.csv', rows.join('\n') + '\n');
    await expectCleanFailure(['run', '--users', users], join(dir, 'out'), {
      message: `error: no column of ${users} is left to segment on: revenue_cents (unique per row (identifier)) (hint: to use a column, give its type: inputs.users.types, e.g. { revenue_cents: number } (or category))`,
    });
  });

  it('an accounts table without a users table (nothing to join it to) is refused, not counted as used', async () => {
    const dir = tempDir();
    const events = eventsFile(dir, 'events.csv', smallLog(30));
    const accounts = eventsFile(dir, 'accounts.csv', 'account_id,plan\na1,pro\na2,free\n');
    await expectCleanFailure(['run', '--events', events, '--accounts', accounts], join(dir, 'out'), {
      message: `error: ${accounts} cannot be used: accounts join users through the users' account column, and no users table was given`,
    });
  });

  it('a warehouse accounts table without a users table is refused before connecting, like files', async () => {
    // Port 1 on loopback: nothing listens there, so only a refusal before connecting names the tables.
    const r = await runCli(['validate', '--warehouse', 'postgres://segmint@127.0.0.1:1/analytics', '--events-table', 'analytics.events', '--accounts-table', 'analytics.accounts', '--quiet']);
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('a users table beside the accounts table');
  });

  it('a malformed --k-range', async () => {
    const dir = tempDir();
    const file = eventsFile(dir, 'events.csv', smallLog(5));
    await expectCleanFailure(['run', '--events', file, '--k-range', 'five'], join(dir, 'out'), { message: errors.badKRange('five').message });
  });

  it('an unknown option is a usage error, not a crash', async () => {
    const r = await runCli(['run', '--colour', 'blue']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n').at(-1)).toMatch(/^error: .*colour.*\(hint: /);
  });
});

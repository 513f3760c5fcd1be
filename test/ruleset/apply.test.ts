/**
 * `rules apply` on small hand-written inputs, with rules promoted from the fixture run (no
 * recomputation): inputs the rules cannot be computed on stop with one line that says what is
 * missing — an empty window, a users table not given — before any rule is blamed.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createContext } from '../../src/core/context.js';
import { rulesetErrors } from '../../src/core/messages.js';
import { promote } from '../../src/ruleset/promote.js';
import { readRuleset } from '../../src/ruleset/store.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { rulesOnEventAndColumn } from '../helpers/run-documents.js';

describe('rules apply on inputs it cannot compute the rules on', () => {
  const ctx = createContext(1);
  let dir: string;
  let events: string;
  let users: string;

  beforeAll(async () => {
    dir = tempDir();
    events = join(dir, 'events.csv');
    writeFileSync(
      events,
      [
        'user_id,event,timestamp',
        'u1,dashboard_viewed,2024-05-01T10:00:00Z',
        'u1,dashboard_viewed,2024-05-02T10:00:00Z',
        'u2,report_created,2024-05-03T10:00:00Z',
        'u2,dashboard_viewed,2024-05-04T10:00:00Z',
        'u3,report_created,2024-05-05T10:00:00Z',
      ].join('\n') + '\n',
    );
    users = join(dir, 'users.csv');
    writeFileSync(users, 'user_id,plan\nu1,pro\nu2,free\nu3,pro\n');
    await promote(rulesOnEventAndColumn(), { ruleset: join(dir, 'events-rule'), segments: ['0'] }, ctx);
    await promote(rulesOnEventAndColumn(), { ruleset: join(dir, 'users-rule'), segments: ['2'] }, ctx);
  });

  it('computes both rules on the inputs (the fixture is sound)', async () => {
    for (const [ruleset, size] of [['events-rule', '2'], ['users-rule', '2']] as const) {
      const r = await runCli(['rules', 'apply', '--ruleset', join(dir, ruleset), '--events', events, '--users', users, '--out', join(dir, `ok-${ruleset}`), '--quiet']);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`${readRuleset(join(dir, ruleset))[0].doc.key}\\s+v1\\s+${size}\\s`));
    }
  });

  it.each([
    ['before all data', '2023-01-01'],
    ['long after all data', '2025-01-01'],
  ])('--as-of %s: says the window holds no events (naming it and the --as-of), not that a rule lacks its event', async (_, asOf) => {
    const out = join(dir, `empty-${asOf}`);
    const r = await runCli(['rules', 'apply', '--ruleset', join(dir, 'events-rule'), '--events', events, '--users', users, '--as-of', asOf, '--out', out, '--quiet']);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^error: no events of .*events\.csv fall in the window the rules are computed over: the 90 days from \S+ to \S+ \(--as-of /);
    expect(r.stderr).toContain(`(--as-of ${asOf}); all 5 valid events read lie outside it (hint: give an --as-of inside the data`);
    expect(r.stderr).not.toContain('dashboard_viewed');
    expect(existsSync(out)).toBe(false);
  });

  it('a rule reading a users column without --users: says no users table was given', async () => {
    const out = join(dir, 'no-users');
    const r = await runCli(['rules', 'apply', '--ruleset', join(dir, 'users-rule'), '--events', events, '--out', out, '--quiet']);
    const key = readRuleset(join(dir, 'users-rule'))[0].doc.key;
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 1, stderr: `${rulesetErrors.tableNotGiven(key, 'users', 'plan').oneLine()}\n` });
    expect(r.stderr).toContain(`the rule of ${key} reads column "plan" of the users table, but no users table was given (hint: pass the users table it was promoted with: --users FILE, or inputs.users in --config)`);
    expect(existsSync(out)).toBe(false);
  });
});

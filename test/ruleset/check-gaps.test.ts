/**
 * `rules check` against a run whose data lacks what some promoted rules read: an event gone from
 * the window, a users column gone from the table. Each such rule is a row of the table, decayed
 * with the reason, beside the rule that can still be measured; the check does not stop at the
 * first one, and exits 1. Small hand-written inputs and the fixture run's documents.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createContext } from '../../src/core/context.js';
import { rulesetErrors } from '../../src/core/messages.js';
import { promote } from '../../src/ruleset/promote.js';
import { readRuleset } from '../../src/ruleset/store.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { makeConfig, rulesOnEventAndColumn } from '../helpers/run-documents.js';
import { fourUserRun } from './helpers.js';
import { formatPercent } from '../../src/stages/report/format.js';

/** A newer run of the same job over `events` and `users`, with its assignments. */
function newerRun(events: string, users: string): string {
  const base = makeConfig();
  return fourUserRun({ ...base, inputs: { events: { ...base.inputs.events!, paths: [events] }, users: { ...base.inputs.users!, paths: [users], exclude: [] }, accounts: null } }, 'run-b');
}

describe('rules check when the run lacks what a rule reads', () => {
  let dir: string;
  let ruleset: string;

  beforeAll(async () => {
    dir = tempDir();
    ruleset = join(dir, 'ruleset');
    await promote(rulesOnEventAndColumn({ eventsRule: true }), { ruleset, segments: ['0', '1', '2'] }, createContext(1));
  });

  it('lists every rule: the one without its event and the one without its column decayed, with why; exits 1', async () => {
    // No dashboard_viewed event, and a users table without plan.
    const events = join(dir, 'events.csv');
    writeFileSync(
      events,
      ['user_id,event,timestamp', 'u1,report_created,2024-05-01T10:00:00Z', 'u1,report_created,2024-05-02T10:00:00Z', 'u2,page_viewed,2024-05-03T10:00:00Z', 'u3,page_viewed,2024-05-04T10:00:00Z', 'u4,report_created,2024-05-05T10:00:00Z', 'u4,page_viewed,2024-05-06T10:00:00Z'].join('\n') + '\n',
    );
    const users = join(dir, 'users.csv');
    writeFileSync(users, 'user_id,region\nu1,emea\nu2,amer\nu3,emea\nu4,apac\n');

    const r = await runCli(['rules', 'check', '--ruleset', ruleset, '--run', newerRun(events, users), '--quiet']);
    const keys = readRuleset(ruleset).map((e) => e.doc);
    const [byEvent, byCount, byColumn] = [0, 1, 2].map((s) => keys.find((d) => d.created_from.segment === s)!);
    const line = (key: string) => r.stdout.split('\n').find((l) => l.startsWith(key)) ?? '';

    expect(r.code).toBe(1);
    expect(line(byEvent.key)).toMatch(/DECAYED: event "dashboard_viewed" no longer occurs in the run's window/);
    expect(line(byColumn.key)).toMatch(/DECAYED: cannot be evaluated: the run's users table has no column "plan"$/);
    // Not evaluated: no measures where they would be.
    expect(line(byColumn.key)).toContain(`${formatPercent(byColumn.metrics.precision)} → -`);
    // The rule the data can answer is measured beside them: events >= 2 selects u1 and u4.
    expect(line(byCount.key)).toContain('2 (');
    const decayed = [byEvent, byCount, byColumn].filter((d) => line(d.key).includes('DECAYED')).map((d) => d.key);
    expect(decayed).toEqual(expect.arrayContaining([byEvent.key, byColumn.key]));
    expect(r.stderr).toBe(`${rulesetErrors.decayed(decayed).oneLine()}\n`);
  });
});

/**
 * A flag that takes one value, given twice: one line naming it (as a repeated --seed gets), exit 2,
 * never a stack trace from a list reaching a path function (QA).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repeatedFlag } from '../../src/cli/once.js';
import { commandTable } from '../../src/cli/options.js';
import { errors } from '../../src/core/messages.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { plantedEvents } from './inputs.js';

describe('a single-value flag given twice', () => {
  const cases: { argv: (events: string, dir: string) => string[]; flag: string; values: string[] }[] = [
    { argv: (e) => ['validate', '--events', e, '--config', 'a.yaml', '--config', 'b.yaml'], flag: 'config', values: ['a.yaml', 'b.yaml'] },
    { argv: (e, d) => ['run', '--events', e, '--out', join(d, 'a'), '--out', join(d, 'b')], flag: 'out', values: ['a', 'b'] },
    { argv: (e) => ['validate', '--events', e, '--users', 'u1.csv', '--users', 'u2.csv'], flag: 'users', values: ['u1.csv', 'u2.csv'] },
    { argv: (e) => ['run', '--events', e, '--accounts', 'a1.csv', '--accounts', 'a2.csv'], flag: 'accounts', values: ['a1.csv', 'a2.csv'] },
    { argv: (e) => ['validate', '--events', e, '--k-range', '2..3', '--k-range', '2..4'], flag: 'k-range', values: ['2..3', '2..4'] },
    { argv: () => ['segments', 'export', 'latest', '0', '--out', 'a.csv', '--out', 'b.csv'], flag: 'out', values: ['a.csv', 'b.csv'] },
    { argv: (e) => ['rules', 'apply', '--ruleset', 'rs', '--events', e, '--out', 'a', '--out', 'b'], flag: 'out', values: ['a', 'b'] },
    { argv: (e) => ['init', e, '--out', 'a.yaml', '--out', 'b.yaml'], flag: 'out', values: ['a.yaml', 'b.yaml'] },
  ];
  for (const c of cases) {
    it(`${c.argv('E', 'D').slice(0, 2).join(' ')} --${c.flag} twice`, async () => {
      const dir = tempDir();
      const argv = c.argv(plantedEvents(dir), dir);
      const r = await runCli(argv);
      const values = c.flag === 'out' && argv[0] === 'run' ? c.values.map((v) => join(dir, v)) : c.values;
      expect(r.stderr).toBe(`${errors.badFlagValue(c.flag, values, 'one value').oneLine()}\n`);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
    });
  }

  it('leaves list flags, booleans and flags their command checks itself alone', () => {
    expect(repeatedFlag({ _: ['run'], events: ['a.csv', 'b.csv'], outcome: ['x', 'y'], quiet: true }, commandTable)).toBeNull();
    expect(repeatedFlag({ _: ['run'], seed: ['1', '2'] }, commandTable)).toBeNull();
    expect(repeatedFlag({ _: ['runs', 'list'], dir: ['a', 'b'] }, commandTable)?.message).toBe(errors.badFlagValue('dir', ['a', 'b'], 'one value').message);
    expect(repeatedFlag({ _: ['segments', 'export', 'r', '0'], out: ['a', 'b'] }, commandTable)?.message).toBe(errors.badFlagValue('out', ['a', 'b'], 'one value').message);
  });
});

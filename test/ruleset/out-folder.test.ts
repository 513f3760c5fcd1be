/**
 * `rules apply` and `rules export` given a file as --out (or a path inside one): one line naming
 * the file with a hint, exit 1, nothing written — checked before apply reads any input.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { errors } from '../../src/core/messages.js';
import { shownPath } from '../../src/run/paths.js';
import { entries, runCli, tempDir } from '../helpers/cli.js';
import { attribute, promotedDoc, writeRuleset } from './docs.js';

describe('--out naming a file', () => {
  let dir: string;
  let ruleset: string;
  let inputs: string[];
  let file: string;

  beforeAll(() => {
    dir = tempDir();
    ruleset = join(dir, 'ruleset');
    writeRuleset(ruleset, [promotedDoc('gold-users-aaaaaa', [{ feature: 'attr_plan', op: '=', value: 'gold', label: "plan = 'gold'" }], { attr_plan: attribute('plan', 'category') })]);
    writeFileSync(join(dir, 'events.csv'), 'user_id,event,timestamp\nu1,login,2026-01-01T00:00:00Z\nu2,login,2026-01-02T00:00:00Z\n');
    writeFileSync(join(dir, 'users.csv'), 'user_id,plan\nu1,gold\nu2,free\n');
    inputs = ['--events', join(dir, 'events.csv'), '--users', join(dir, 'users.csv')];
    file = join(dir, 'afile');
    writeFileSync(file, 'not a folder\n');
  });

  const commands: [string, () => string[]][] = [
    ['rules apply', () => ['rules', 'apply', '--ruleset', ruleset, ...inputs, '--quiet']],
    ['rules export', () => ['rules', 'export', '--ruleset', ruleset, '--to', 'sql']],
  ];

  it.each(commands)('%s: one line naming the file, exit 1, nothing written', async (_, args) => {
    for (const out of [file, join(file, 'sub')]) {
      const before = entries(dir);
      const r = await runCli([...args(), '--out', out]);
      expect({ code: r.code, stderr: r.stderr, stdout: r.stdout }).toEqual({ code: 1, stderr: `${errors.outputNotFolder(shownPath(file), 'a file').oneLine()}\n`, stdout: '' });
      expect(entries(dir)).toEqual(before);
      expect(readFileSync(file, 'utf8')).toBe('not a folder\n');
    }
  });

  it('the same commands write into a folder that does not exist yet', async () => {
    for (const [name, args] of commands) expect((await runCli([...args(), '--out', join(dir, 'new', name.replace(' ', '-'))])).code, name).toBe(0);
  });
});

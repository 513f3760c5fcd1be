/**
 * `rules diff`: two ruleset folders (main and a branch where one segment got a new version with a
 * moved threshold and a new owner, one was removed and one added), and two versions of one
 * segment. The membership impact is checked against `rules apply` run on each side on its own.
 */
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { rulesetErrors } from '../../src/core/messages.js';
import { ruleChanges } from '../../src/ruleset/diff.js';
import { contentHash } from '../../src/ruleset/promote.js';
import type { PromotedSegment } from '../../src/ruleset/schema.js';
import { readRuleset, renderEntry } from '../../src/ruleset/store.js';
import { conditionText } from '../../src/stages/rules/text.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { SAMPLE_INPUTS, membersByKey, sampleRun } from './helpers.js';

/** The next version of `doc`: its first numeric threshold moved by `factor`, a new owner, the current version in history. */
function nextVersion(doc: PromotedSegment, factor: number, owner: string): PromotedSegment {
  const i = doc.rule.conditions.findIndex((c) => c.op === '>=' || c.op === '<');
  const conditions = doc.rule.conditions.map((c, j) => {
    if (j !== i || (c.op !== '>=' && c.op !== '<')) return c;
    const value = Number((c.value * factor).toPrecision(3));
    return { ...c, value, label: conditionText(doc.features[c.feature].label, c.op, value) };
  });
  const rule = { text: conditions.map((c) => c.label).join(' AND '), conditions };
  const { kind: _k, format: _f, key: _key, status: _s, name: _n, description: _d, owner: _o, note: _note, created_at: _c, source: _src, history, ...current } = doc;
  return { ...doc, owner, version: doc.version + 1, rule, content_hash: contentHash({ rule, features: doc.features, window: doc.window }), history: [...history, current] };
}

describe('rules diff', () => {
  let dir: string;
  let main: string;
  let branch: string;
  /** changed: a new version in the branch; removed: only in main; added: only in the branch. */
  let changed: PromotedSegment;
  let changedNext: PromotedSegment;
  let removed: string;
  let added: string;
  let applied: { main: Map<string, Set<string>>; branch: Map<string, Set<string>> };

  beforeAll(async () => {
    dir = tempDir();
    const { runDir } = await sampleRun(join(dir, 'reports'));
    main = join(dir, 'main');
    expect((await runCli(['rules', 'promote', runDir, '1', '5', '--ruleset', main, '--owner', 'growth', '--quiet'])).code).toBe(0);
    const docs = readRuleset(main).map((e) => e.doc);
    changed = docs.find((d) => d.rule.conditions.some((c) => c.op === '>=' || c.op === '<'))!;
    removed = docs.find((d) => d.key !== changed.key)!.key;
    // The branch: changed gets v2, removed is gone, segment 3 is promoted.
    branch = join(dir, 'branch');
    cpSync(main, branch, { recursive: true });
    changedNext = nextVersion(changed, changed.rule.conditions.find((c) => c.op === '>=') ? 1.5 : 0.6, 'data');
    writeFileSync(join(branch, `${changed.key}.yaml`), renderEntry(changedNext));
    rmSync(join(branch, `${removed}.yaml`));
    expect((await runCli(['rules', 'promote', runDir, '3', '--ruleset', branch, '--owner', 'growth', '--quiet'])).code).toBe(0);
    added = readRuleset(branch).map((e) => e.doc.key).find((k) => k !== changed.key)!;
    // The reference: rules apply on each side on its own.
    for (const side of ['main', 'branch'] as const) {
      const out = join(dir, `apply-${side}`);
      mkdirSync(out);
      expect((await runCli(['rules', 'apply', '--ruleset', side === 'main' ? main : branch, ...SAMPLE_INPUTS, '--out', out, '--quiet'])).code).toBe(0);
    }
    applied = { main: membersByKey(join(dir, 'apply-main', 'memberships.csv')), branch: membersByKey(join(dir, 'apply-branch', 'memberships.csv')) };
  }, 300_000);

  const row = (stdout: string, key: string) => stdout.split('\n').find((l) => l.startsWith(`${key} `))!.trim().split(/\s{2,}/);
  const impact = (a: Set<string> | undefined, b: Set<string> | undefined) => {
    const sa = a ?? new Set<string>();
    const sb = b ?? new Set<string>();
    const both = [...sa].filter((u) => sb.has(u)).length;
    return [sa.size - both, sb.size - both, both].map((n) => n.toLocaleString('en-US'));
  };

  it('names what changed per key: new version, moved threshold, owner; added and removed keys', async () => {
    const r = await runCli(['rules', 'diff', main, branch]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(row(r.stdout, changed.key)).toEqual([changed.key, 'v1', 'v2', 'changed']);
    expect(row(r.stdout, removed)).toEqual([removed, 'v1', '-', 'removed']);
    expect(row(r.stdout, added)).toEqual([added, '-', 'v1', 'added']);
    const before = changed.rule.conditions.find((c, i) => c.value !== changedNext.rule.conditions[i].value)!;
    const after = changedNext.rule.conditions.find((c) => c.feature === before.feature && c.op === before.op)!;
    const details = r.stdout.slice(r.stdout.indexOf(`\n${changed.key}\n`));
    expect(details).toContain(`  threshold changed: ${before.label} → ${after.label}\n`);
    expect(details).toContain('  owner "growth" → "data"\n');
    expect(ruleChanges(changed, changedNext)).toEqual([`threshold changed: ${before.label} → ${after.label}`]);
  });

  it('with inputs: users selected by A only, B only and both, as rules apply selects them on each side', async () => {
    const r = await runCli(['rules', 'diff', main, branch, ...SAMPLE_INPUTS, '--quiet']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    for (const key of [changed.key, removed, added]) {
      expect(row(r.stdout, key).slice(4)).toEqual(impact(applied.main.get(key), applied.branch.get(key)));
    }
    // The moved threshold changes who is selected, on both sides of it.
    const [onlyA, onlyB] = row(r.stdout, changed.key).slice(4);
    expect(onlyA === '0' && onlyB === '0').toBe(false);
  });

  it('two versions of one segment, the older read from history', async () => {
    const r = await runCli(['rules', 'diff', '--ruleset', branch, `${changed.key}@1`, `${changed.key}@2`, ...SAMPLE_INPUTS, '--quiet']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`A  ${changed.key}@1\nB  ${changed.key}@2\n`);
    expect(row(r.stdout, changed.key)).toEqual([changed.key, 'v1', 'v2', 'changed', ...impact(applied.main.get(changed.key), applied.branch.get(changed.key))]);
    // Segment-level fields are the file's, so versions differ only in their rules.
    expect(r.stdout).not.toContain('owner');
  });

  it('bad input ends in one line from the catalog', async () => {
    const cases: [string[], string][] = [
      [['rules', 'diff', main, join(dir, 'nope')], rulesetErrors.folderNotFound(join(dir, 'nope')).oneLine()],
      [['rules', 'diff', '--ruleset', branch, 'nope@1', 'nope@2'], rulesetErrors.keyNotFound(branch, 'nope', readRuleset(branch).map((e) => e.doc.key)).oneLine()],
      [['rules', 'diff', '--ruleset', branch, `${changed.key}@1`, `${changed.key}@9`], rulesetErrors.versionNotFound(changed.key, 9, [1, 2]).oneLine()],
      [['rules', 'diff', '--ruleset', branch, changed.key, `${changed.key}@2`], rulesetErrors.versionRefInvalid(changed.key).oneLine()],
      [['rules', 'diff', '--ruleset', branch, `${changed.key}@1`, `${added}@1`], rulesetErrors.versionsOfTwoKeys(`${changed.key}@1`, `${added}@1`).oneLine()],
    ];
    for (const [argv, line] of cases) {
      const r = await runCli(argv);
      expect({ argv, code: r.code, stderr: r.stderr, stdout: r.stdout }).toEqual({ argv, code: 1, stderr: `${line}\n`, stdout: '' });
    }
  });
});

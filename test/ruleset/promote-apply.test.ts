/**
 * promote → apply on the bundled sample: promoted files carry the rule, the definitions and the
 * metrics; re-promoting is a no-op; apply on the run's own inputs selects exactly the users each
 * rule's metrics count — user for user the rule evaluated on the run's feature table; two applies
 * into one --out give changes that reconcile both memberships; bad input stops with one line and
 * overwrites nothing.
 */
import { readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { familyOf } from '../../src/core/meaning.js';
import { evaluateRule } from '../../src/stages/rules/index.js';
import type { FeatureTable } from '../../src/stages/features/types.js';
import type { RunDocuments } from '../../src/run/types.js';
import { readRuleset } from '../../src/ruleset/store.js';
import { rulesetErrors } from '../../src/core/messages.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { REPO, SAMPLE, SAMPLE_INPUTS, membersByKey, readCsv, sampleFeatures, sampleRun } from './helpers.js';
import { loadConfigFile } from '../../src/config/index.js';
import { createContext } from '../../src/core/context.js';
import { runPipeline } from '../../src/pipeline.js';

describe('rules promote and apply on the bundled sample', () => {
  let dir: string;
  let runDir: string;
  let docs: RunDocuments;
  let table: FeatureTable;
  let ruleset: string;
  let allRuleset: string;

  beforeAll(async () => {
    dir = tempDir();
    ({ runDir, documents: docs } = await sampleRun(join(dir, 'reports')));
    table = await sampleFeatures();
    ruleset = join(dir, 'ruleset');
    allRuleset = join(dir, 'all');
    const two = await runCli(['rules', 'promote', runDir, '1', docs.segments.segments[5].name, '--ruleset', ruleset, '--owner', 'growth-team', '--quiet']);
    expect(two.stderr).toBe('');
    expect(two.code).toBe(0);
    const all = await runCli(['rules', 'promote', runDir, 'all', '--ruleset', allRuleset, '--quiet']);
    expect(all.code).toBe(0);
  }, 240_000);

  it('writes one file per segment with rule, definitions, provenance and metrics', () => {
    const entries = readRuleset(ruleset);
    expect(entries.map((e) => e.doc.created_from.segment).sort()).toEqual([1, 5]);
    for (const { doc, file } of entries) {
      const rule = docs.rules.rules.find((r) => r.segment === doc.created_from.segment)!;
      expect(file.endsWith(`${doc.key}.yaml`)).toBe(true);
      expect(doc.key).toMatch(/^[a-z0-9-]+-[0-9a-f]{6}$/);
      expect(doc.version).toBe(1);
      expect(doc.owner).toBe('growth-team');
      expect(doc.created_from.run_id).toBe(docs.manifest.runId);
      // The segment's key in the job's runs, so `runs history` can follow it (QA).
      expect(doc.created_from.segment_key).toMatch(/^seg-[0-9a-f]{6,}$/);
      expect(doc.created_from.segment_key).toBe(docs.segments.segments[doc.created_from.segment].key);
      expect(doc.created_from.config_hash).toBe(docs.manifest.configHash);
      expect(doc.created_from.inputs).toEqual(docs.manifest.inputs);
      expect(doc.rule.conditions).toEqual(rule.conditions);
      expect(Object.keys(doc.features).sort()).toEqual([...new Set(rule.conditions.map((c) => c.feature))].sort());
      for (const f of Object.values(doc.features)) {
        if (familyOf(f.meaning) !== 'attribute') expect(f.definition).toContain(`in the ${docs.manifest.window.days} days up to and including the as-of time E`);
        expect(f.distribution).not.toBeNull();
      }
      expect(doc.metrics).toMatchObject({ selected: rule.metrics.selected, precision: rule.metrics.precision, recall: rule.metrics.recall, f1: rule.metrics.f1, lift: rule.metrics.lift });
    }
  });

  it('re-promoting the same rule is a no-op (bytes unchanged)', async () => {
    const before = readdirSync(ruleset).map((f) => readFileSync(join(ruleset, f), 'utf8'));
    const again = await runCli(['rules', 'promote', runDir, '1', '5', '--ruleset', ruleset, '--quiet']);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/unchanged/);
    expect(readdirSync(ruleset).map((f) => readFileSync(join(ruleset, f), 'utf8'))).toEqual(before);
  });

  it('reads the inputs once for rules promoted from runs of two jobs that read them alike', async () => {
    // Outside check: apply ingested the inputs once per job, printing every warning twice and
    // recording the same as-of twice.
    const base = loadConfigFile(join(REPO, 'pipeline/default.yaml'), { out: join(dir, 'other-reports') });
    const other = await runPipeline({ ...base, name: 'other-job' }, createContext(base.seed));
    const mixed = join(dir, 'mixed');
    expect((await runCli(['rules', 'promote', runDir, '1', '--ruleset', mixed, '--quiet'])).code).toBe(0);
    expect((await runCli(['rules', 'promote', other.runDir, '5', '--ruleset', mixed, '--quiet'])).code).toBe(0);
    expect(new Set(readRuleset(mixed).map((e) => e.doc.created_from.job)).size).toBe(2);
    const out = join(dir, 'apply-mixed');
    const r = await runCli(['rules', 'apply', '--ruleset', mixed, ...SAMPLE_INPUTS, '--out', out, '--quiet']);
    expect(r.code).toBe(0);
    expect(JSON.parse(readFileSync(join(out, 'apply.json'), 'utf8')).as_of).toHaveLength(1);
  }, 120_000);

  it('apply on the same inputs selects exactly the users each rule selects on the run features', async () => {
    const out = join(dir, 'apply-all');
    const r = await runCli(['rules', 'apply', '--ruleset', allRuleset, ...SAMPLE_INPUTS, '--out', out, '--quiet']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const members = membersByKey(join(out, 'memberships.csv'));
    for (const { doc } of readRuleset(allRuleset)) {
      const rule = docs.rules.rules.find((x) => x.segment === doc.created_from.segment)!;
      const mask = evaluateRule(table, rule.conditions);
      const expected = table.userIds.filter((_, i) => mask[i] === 1);
      const got = [...(members.get(doc.key) ?? [])].sort();
      expect(got.length).toBe(rule.metrics.selected);
      expect(got).toEqual(expected);
    }
    expect(existsSync(join(out, 'changes.csv'))).toBe(false);
  });

  it('apply a week earlier, then now, into one --out: changes reconcile both memberships', async () => {
    const out = join(dir, 'weekly');
    const end = new Date(docs.manifest.window.end);
    const weekEarlier = new Date(end.getTime() - 7 * 86_400_000).toISOString();
    const first = await runCli(['rules', 'apply', '--ruleset', ruleset, ...SAMPLE_INPUTS, '--as-of', weekEarlier, '--out', out, '--quiet']);
    expect(first.code).toBe(0);
    const before = membersByKey(join(out, 'memberships.csv'));
    const second = await runCli(['rules', 'apply', '--ruleset', ruleset, ...SAMPLE_INPUTS, '--out', out, '--quiet']);
    expect(second.code).toBe(0);
    const after = membersByKey(join(out, 'memberships.csv'));
    const changes = readCsv(join(out, 'changes.csv'));
    let moved = 0;
    for (const key of new Set([...before.keys(), ...after.keys()])) {
      const b = before.get(key) ?? new Set<string>();
      const a = after.get(key) ?? new Set<string>();
      const entered = changes.filter((c) => c.segment === key && c.change === 'enter').map((c) => c.user_id).sort();
      const exited = changes.filter((c) => c.segment === key && c.change === 'exit').map((c) => c.user_id).sort();
      expect(entered).toEqual([...a].filter((u) => !b.has(u)).sort());
      expect(exited).toEqual([...b].filter((u) => !a.has(u)).sort());
      expect(a.size).toBe(b.size + entered.length - exited.length);
      moved += entered.length + exited.length;
      // The printed table says the same.
      expect(second.stdout).toMatch(new RegExp(`${key}\\s+v1\\s+${a.size.toLocaleString('en-US')}\\s+${entered.length.toLocaleString('en-US')}\\s+${exited.length.toLocaleString('en-US')}`));
    }
    expect(moved).toBeGreaterThan(0);
    // Forward in time with the same rules: nothing to warn about; apply.json records what was applied.
    expect(second.stderr).toBe('');
    const record = JSON.parse(readFileSync(join(out, 'apply.json'), 'utf8'));
    expect(record.kind).toBe('segmint.apply-record');
    expect(record.segments.map((s: { key: string }) => s.key).sort()).toEqual([...after.keys()].sort());
    // Back to the earlier week: said, because changes.csv now runs backwards in time.
    const back = await runCli(['rules', 'apply', '--ruleset', ruleset, ...SAMPLE_INPUTS, '--as-of', weekEarlier, '--out', out, '--quiet']);
    expect(back.code).toBe(0);
    expect(back.stderr).toMatch(/^warning: as of \S+ \S+ UTC, before the previous apply's \S+ \S+ UTC: changes\.csv runs backwards in time/m);
  });

  it('a hand-edited file of the wrong shape: one line naming file and field, nothing overwritten', async () => {
    const broken = join(dir, 'broken');
    await runCli(['rules', 'promote', runDir, '5', '--ruleset', broken, '--quiet']);
    const [file] = readdirSync(broken);
    const text = readFileSync(join(broken, file), 'utf8').replace(/^version: 1$/m, 'version: two');
    writeFileSync(join(broken, file), text);
    const out = join(dir, 'broken-out');
    const r = await runCli(['rules', 'apply', '--ruleset', broken, ...SAMPLE_INPUTS, '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(new RegExp(`${file}: version: .*got "two"`));
    expect(existsSync(out)).toBe(false);
    // promote refuses to build on it too, and leaves it as it was.
    const again = await runCli(['rules', 'promote', runDir, '5', '--ruleset', broken, '--quiet']);
    expect(again.code).toBe(1);
    expect(readFileSync(join(broken, file), 'utf8')).toBe(text);
  });

  it('a rule counting an event the data lacks: one line, nothing overwritten', async () => {
    const entries = readRuleset(ruleset);
    const heavy = entries.find((e) => e.doc.created_from.segment === 5)!;
    const event = Object.values(heavy.doc.features).map((f) => (f.meaning.kind === 'eventShare' && f.meaning.events.type === 'event' ? f.meaning.events.event : null)).find(Boolean)!;
    const lines = gunzipSync(readFileSync(join(SAMPLE, 'events.csv.gz'))).toString('utf8').split('\n');
    const without = join(dir, 'events-without.csv');
    writeFileSync(without, lines.filter((l, i) => i === 0 || !l.includes(`,${event},`)).join('\n'));
    const out = join(dir, 'weekly');
    const before = readFileSync(join(out, 'memberships.csv'), 'utf8');
    const r = await runCli(['rules', 'apply', '--ruleset', ruleset, '--events', without, '--users', join(SAMPLE, 'users.csv'), '--accounts', join(SAMPLE, 'accounts.csv'), '--out', out, '--quiet']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`${rulesetErrors.dataLacksEvent(heavy.doc.key, event, without).oneLine()}\n`);
    expect(readFileSync(join(out, 'memberships.csv'), 'utf8')).toBe(before);
  });

  it('a rule reading a users column the data lacks: one line', async () => {
    const entries = readRuleset(allRuleset);
    const withAttr = entries.find((e) => Object.values(e.doc.features).some((f) => f.meaning.kind === 'attributeAge'))!;
    const column = Object.values(withAttr.doc.features).map((f) => (f.meaning.kind === 'attributeAge' ? f.meaning.column : null)).find(Boolean)!;
    const users = readCsv(join(SAMPLE, 'users.csv'));
    const cols = Object.keys(users[0]).filter((c) => c !== column);
    const file = join(dir, 'users-without.csv');
    writeFileSync(file, [cols.join(','), ...users.map((u) => cols.map((c) => u[c]).join(','))].join('\n') + '\n');
    const r = await runCli(['rules', 'apply', '--ruleset', allRuleset, '--events', join(SAMPLE, 'events.csv.gz'), '--users', file, '--accounts', join(SAMPLE, 'accounts.csv'), '--out', join(dir, 'nope'), '--quiet']);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(`column "${column}" of the users table`);
  });
});

/**
 * `rules check`: exits 0 against the run the rules were promoted from (same precision and recall,
 * no drift), non-zero with one line against a run where a rule no longer fits (most of the event
 * it keys on gone), and refuses a run of another job.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../src/config/index.js';
import { createContext } from '../../src/core/context.js';
import { runPipeline } from '../../src/pipeline.js';
import { readRuleset } from '../../src/ruleset/store.js';
import { rulesetErrors } from '../../src/core/messages.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { REPO, SAMPLE, sampleRun } from './helpers.js';
import { formatPercent } from '../../src/stages/report/format.js';

describe('rules check', () => {
  let dir: string;
  let runDir: string;
  let ruleset: string;
  let heavyKey: string;
  let event: string;

  beforeAll(async () => {
    dir = tempDir();
    ({ runDir } = await sampleRun(join(dir, 'reports')));
    ruleset = join(dir, 'ruleset');
    expect((await runCli(['rules', 'promote', runDir, '1', '5', '--ruleset', ruleset, '--quiet'])).code).toBe(0);
    const heavy = readRuleset(ruleset).find((e) => e.doc.created_from.segment === 5)!;
    heavyKey = heavy.doc.key;
    const m = Object.values(heavy.doc.features)[0].meaning;
    event = m.kind === 'eventShare' && m.events.type === 'event' ? m.events.event : '';
    expect(event).not.toBe('');
  }, 240_000);

  it('passes on the source run: same precision and recall, no drift', async () => {
    const r = await runCli(['rules', 'check', '--ruleset', ruleset, '--run', runDir, '--quiet']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    for (const { doc } of readRuleset(ruleset)) {
      const line = r.stdout.split('\n').find((l) => l.startsWith(doc.key))!;
      expect(line).toContain(`${formatPercent(doc.metrics.precision)} → ${formatPercent(doc.metrics.precision)}`);
      expect(line).toContain(`${formatPercent(doc.metrics.recall)} → ${formatPercent(doc.metrics.recall)}`);
      expect(line).toContain(`${doc.metrics.selected} (+0%)`);
      expect(line).toMatch(/ok$/);
    }
  });

  it('fails with one line on a run where the rule no longer fits', async () => {
    // Four in five of the event the heavy-API rule keys on are gone from the newer export.
    const lines = gunzipSync(readFileSync(join(SAMPLE, 'events.csv.gz'))).toString('utf8').split('\n');
    let seen = 0;
    const kept = lines.filter((l, i) => i === 0 || !l.includes(`,${event},`) || seen++ % 5 === 0);
    const events = join(dir, 'events-later.csv');
    writeFileSync(events, kept.join('\n'));
    const config = loadConfigFile(resolve(REPO, 'pipeline/default.yaml'), { out: join(dir, 'reports'), events: [events] });
    const later = await runPipeline(config, createContext(config.seed));
    const r = await runCli(['rules', 'check', '--ruleset', ruleset, '--run', later.runDir, '--quiet']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`${rulesetErrors.decayed([heavyKey]).oneLine()}\n`);
    const line = r.stdout.split('\n').find((l) => l.startsWith(heavyKey))!;
    expect(line).toMatch(/DECAYED: .*drifted \(PSI/);
    // Thresholds are the caller's: loose enough, the same run passes.
    const loose = await runCli(['rules', 'check', '--ruleset', ruleset, '--run', later.runDir, '--max-psi', '100', '--max-size-change', '100', '--max-precision-drop', '1', '--max-recall-drop', '1', '--quiet']);
    expect(loose.code).toBe(0);
  }, 240_000);

  it('a run that cuts users more coarsely is noted, not called decay, when the rule selects the same users', async () => {
    // QA: a weekly job whose k went 6 → 3 had every rule DECAYED on recall alone.
    const config = loadConfigFile(resolve(REPO, 'pipeline/default.yaml'), { out: join(dir, 'reports'), k: 3 });
    const coarse = await runPipeline(config, createContext(config.seed));
    const r = await runCli(['rules', 'check', '--ruleset', ruleset, '--run', coarse.runDir, '--quiet']);
    const notes = r.stdout.split('\n').filter((l) => l.startsWith('note: '));
    expect(notes.length).toBeGreaterThan(0);
    for (const note of notes) expect(note).toMatch(/^note: \S+: the run's best-matching segment holds \d+ users, the promoted one \d+: this run \(k = 3\) cuts users more coarsely/);
    // Every rule keeps its selection (same inputs): a rule whose only change is recall against a
    // wider segment passes; the exit code follows the rules that really decayed, if any.
    for (const { doc } of readRuleset(ruleset)) {
      const line = r.stdout.split('\n').find((l) => l.startsWith(doc.key))!;
      expect(line).toContain(`${doc.metrics.selected} (+0%)`);
      expect(line).not.toMatch(/DECAYED: recall [\d.]+ → [\d.]+$/);
    }
  }, 240_000);

  it('refuses a run of another job with one line', async () => {
    const other = join(dir, 'other-run');
    cpSync(runDir, other, { recursive: true });
    const manifest = JSON.parse(readFileSync(join(other, 'manifest.json'), 'utf8'));
    // A run of another pipeline config: its name, and the job the run recorded.
    manifest.config.name = 'weekly-emea';
    manifest.job = 'weekly-emea';
    writeFileSync(join(other, 'manifest.json'), JSON.stringify(manifest));
    const r = await runCli(['rules', 'check', '--ruleset', ruleset, '--run', other, '--quiet']);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('is from job "weekly-emea"');
  });
});

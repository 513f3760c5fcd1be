/**
 * `rules check` refuses a run of another job, ad-hoc runs included: a rule promoted from an
 * ad-hoc run (no config name) records that run's job, `adhoc-<hash of its inputs>`, so an
 * ad-hoc run over other files is another job and one over the same files is the same job (QA: a
 * check against an ad-hoc run of unrelated data was not refused, every rule came out DECAYED).
 * Rulesets promoted before job ids recorded plain `adhoc`: such a rule is taken as the run's job
 * only when the run read the same input files, with a note. Small hand-written inputs and the
 * fixture run's documents.
 */
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ResolvedConfig } from '../../src/config/types.js';
import { createContext } from '../../src/core/context.js';
import { rulesetErrors } from '../../src/core/messages.js';
import { jobOf } from '../../src/run/jobs.js';
import { loadRunDocuments } from '../../src/run/load.js';
import { checkCommand } from '../../src/cli/commands/rules-check.js';
import { checkRuleset, DEFAULT_THRESHOLDS } from '../../src/ruleset/check.js';
import { promote } from '../../src/ruleset/promote.js';
import { readRuleset, renderEntry } from '../../src/ruleset/store.js';
import { tempDir } from '../helpers/cli.js';
import { makeConfig, rulesOnEventAndColumn } from '../helpers/run-documents.js';
import { fourUserRun } from './helpers.js';

/** An ad-hoc config (flags only: no config file, so no name of its own) over `events` and `users`. */
function adhocConfig(events: string, users: string): ResolvedConfig {
  const base = makeConfig();
  return { ...base, name: 'adhoc', source: null, inputs: { events: { ...base.inputs.events!, paths: [events] }, users: { ...base.inputs.users!, paths: [users], exclude: [] }, accounts: null } };
}

/** Events and users in which every promoted rule can be evaluated (dashboard_viewed, plan). */
function writeInputs(dir: string): { events: string; users: string } {
  mkdirSync(dir, { recursive: true });
  const events = join(dir, 'events.csv');
  const users = join(dir, 'users.csv');
  writeFileSync(
    events,
    ['user_id,event,timestamp', 'u1,dashboard_viewed,2024-05-01T10:00:00Z', 'u1,dashboard_viewed,2024-05-02T10:00:00Z', 'u2,page_viewed,2024-05-03T10:00:00Z', 'u3,dashboard_viewed,2024-05-04T10:00:00Z', 'u4,report_created,2024-05-05T10:00:00Z', 'u4,page_viewed,2024-05-06T10:00:00Z'].join('\n') + '\n',
  );
  writeFileSync(users, 'user_id,plan\nu1,free\nu2,pro\nu3,free\nu4,pro\n');
  return { events, users };
}

/** A finished run of `config` (job as `segmint run` records it), with four users in two segments. */
const finishedRun = fourUserRun;

const check = (ruleset: string, runDir: string) => checkRuleset(ruleset, runDir, loadRunDocuments(runDir), DEFAULT_THRESHOLDS, createContext(1));

describe('rules check: the job of an ad-hoc run', () => {
  let dir: string;
  let ruleset: string;
  let legacy: string;
  let jobA: string;
  let sameRun: string;
  let otherRun: string;
  let namedRun: string;

  beforeAll(async () => {
    dir = tempDir();
    // The promotion run read a/events.csv and a/users.csv; they are written after the promotion,
    // so promote keeps the rules as written (no recomputation), and later runs can read them.
    const a = { events: join(dir, 'a', 'events.csv'), users: join(dir, 'a', 'users.csv') };
    const config = adhocConfig(a.events, a.users);
    jobA = jobOf(config);
    const made = rulesOnEventAndColumn({ eventsRule: true });
    const gone = (path: string) => ({ path, bytes: 1, sha256: '0'.repeat(64) });
    const docs = { ...made, manifest: { ...made.manifest, config, inputs: [gone(a.events), gone(a.users)], job: jobA } };
    ruleset = join(dir, 'ruleset');
    await promote(docs, { ruleset, segments: ['0', '1', '2'] }, createContext(1));
    writeInputs(join(dir, 'a'));
    const b = writeInputs(join(dir, 'b'));
    sameRun = finishedRun(adhocConfig(a.events, a.users), 'run-same-inputs');
    otherRun = finishedRun(adhocConfig(b.events, b.users), 'run-other-inputs');
    namedRun = finishedRun({ ...adhocConfig(a.events, a.users), name: 'weekly', source: '/repo/pipeline/weekly.yaml' }, 'run-named');
    // The same rules as an older segmint promoted them: job "adhoc" (outside the content hash).
    legacy = join(dir, 'legacy');
    cpSync(ruleset, legacy, { recursive: true });
    for (const { file, doc } of readRuleset(legacy)) writeFileSync(file, renderEntry({ ...doc, created_from: { ...doc.created_from, job: 'adhoc' } }));
  });

  it('promote records the job of the ad-hoc run, adhoc-<hash of its inputs>, not the config name', () => {
    expect(jobA).toMatch(/^adhoc-[0-9a-f]{8}$/);
    const entries = readRuleset(ruleset);
    expect(entries).toHaveLength(3);
    for (const { doc } of entries) expect(doc.created_from.job).toBe(jobA);
  });

  it('checks an ad-hoc run over the same inputs: the same job, no note', async () => {
    expect(jobOf(loadRunDocuments(sameRun).manifest.config)).toBe(jobA);
    const rows = await check(ruleset, sameRun);
    expect(rows.map((r) => r.key).sort()).toEqual(readRuleset(ruleset).map((e) => e.doc.key).sort());
    for (const r of rows) expect(r.notes.filter((n) => n.includes('older segmint'))).toEqual([]);
  });

  it('refuses an ad-hoc run over other inputs: another job, named by its id', async () => {
    const jobB = loadRunDocuments(otherRun).manifest.job!;
    expect(jobB).toMatch(/^adhoc-[0-9a-f]{8}$/);
    expect(jobB).not.toBe(jobA);
    const first = readRuleset(ruleset).filter((e) => e.doc.status === 'active')[0].doc.key;
    await expect(check(ruleset, otherRun)).rejects.toThrow(rulesetErrors.otherJob('run-other-inputs', jobB, first, jobA).message);
  });

  it('refuses a run of a named job', async () => {
    const first = readRuleset(ruleset)[0].doc.key;
    await expect(check(ruleset, namedRun)).rejects.toThrow(rulesetErrors.otherJob('run-named', 'weekly', first, jobA).message);
  });

  it('an older ruleset that recorded "adhoc": checked, with a note, against an ad-hoc run over the same input files', async () => {
    const rows = await check(legacy, sameRun);
    expect(rows).toHaveLength(3);
    for (const r of rows) {
      expect(r.notes[0]).toContain(`recorded the job of every ad-hoc run as "adhoc"; taken as this run's job "${jobA}" because both runs read the same input files`);
    }
  });

  it('rules check says a note all the rules share once, naming them', async () => {
    let out = '';
    // These hand-made runs decay every rule (the command then exits 1): only the notes matter here.
    await checkCommand({ ruleset: legacy, run: sameRun, quiet: true }, { out: (t) => (out += t), err: () => undefined }).catch((e: Error) => {
      expect(e.message).toMatch(/no longer describe their segment/);
    });
    const notes = out.split('\n').filter((l) => l.startsWith('note: ') && l.includes('older segmint'));
    const keys = readRuleset(legacy).map((e) => e.doc.key);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(new RegExp(`^note: ${keys.map((k) => k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join(', ')}: promoted by an older segmint`));
  });

  it('an older ruleset that recorded "adhoc": refused, with a hint, against an ad-hoc run over other files or a named run', async () => {
    const first = readRuleset(legacy)[0].doc.key;
    const jobB = loadRunDocuments(otherRun).manifest.job!;
    const refused = rulesetErrors.otherLegacyAdhocJob('run-other-inputs', jobB, first);
    await expect(check(legacy, otherRun)).rejects.toThrow(refused.message);
    expect(refused.hint).toContain(`created_from.job: ${jobB}`);
    await expect(check(legacy, namedRun)).rejects.toThrow(rulesetErrors.otherJob('run-named', 'weekly', first, 'adhoc').message);
  });
});

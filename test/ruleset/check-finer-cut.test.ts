/**
 * `rules check` against a run that cuts users more finely than the run a rule came from: the
 * promoted segment comes back as pieces, and precision against the best-matching piece falls
 * although the rule selects the same users (QA: k 6 → 8 split the trialists into 244 + 128 and a
 * rule still selecting them was DECAYED at precision 0.98 → 0.58, with no note). Such a rule is ok
 * with a note naming the pieces; a selection spread over unrelated segments, or one whose size
 * changed past the limit, is still decayed. Small hand-written inputs and the fixture run's
 * documents, as in check-gaps.test.ts.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createContext } from '../../src/core/context.js';
import { rulesetErrors } from '../../src/core/messages.js';
import { assignmentsCsv } from '../../src/run/assignments.js';
import { stableJson } from '../../src/run/json.js';
import { promote } from '../../src/ruleset/promote.js';
import type { PromotedSegment } from '../../src/ruleset/schema.js';
import { readRuleset } from '../../src/ruleset/store.js';
import type { RunDocuments } from '../../src/run/types.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { makeConfig, makeRunDocuments, rulesOnEventAndColumn } from '../helpers/run-documents.js';

const id = (i: number) => `u${String(i).padStart(2, '0')}`;

/** The fixture run with segment 1 "Dormant trialists" of 10 users, all of them and only them selected by `events >= 2`. */
function promotionRun(): RunDocuments {
  const made = rulesOnEventAndColumn({ eventsRule: true });
  const rules = made.rules.rules.map((r) => (r.segment === 1 ? { ...r, metrics: { ...r.metrics, truePositives: 10, selected: 10, segmentSize: 10, precision: 1, recall: 1, f1: 1 } } : r));
  const segments = made.segments.segments.map((s) => (s.id === 1 ? { ...s, size: 10 } : s));
  return { ...made, segments: { ...made.segments, segments }, rules: { ...made.rules, rules } };
}

/** Events: users 1..`selected` have two events (the rule selects them), the rest up to 30 one. */
function eventsFile(dir: string, selected: number): string {
  const rows = ['user_id,event,timestamp'];
  for (let i = 1; i <= 30; i++) {
    rows.push(`${id(i)},page_viewed,2024-05-01T10:00:00Z`);
    if (i <= selected) rows.push(`${id(i)},page_viewed,2024-05-02T10:00:00Z`);
  }
  const file = join(dir, `events-${selected}.csv`);
  writeFileSync(file, rows.join('\n') + '\n');
  return file;
}

/** A newer run (k = 3) of the same job over `events`, users 1..30 in the segments `segmentOf` gives, named `names`. */
function newerRun(events: string, segmentOf: (i: number) => number, names: readonly string[]): string {
  const made = makeRunDocuments();
  const base = makeConfig();
  const config = { ...base, inputs: { events: { ...base.inputs.events!, paths: [events] }, users: null, accounts: null } };
  const fingerprint = (path: string) => ({ path, bytes: statSync(path).size, sha256: createHash('sha256').update(readFileSync(path)).digest('hex') });
  const dir = tempDir();
  writeFileSync(join(dir, 'manifest.json'), stableJson({ ...made.manifest, runId: 'run-b', config, inputs: [fingerprint(events)] }));
  const rows = Array.from({ length: 30 }, (_, i) => ({ userId: id(i + 1), segment: segmentOf(i + 1) }));
  const size = (s: number) => rows.filter((r) => r.segment === s).length;
  const segments = made.segments.segments.map((seg) => ({ ...seg, name: names[seg.id], size: size(seg.id), share: size(seg.id) / 30 }));
  writeFileSync(join(dir, 'segments.json'), stableJson({ ...made.segments, users: 30, segments }));
  writeFileSync(join(dir, 'rules.json'), stableJson(made.rules));
  writeFileSync(join(dir, 'assignments.csv'), assignmentsCsv(rows.map((r) => ({ ...r, segmentName: names[r.segment], distance: 1, confidence: 0.5 }))));
  return dir;
}

describe('rules check when the run cuts the promoted segment more finely', () => {
  let dir: string;
  let ruleset: string;
  let rule: PromotedSegment;

  const check = async (run: string) => {
    const r = await runCli(['rules', 'check', '--ruleset', ruleset, '--run', run, '--quiet']);
    return { ...r, line: r.stdout.split('\n').find((l) => l.startsWith(rule.key)) ?? '', notes: r.stdout.split('\n').filter((l) => l.startsWith('note: ')) };
  };

  beforeAll(async () => {
    dir = tempDir();
    ruleset = join(dir, 'ruleset');
    await promote(promotionRun(), { ruleset, segments: ['1'] }, createContext(1));
    rule = readRuleset(ruleset)[0].doc;
    expect(rule.metrics).toMatchObject({ size: 10, selected: 10, precision: 1, recall: 1 });
  });

  it('is ok, with a note naming the pieces, when the rule selects the same users split over two segments', async () => {
    // The 10 selected users come back as 6 + 4; the 20 others are a segment of their own.
    const run = newerRun(eventsFile(dir, 10), (i) => (i <= 6 ? 0 : i <= 10 ? 1 : 2), ['Dormant trialists', 'Returning trialists', 'Casual browsers']);
    const r = await check(run);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    // Measured against the best-matching piece, as the table says; not called decay.
    expect(r.line).toMatch(/0 Dormant trialists +100\.0% → 60\.0% +100\.0% → 100\.0% +10 \(\+0%\) .* ok \(see note\)$/);
    expect(r.notes).toEqual([
      `note: ${rule.key}: 10 of the rule's 10 users are in the run's segments 0 "Dormant trialists" (6 users) and 1 "Returning trialists" (4 users), the promoted one held 10: this run (k = 3) cuts the promoted segment more finely, so precision against the best-matching one fell (1.00 → 0.60) while against them together it is 1.00 and the rule selects the same number of users (10)`,
    ]);
  });

  it('is still decayed when the selection spreads over unrelated segments, a minority of each', async () => {
    // 4 of 11, 3 of 10, 3 of 9: no segment lies mostly inside the selection.
    const segmentOf = (i: number) => (i <= 4 ? 0 : i <= 7 ? 1 : i <= 10 ? 2 : i <= 17 ? 0 : i <= 24 ? 1 : 2);
    const r = await check(newerRun(eventsFile(dir, 10), segmentOf, ['Dormant trialists', 'Casual browsers', 'Power reporters']));
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`${rulesetErrors.decayed([rule.key]).oneLine()}\n`);
    expect(r.line).toMatch(/DECAYED: precision 1\.00 → 0\.40; recall 1\.00 → 0\.36$/);
    expect(r.notes).toEqual([]);
  });

  it('is still decayed when the selection of a split segment grew past the size limit, with the note', async () => {
    // 16 selected (+60%), in two whole segments of 10 and 6.
    const run = newerRun(eventsFile(dir, 16), (i) => (i <= 10 ? 0 : i <= 16 ? 1 : 2), ['Dormant trialists', 'Returning trialists', 'Casual browsers']);
    const r = await check(run);
    expect(r.code).toBe(1);
    expect(r.line).toMatch(/DECAYED: precision 1\.00 → 0\.63; selects 16 users, was 10$/);
    expect(r.notes).toEqual([
      `note: ${rule.key}: 16 of the rule's 16 users are in the run's segments 0 "Dormant trialists" (10 users) and 1 "Returning trialists" (6 users), the promoted one held 10: this run (k = 3) cuts the promoted segment more finely; against them together precision is 1.00`,
    ]);
  });
});

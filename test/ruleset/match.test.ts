/**
 * Promoted segments in a run's report (`run|report --ruleset`): each promoted rule evaluated on
 * the run's users matches the segment it overlaps best when Jaccard ≥ 0.5 — checked against the
 * Jaccard the promotion's own metrics imply — and a rule that differs from the run's suggestion
 * is said to differ.
 */
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createContext } from '../../src/core/context.js';
import { rulesetErrors } from '../../src/core/messages.js';
import type { RunDocuments } from '../../src/run/types.js';
import { MATCH_JACCARD, bestOverlap, matchPromoted, segmentSizes } from '../../src/ruleset/match.js';
import type { PromotedSegment } from '../../src/ruleset/schema.js';
import { contentHash, readRuleset, renderEntry } from '../../src/ruleset/store.js';
import { conditionText } from '../../src/stages/rules/text.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { REPO, sampleRun } from './helpers.js';

describe('bestOverlap', () => {
  const assignments = new Map([['a', 0], ['b', 0], ['c', 1], ['d', 1], ['e', -1], ['f', 2]]);
  const sizes = segmentSizes(assignments);

  it('picks the highest Jaccard, the lowest id on a tie, and never the no-events group', () => {
    expect(bestOverlap(['a', 'b', 'c'], assignments, sizes)).toEqual({ segment: 0, shared: 2, segmentSize: 2, jaccard: 2 / 3, f1: 0.8 });
    expect(bestOverlap(['a', 'c'], assignments, sizes)).toMatchObject({ segment: 0, jaccard: 1 / 3 });
    expect(bestOverlap(['e', 'e2'], assignments, sizes)).toBeNull();
    expect(bestOverlap(['e', 'f'], assignments, sizes)).toEqual({ segment: 2, shared: 1, segmentSize: 1, jaccard: 0.5, f1: 2 / 3 });
  });
});

describe('promoted segments in the report', () => {
  let dir: string;
  let runDir: string;
  let docs: RunDocuments;
  let ruleset: string;
  let promoted: PromotedSegment[];

  beforeAll(async () => {
    dir = tempDir();
    ({ runDir, documents: docs } = await sampleRun(join(dir, 'reports')));
    ruleset = join(dir, 'ruleset');
    expect((await runCli(['rules', 'promote', runDir, 'all', '--ruleset', ruleset, '--quiet'])).code).toBe(0);
    promoted = readRuleset(ruleset).map((e) => e.doc);
  }, 300_000);

  it('matches each promoted rule to its own segment with the Jaccard its promotion metrics imply', async () => {
    const result = await matchPromoted(ruleset, runDir, docs, createContext(docs.manifest.seed));
    expect(result.skipped).toEqual([]);
    expect(result.compared).toBe(promoted.length);
    const expected = promoted
      .map((d) => ({ d, jaccard: d.metrics.true_positives / (d.metrics.selected + d.metrics.size - d.metrics.true_positives) }))
      .filter((x) => x.jaccard >= MATCH_JACCARD)
      .map(({ d, jaccard }) => ({ segment: d.created_from.segment, key: d.key, version: 1, name: d.name, rule: d.rule.text, ruleDiffers: false, jaccard }))
      .sort((a, b) => a.segment - b.segment);
    expect(expected.length).toBeGreaterThan(0);
    expect(result.matches.map((m) => ({ ...m, jaccard: expect.closeTo(m.jaccard, 12) }))).toEqual(expected.map((e) => ({ ...e, jaccard: expect.closeTo(e.jaccard, 12) })));
    // Every compared promoted segment is accounted for: the others are listed as matching none.
    expect(result.matches.length + result.unmatched.length).toBe(result.compared);
    expect(result.unmatched.map((u) => u.key)).toEqual(promoted.filter((d) => !expected.some((e) => e.key === d.key)).map((d) => d.key).sort());
    for (const u of result.unmatched) expect(u.best === null || u.best.jaccard < MATCH_JACCARD).toBe(true);
  });

  it('report RUN --ruleset: the section in both reports, a changed rule said to differ; without --ruleset it is gone', async () => {
    // A second ruleset where one rule's first threshold moved a little: still the same segment, another rule.
    const edited = join(dir, 'edited');
    cpSync(ruleset, edited, { recursive: true });
    const doc = promoted.find((d) => d.rule.conditions.some((c) => c.op === '>=' || c.op === '<'))!;
    const first = doc.rule.conditions.findIndex((x) => x.op === '>=' || x.op === '<');
    const conditions = doc.rule.conditions.map((c, i) =>
      i === first && (c.op === '>=' || c.op === '<') ? { ...c, value: c.value * 1.02, label: conditionText(doc.features[c.feature].label, c.op, c.value * 1.02) } : c,
    );
    const text = conditions.map((c) => c.label).join(' AND ');
    // Written as promote writes a new rule: with its own content hash (a bare hand edit is refused).
    const rule = { text, conditions };
    writeFileSync(join(edited, `${doc.key}.yaml`), renderEntry({ ...doc, rule, content_hash: contentHash({ rule, features: doc.features, window: doc.window }) }));
    // And one whose threshold no user reaches: it matches no segment, and must still be named.
    const gone = promoted.find((d) => d.key !== doc.key && d.rule.conditions.some((c) => c.op === '>='))!;
    const goneConditions = gone.rule.conditions.map((c) => (c.op === '>=' ? { ...c, value: 1e9, label: conditionText(gone.features[c.feature].label, c.op, 1e9) } : c));
    const goneRule = { text: goneConditions.map((c) => c.label).join(' AND '), conditions: goneConditions };
    writeFileSync(join(edited, `${gone.key}.yaml`), renderEntry({ ...gone, rule: goneRule, content_hash: contentHash({ rule: goneRule, features: gone.features, window: gone.window }) }));

    const r = await runCli(['report', runDir, '--ruleset', edited]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`segment ${doc.created_from.segment} ↔ ${doc.key} v1 \\(Jaccard \\d\\.\\d\\d; rule differs from the suggestion\\)`));
    expect(r.stdout).toContain(`  no match: ${gone.key} v1 (no user in a segment)\n`);
    const md = readFileSync(join(runDir, 'report.md'), 'utf8');
    const row = md.split('\n').find((l) => l.includes(`\`${doc.key}\``))!;
    expect(row).toContain(`differs from this run’s suggestion; the promoted rule is \`${text}\``);
    const others = md.split('\n').filter((l) => l.startsWith('| ') && promoted.some((d) => d.key !== doc.key && d.key !== gone.key && l.includes(`\`${d.key}\``)));
    for (const l of others) expect(l).toMatch(/same as this run’s suggestion|^\| none: no segment of this run matches it/);
    const goneRow = md.split('\n').find((l) => l.includes(`\`${gone.key}\``))!;
    expect(goneRow).toMatch(/^\| none: no segment of this run matches it \(it selects none of this run’s users\) \| /);
    expect(goneRow).toContain(`| v1 | 0.00 | the promoted rule is \`${goneRule.text}\` |`);
    // Every promoted segment is named in both reports.
    const html = readFileSync(join(runDir, 'report.html'), 'utf8');
    expect(html).toContain('<section id="promoted">');
    const section = html.slice(html.indexOf('<section id="promoted">'), html.indexOf('</section>', html.indexOf('<section id="promoted">')));
    for (const d of promoted) {
      expect(md).toContain(`\`${d.key}\``);
      expect(section).toContain(`<code>${d.key}</code>`);
    }

    expect((await runCli(['report', runDir])).code).toBe(0);
    expect(readFileSync(join(runDir, 'report.md'), 'utf8')).not.toContain('## Promoted segments');
  });

  it('run --ruleset: the new run’s report lists its matches; a missing ruleset stops before any work', async () => {
    const out = join(dir, 'runs-with-ruleset');
    const missing = join(dir, 'no-such-ruleset');
    const bad = await runCli(['run', '--config', resolve(REPO, 'pipeline/default.yaml'), '--out', out, '--ruleset', missing, '--quiet']);
    expect({ code: bad.code, stderr: bad.stderr }).toEqual({ code: 1, stderr: `${rulesetErrors.notFound(missing, false).oneLine()}\n` });
    expect(existsSync(out) ? readdirSync(out).filter((f) => !f.startsWith('.')) : []).toEqual([]);

    const r = await runCli(['run', '--config', resolve(REPO, 'pipeline/default.yaml'), '--out', out, '--ruleset', ruleset, '--quiet']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`promoted segments in ${ruleset}: `);
    const md = readFileSync(join(out, 'latest', 'report.md'), 'utf8');
    expect(md).toContain('## Promoted segments');
    for (const d of promoted.filter((x) => r.stdout.includes(`↔ ${x.key} `))) expect(md).toContain(`\`${d.key}\``);
  }, 120_000);
});

/**
 * Issue 9, acceptance 2: the bundled sample replayed as a weekly job — a run as of 14 days
 * before the latest event (`--as-of`), then one as of the latest event, into one --out. The
 * later run inherits the earlier run's keys where its segments continue, and its report shows
 * "Since the previous run" with the transition table.
 *
 * What the sample does over those 14 days (data/sample/personas.ts): lapsed report viewers stop
 * 35–80 days before the end, so 14 days earlier they are not yet told apart from active viewers,
 * and new trialists sign up in the last ~20 days, so most have no events yet. The earlier run
 * finds 4 segments, the later 6: viewers split into active and lapsed, and the trialists are new.
 */
import { readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadAssignments, loadRunDocuments } from '../../src/run/load.js';
import type { RunDocuments } from '../../src/run/types.js';
import { runCli, tempDir, type CliResult } from '../helpers/cli.js';

/** The sample's latest event is 2026-10-31T23:45:02Z. */
const AS_OF = '2026-10-17T23:45:02Z';

describe('the sample as of 14 days before the end, then as of the end', () => {
  let out: string;
  let first: CliResult;
  let second: CliResult;
  let a: { dir: string; docs: RunDocuments };
  let b: { dir: string; docs: RunDocuments };

  beforeAll(async () => {
    out = tempDir('segmint-replay-');
    first = await runCli(['run', '--out', out, '--quiet', '--as-of', AS_OF]);
    const firstDir = join(out, readlinkSync(join(out, 'latest-default')));
    second = await runCli(['run', '--out', out, '--quiet']);
    const secondDir = join(out, readlinkSync(join(out, 'latest-default')));
    a = { dir: firstDir, docs: loadRunDocuments(firstDir) };
    b = { dir: secondDir, docs: loadRunDocuments(secondDir) };
  }, 120_000);

  it('--as-of ends the first window there, as window.end would', () => {
    expect(first.code).toBe(0);
    expect(second.code).toBe(0);
    expect(a.docs.manifest.window.end).toBe(AS_OF);
    expect(a.docs.manifest.config.window.end).toMatch(/^2026-10-17T23:45:02/);
    expect(b.docs.manifest.window.end).toBe('2026-10-31T23:45:02Z');
    expect(b.docs.segments.lineage?.previousRun).toBe(a.docs.manifest.runId);
  });

  it('every earlier segment continues under its key; the later run adds a split and a new segment', () => {
    const earlier = a.docs.segments.segments.map((s) => s.key!);
    const inherited = b.docs.segments.segments.flatMap((s) => (s.lineage?.inheritedKey ? [s.lineage.inheritedKey] : []));
    expect([...inherited].sort()).toEqual([...earlier].sort());
    expect(b.docs.segments.lineage?.ended).toEqual([]);
    const byName = new Map(b.docs.segments.segments.map((s) => [s.name, s]));
    const viewers = a.docs.segments.segments[0];
    expect(byName.get('Lapsed report viewers')?.lineage).toMatchObject({ status: 'split', from: [viewers.key], inheritedKey: null });
    expect(byName.get('New onboarding users')?.lineage).toMatchObject({ status: 'new', inheritedKey: null });
  });

  it('users in a segment whose key the earlier run had: the four continuing segments (measured)', () => {
    const earlier = new Set(a.docs.segments.segments.map((s) => s.key!));
    const keys = b.docs.segments.segments.map((s) => s.key!);
    const users = [...loadAssignments(b.dir)].filter(([, seg]) => seg >= 0);
    const inKnown = users.filter(([, seg]) => earlier.has(keys[seg])).length;
    const before = loadAssignments(a.dir);
    const returning = users.filter(([u]) => (before.get(u) ?? -1) >= 0);
    const returningInKnown = returning.filter(([, seg]) => earlier.has(keys[seg])).length;
    // 3,450 of 5,000 users (69%), 3,450 of the 4,417 the earlier run segmented (78.1%): the 800
    // lapsed viewers and 750 trialists are in the two segments the earlier window could not show.
    expect(inKnown).toBe(b.docs.segments.segments.filter((s) => earlier.has(s.key!)).reduce((n, s) => n + s.size, 0));
    expect(inKnown / users.length).toBeGreaterThan(0.65);
    expect(returningInKnown / returning.length).toBeGreaterThan(0.75);
  });

  it('report.md shows "Since the previous run" with the transition table', () => {
    const md = readFileSync(join(b.dir, 'report.md'), 'utf8');
    const since = md.slice(md.indexOf('## Since the previous run'));
    expect(since).toContain(`Compared with run \`${a.docs.manifest.runId}\` of job default`);
    expect(since).toContain('### Transitions');
    const header = since.split('\n').find((l) => l.startsWith('| From \\ to'))!;
    for (const s of b.docs.segments.segments) expect(header).toContain(`\`${s.key}\``);
    // Every earlier key is a row, and so are the users the earlier window had no events for.
    for (const s of a.docs.segments.segments) expect(since).toMatch(new RegExp(`\\n\\| \`${s.key}\` \\|`));
    expect(since).toContain('| No events in window |');
    expect(since).toContain('### Size history');
    expect(since).toContain('### Feature drift');
  });

  it('report.html shows the same section, with the size history chart', () => {
    const html = readFileSync(join(b.dir, 'report.html'), 'utf8');
    expect(html).toContain('<section id="since"><h2>Since the previous run</h2>');
    expect(html).toContain('<table class="data transitions">');
    expect(html).toContain(`aria-label="Segment sizes over the job&#39;s last 2 runs"`);
  });

  it('runs list --job, runs show with lineage', async () => {
    const list = await runCli(['runs', 'list', '--dir', out, '--job', 'default']);
    expect(list.stdout).toContain(a.docs.manifest.runId);
    expect(list.stdout).toContain(b.docs.manifest.runId);
    const none = await runCli(['runs', 'list', '--dir', out, '--job', 'other']);
    expect(none.stdout).toBe(`no runs of job other in ${out}\n`);
    const show = await runCli(['runs', 'show', b.dir]);
    expect(show.stdout).toContain(`since ${a.docs.manifest.runId} (job default)`);
    expect(show.stdout).toMatch(/Lapsed report viewers\s+split/);
  });
});

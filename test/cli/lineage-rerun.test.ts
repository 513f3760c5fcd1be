/**
 * Issue 9, acceptance 1: the bundled sample run twice into one --out with different seeds. The
 * second run is compared with the first (the latest run of job "default"): every segment keeps
 * its key and at least 98% of users keep theirs. Also: the per-job latest pointer,
 * transitions.csv, and the `runs` commands over the pair.
 */
import { readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadAssignments, loadRunDocuments } from '../../src/run/load.js';
import type { RunDocuments } from '../../src/run/types.js';
import { loadConfigFile } from '../../src/config/resolve.js';
import { createContext } from '../../src/core/context.js';
import { runPipeline } from '../../src/pipeline.js';
import { runCli, tempDir, type CliResult } from '../helpers/cli.js';

describe('the sample rerun with another seed into the same --out', () => {
  let out: string;
  let first: CliResult;
  let second: CliResult;
  let a: { dir: string; docs: RunDocuments };
  let b: { dir: string; docs: RunDocuments };

  beforeAll(async () => {
    out = tempDir('segmint-rerun-');
    first = await runCli(['run', '--out', out, '--quiet']);
    const firstDir = join(out, readlinkSync(join(out, 'latest-default')));
    second = await runCli(['run', '--out', out, '--quiet', '--seed', '7']);
    const secondDir = join(out, readlinkSync(join(out, 'latest-default')));
    a = { dir: firstDir, docs: loadRunDocuments(firstDir) };
    b = { dir: secondDir, docs: loadRunDocuments(secondDir) };
  }, 120_000);

  it('both runs finish; the second is compared with the first', () => {
    expect(first.code).toBe(0);
    expect(second.code).toBe(0);
    expect(a.dir).not.toBe(b.dir);
    expect(a.docs.manifest.job).toBe('default');
    expect(a.docs.segments.lineage?.previousRun).toBeNull();
    expect(b.docs.segments.lineage?.previousRun).toBe(a.docs.manifest.runId);
    expect(second.stdout).toContain(`since ${a.docs.manifest.runId} (job default)`);
  });

  it('every segment keeps its key (stable), and no segment ends', () => {
    const keysA = a.docs.segments.segments.map((s) => s.key);
    const keysB = b.docs.segments.segments.map((s) => s.key);
    expect(keysA.every((k) => /^seg-[0-9a-f]{6,}$/.test(k ?? ''))).toBe(true);
    expect([...keysB].sort()).toEqual([...keysA].sort());
    for (const s of b.docs.segments.segments) {
      expect(s.lineage).toMatchObject({ status: 'stable', inheritedKey: s.key, matchedKey: s.key });
      expect(s.lineage!.score).toBeGreaterThanOrEqual(0.75);
    }
    expect(b.docs.segments.lineage?.ended).toEqual([]);
  });

  it('at least 98% of users keep their key', () => {
    const keyOf = (run: { dir: string; docs: RunDocuments }) => {
      const keys = run.docs.segments.segments.map((s) => s.key!);
      return new Map([...loadAssignments(run.dir)].filter(([, seg]) => seg >= 0).map(([u, seg]) => [u, keys[seg]]));
    };
    const before = keyOf(a);
    const after = keyOf(b);
    const shared = [...after.keys()].filter((u) => before.has(u));
    const kept = shared.filter((u) => before.get(u) === after.get(u)).length;
    expect(shared.length).toBe(after.size);
    expect(kept / shared.length).toBeGreaterThanOrEqual(0.98);
    expect(b.docs.segments.lineage).toMatchObject({ sharedUsers: shared.length, keptKey: kept });
  });

  it('names stay with keys', () => {
    const nameOf = new Map(a.docs.segments.segments.map((s) => [s.key, s.name]));
    for (const s of b.docs.segments.segments) expect(s.name).toBe(nameOf.get(s.key));
  });

  it('transitions.csv lists exactly the users whose key changed, formula-safe', () => {
    const rows = Papa.parse<Record<string, string>>(readFileSync(join(b.dir, 'transitions.csv'), 'utf8'), { header: true, skipEmptyLines: true });
    expect(rows.meta.fields).toEqual(['user_id', 'from_key', 'to_key']);
    const moved = b.docs.segments.lineage!.transitions.filter((t) => t.from !== t.to).reduce((s, t) => s + t.users, 0);
    expect(rows.data.length).toBe(moved);
    for (const r of rows.data) expect(r.from_key).not.toBe(r.to_key);
  });

  it('drift: every feature compared, a population against itself barely drifts', () => {
    const drift = b.docs.segments.lineage!.drift;
    expect(drift.length).toBe(b.docs.manifest.features);
    expect(Math.max(...drift.map((d) => d.psi))).toBeLessThan(0.01);
  });

  it('size history holds both runs, oldest first', () => {
    const history = b.docs.segments.history!;
    expect(history.map((h) => h.runId)).toEqual([a.docs.manifest.runId, null]);
  });

  it('latest and latest-default point at the second run', () => {
    expect(readlinkSync(join(out, 'latest'))).toBe(b.docs.manifest.runId);
    expect(readlinkSync(join(out, 'latest-default'))).toBe(b.docs.manifest.runId);
  });

  it('--no-previous compares with nothing; --previous RUN picks that run', async () => {
    const none = await runCli(['validate', '--out', out, '--quiet', '--no-previous']);
    expect(none.code).toBe(0);
    expect(none.stdout).toContain('job: default; previous run: none');
    const picked = await runCli(['validate', '--out', out, '--quiet', '--previous', a.docs.manifest.runId]);
    expect(picked.stdout).toContain(`job: default; previous run: ${a.docs.manifest.runId}`);
    const missing = await runCli(['validate', '--out', out, '--quiet', '--previous', 'no-such-run']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('run not found: no-such-run');
  });

  it('cluster.warm_start: previous starts from the previous centres and keeps every key', async () => {
    const base = loadConfigFile('pipeline/default.yaml', { out, seed: 1 });
    const warm = await runPipeline({ ...base, cluster: { ...base.cluster, warmStart: 'previous' } }, createContext(1));
    const lineage = warm.documents.segments.lineage!;
    expect(lineage.previousRun).toBe(b.docs.manifest.runId);
    expect(lineage.warmStart).toBe(true);
    expect(lineage.keptKey).toBe(lineage.sharedUsers);
    expect(warm.documents.segments.segments.every((s) => s.lineage?.status === 'stable')).toBe(true);
  }, 60_000);

  it('a run of another job linked by --previous names the previous run\'s job, not its own', async () => {
    // Outside check: "Compared with run R1 of job adhoc-316d05cc" named the new run's job.
    const base = loadConfigFile('pipeline/default.yaml', { out, seed: 1 });
    const other = await runPipeline({ ...base, name: 'other' }, createContext(1), undefined, { previous: { kind: 'run', run: b.docs.manifest.runId } });
    const lineage = other.documents.segments.lineage!;
    expect(lineage).toMatchObject({ job: 'other', previousJob: 'default', previousRun: b.docs.manifest.runId });
    expect(readFileSync(join(other.runDir, 'report.md'), 'utf8')).toContain(`Compared with run \`${b.docs.manifest.runId}\` of job default`);
    expect(b.docs.segments.lineage!.previousJob).toBeUndefined();
  }, 60_000);

  it('runs diff matches one-to-one and says so; runs history prints each key over time', async () => {
    const diff = await runCli(['runs', 'diff', a.dir, b.dir]);
    expect(diff.code).toBe(0);
    for (const s of b.docs.segments.segments) expect(diff.stdout).toContain(s.key!);
    expect(diff.stdout.match(/\bstable\b/g)?.length).toBe(b.docs.segments.k);
    expect(diff.stderr).toBe('');
    const history = await runCli(['runs', 'history', 'default', '--dir', out]);
    expect(history.code).toBe(0);
    for (const s of b.docs.segments.segments) expect(history.stdout).toContain(s.key!);
    expect(history.stdout).toContain(a.docs.manifest.runId);
  });
});

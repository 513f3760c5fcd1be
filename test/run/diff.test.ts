import { describe, expect, it } from 'vitest';
import { diffRuns, type DiffSide } from '../../src/run/diff.js';
import type { RunDocuments } from '../../src/run/types.js';

/** A finished run with just what diffRuns reads: keys, sizes, names, job, and its assignments. */
function run(runId: string, job: string, members: Record<string, string[]>, keyPrefix = 'seg-'): DiffSide {
  const names = Object.keys(members);
  const docs = {
    manifest: { runId, job, config: { name: job } },
    segments: { segments: names.map((name, id) => ({ id, name, size: members[name].length, key: `${keyPrefix}${name}` })) },
  } as unknown as RunDocuments;
  const assignments = new Map(names.flatMap((name, id) => members[name].map((u) => [u, id] as const)));
  return { docs, assignments };
}

const users = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

describe('diffRuns', () => {
  it('matches one-to-one: two later segments cannot both claim one earlier segment', () => {
    // a splits into two halves; the greedy diff called both "a" (changed/grew).
    const before = run('r1', 'weekly', { a: users('a', 100), b: users('b', 40) });
    const after = run('r2', 'weekly', { x: users('a', 50), y: users('a', 100).slice(50), b: users('b', 40) }, 'seg-');
    const d = diffRuns(before, after);
    expect(d.rows.map((r) => [r.key, r.status])).toEqual([['seg-x', 'split'], ['seg-y', 'split'], ['seg-b', 'stable']]);
    expect(d.rows.filter((r) => r.matched?.key === 'seg-a').length).toBeLessThanOrEqual(1);
    // The split one is listed as ended.
    expect(d.ended).toEqual([expect.objectContaining({ key: 'seg-a', status: 'split', into: ['seg-x', 'seg-y'] })]);
    expect(d.warnings).toEqual([]);
  });

  it('lists a segment that disappears', () => {
    const before = run('r1', 'weekly', { a: users('a', 50), b: users('b', 50) });
    const after = run('r2', 'weekly', { a: [...users('a', 50), ...users('b', 10)] });
    const d = diffRuns(before, after);
    expect(d.rows.map((r) => r.status)).toEqual(['stable']);
    expect(d.ended.map((e) => [e.key, e.status])).toEqual([['seg-b', 'dissolved']]);
    expect(d).toMatchObject({ sharedUsers: 60, keptKey: 50 });
  });

  it('warns when the runs come from different jobs or share no users', () => {
    const d = diffRuns(run('r1', 'weekly', { a: users('a', 10) }), run('r2', 'churn', { a: users('z', 10) }));
    expect(d.warnings).toEqual([
      'the runs are from different jobs ("weekly" and "churn"): their keys are not related',
      'the runs share no segmented users: every segment of the later run is new against the earlier one',
    ]);
    expect(d.rows.map((r) => r.status)).toEqual(['new']);
  });

  it('does not call the keys unrelated when the later run was linked to the earlier by --previous', () => {
    // Outside check: runs of two ad-hoc jobs linked by --previous inherited keys, and the diff
    // still said their keys were not related.
    const before = run('r1', 'weekly', { a: users('a', 10) });
    const after = run('r2', 'churn', { a: users('a', 10) });
    const segments = after.docs.segments as { lineage?: unknown };
    segments.lineage = { previousRun: 'r1' };
    expect(diffRuns(before, after).warnings).toEqual([]);
    expect(diffRuns(before, run('r2', 'churn', { a: users('a', 10) })).warnings).toEqual(['the runs are from different jobs ("weekly" and "churn"): their keys are not related']);
  });
});

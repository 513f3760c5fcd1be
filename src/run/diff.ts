/**
 * `runs diff A B`: the segments of run B against those of run A, one-to-one (match.ts). When B
 * was itself compared with A when it ran, its recorded lineage is shown as it is (the same
 * statuses as its report); otherwise the two runs are matched now, over the users B segmented
 * (a user A did not segment counts in none of A's segments: finished runs keep no features to
 * place them by).
 */
import { jobOfManifest } from './jobs.js';
import { keysOf } from './lineage.js';
import { matchSegments, overlapOf, type LineageStatus } from './match.js';
import type { EndedSegment, RunDocuments } from './types.js';

export interface DiffSide {
  readonly docs: RunDocuments;
  /** assignments.csv: user id → segment id (-1: no events in the window). */
  readonly assignments: ReadonlyMap<string, number>;
}

export interface DiffRow {
  readonly segment: number;
  readonly key: string;
  readonly name: string;
  readonly size: number;
  readonly status: LineageStatus;
  readonly score: number | null;
  /** The segment of A it was paired with. */
  readonly matched: { readonly key: string; readonly id: number; readonly name: string; readonly size: number } | null;
  readonly from: readonly string[];
}

export interface RunDiff {
  readonly jobs: readonly [string, string];
  /** B's lineage recorded at run time was against A. */
  readonly recorded: boolean;
  readonly rows: readonly DiffRow[];
  readonly ended: readonly EndedSegment[];
  /** Users segmented in both runs, and those of them with the same key in both. */
  readonly sharedUsers: number;
  readonly keptKey: number;
  /** Said before the table: other jobs, no users in common. */
  readonly warnings: readonly string[];
}

/**
 * @example
 * const d = diffRuns({ docs: docsA, assignments: loadAssignments(a) }, { docs: docsB, assignments: loadAssignments(b) });
 * d.rows.map((r) => r.status); // ['stable', 'grown', 'new']
 */
export function diffRuns(a: DiffSide, b: DiffSide): RunDiff {
  const jobs = [jobOfManifest(a.docs.manifest), jobOfManifest(b.docs.manifest)] as const;
  const keysA = keysOf(jobs[0], a.docs.segments, a.docs.manifest.runId);
  const keysB = keysOf(jobs[1], b.docs.segments, b.docs.manifest.runId);
  const segsA = a.docs.segments.segments;
  const segsB = b.docs.segments.segments;
  const idOfA = new Map(keysA.map((k, i) => [k, i]));
  const pairedA = (key: string | null) => {
    const i = key === null ? undefined : idOfA.get(key);
    return i === undefined ? null : { key: keysA[i], id: i, name: segsA[i].name, size: segsA[i].size };
  };

  // Users segmented in both runs, and who kept their key.
  let sharedUsers = 0;
  let keptKey = 0;
  for (const [u, j] of b.assignments) {
    const i = a.assignments.get(u);
    if (j < 0 || i === undefined || i < 0) continue;
    sharedUsers++;
    if (keysA[i] === keysB[j]) keptKey++;
  }
  const warnings: string[] = [];
  // Runs of different jobs linked by --previous share keys: the later one inherited them.
  const linked = b.docs.segments.lineage?.previousRun === a.docs.manifest.runId;
  if (jobs[0] !== jobs[1] && !linked) warnings.push(`the runs are from different jobs ("${jobs[0]}" and "${jobs[1]}"): their keys are not related`);
  if (sharedUsers === 0) warnings.push('the runs share no segmented users: every segment of the later run is new against the earlier one');

  const recorded = linked && segsB.every((s) => s.lineage !== undefined);
  if (recorded) {
    const rows = segsB.map((s, j): DiffRow => ({
      segment: j,
      key: keysB[j],
      name: s.name,
      size: s.size,
      status: s.lineage!.status,
      score: s.lineage!.score,
      matched: pairedA(s.lineage!.matchedKey),
      from: s.lineage!.from,
    }));
    return { jobs, recorded, rows, ended: b.docs.segments.lineage!.ended, sharedUsers, keptKey, warnings };
  }

  const users = [...b.assignments].filter(([, j]) => j >= 0);
  const before = Int32Array.from(users, ([u]) => {
    const i = a.assignments.get(u);
    return i === undefined || i < 0 ? -1 : i;
  });
  const after = Int32Array.from(users, ([, j]) => j);
  const m = matchSegments(overlapOf(before, after, segsA.length, segsB.length), { before: segsA.map((s) => s.size), after: segsB.map((s) => s.size) });
  const rows = m.after.map((l): DiffRow => ({
    segment: l.segment,
    key: keysB[l.segment],
    name: segsB[l.segment].name,
    size: segsB[l.segment].size,
    status: l.status,
    score: l.matched === null ? null : Math.round(l.score * 1e4) / 1e4,
    matched: l.matched === null ? null : pairedA(keysA[l.matched]),
    from: l.from.map((i) => keysA[i]),
  }));
  const ended = m.ended.map((e): EndedSegment => ({
    key: keysA[e.segment],
    name: segsA[e.segment].name,
    previousId: e.segment,
    size: segsA[e.segment].size,
    status: e.status,
    into: e.into.map((j) => keysB[j]).sort(),
    score: Math.round(e.score * 1e4) / 1e4,
  }));
  return { jobs, recorded, rows, ended, sharedUsers, keptKey, warnings };
}

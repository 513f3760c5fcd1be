/**
 * Segment identity across the runs of a job: every segment gets a short key; a segment that
 * continues one of the previous run (match.ts) inherits its key and, unless its traits changed
 * enough, its name.
 *
 * The previous run's segments are compared with this run's over this run's users: a returning
 * user counts in the previous segment they were in; a user the previous run did not segment (new,
 * or in its no-events group) counts in the previous segment whose centre is nearest in this run's
 * model space, that centre being the mean of the segment's returning members. Users with no
 * events in the window (segment -1) are a group of their own, never a keyed segment.
 *
 * Keys are deterministic: a new segment's key is a hash of the job, the run's origin (its input
 * fingerprints and window) and the segment's first member, so the same inputs, config and seed
 * give the same keys, and relabelling segments cannot change them.
 */
import { createHash } from 'node:crypto';
import { compareUtf8 } from '../core/bytes.js';
import { NO_EVENTS_GROUP } from '../core/groups.js';
import type { Matrix } from '../core/matrix.js';
import type { SegmentProfile } from '../stages/profile/types.js';
import { matchSegments, overlapOf, type SegmentMatching } from './match.js';
import type { EndedSegment, HistoryRun, RunDocuments, SegmentLineage, SegmentsDoc, TransitionCount } from './types.js';

/** The run a new run is compared with: its documents and its assignments (user id → segment id). */
export interface PreviousRun {
  readonly dir: string;
  readonly docs: RunDocuments;
  readonly assignments: ReadonlyMap<string, number>;
}

export interface LineageInput {
  readonly job: string;
  /** What identifies this run's data (see runOrigin). */
  readonly origin: string;
  /** Clustered users, aligned with `labels` and the rows of `points`. */
  readonly userIds: readonly string[];
  readonly labels: Int32Array;
  /** Users' coordinates in this run's model space (PCA scores). */
  readonly points: Matrix;
  readonly k: number;
  readonly usersWithoutEvents: readonly string[];
  readonly profiles: readonly SegmentProfile[];
  readonly previous: PreviousRun | null;
}

/** One user whose key changed (`-1`: no events in the window; empty: not in that run). */
export interface Transition {
  readonly userId: string;
  readonly from: string;
  readonly to: string;
}

export interface Lineage {
  /** Per segment id of this run. */
  readonly keys: readonly string[];
  readonly names: readonly string[];
  readonly segments: readonly SegmentLineage[];
  readonly ended: readonly EndedSegment[];
  readonly transitions: readonly Transition[];
  readonly counts: readonly TransitionCount[];
  readonly sharedUsers: number;
  readonly keptKey: number;
}

/** The key `-1` users carry in transitions (the no-events group's segment id). */
export const NO_EVENTS_KEY = String(NO_EVENTS_GROUP.segment);

const sha = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * What identifies a run's data: its inputs' content and its window, not its clock or folder.
 *
 * @example
 * runOrigin(analysis.ingest.fingerprints.map((f) => f.sha256), analysis.ingest.window);
 */
export function runOrigin(inputHashes: readonly string[], window: { readonly start: string; readonly end: string }): string {
  return sha(JSON.stringify({ inputs: [...inputHashes].sort(), start: window.start, end: window.end })).slice(0, 16);
}

/** `seg-` and six hex digits of a hash of job, origin and anchor (longer only on a clash). */
export function segmentKey(job: string, origin: string, anchor: string, taken: ReadonlySet<string> = new Set()): string {
  const h = sha(`${job}\u0000${origin}\u0000${anchor}`);
  for (let len = 6; len < h.length; len += 2) {
    const key = `seg-${h.slice(0, len)}`;
    if (!taken.has(key)) return key;
  }
  throw new Error(`no free key for ${anchor}`);
}

/** Keys of a finished run's segments (derived from its run id for runs written before keys). */
export function keysOf(job: string, segments: SegmentsDoc, runId: string): string[] {
  const taken = new Set<string>();
  return segments.segments.map((s) => {
    const key = s.key ?? segmentKey(job, `run:${runId}`, String(s.id), taken);
    taken.add(key);
    return key;
  });
}

/**
 * Keys, names, statuses and transitions of this run's segments against the previous run.
 *
 * @example
 * const lineage = computeLineage({ job, origin, userIds, labels, points, k, usersWithoutEvents, profiles, previous });
 * lineage.segments[0].status; // 'stable'
 */
export function computeLineage(input: LineageInput): Lineage {
  const { userIds, labels, k, profiles, previous } = input;
  const firstMember = new Array<string | null>(k).fill(null);
  userIds.forEach((u, i) => {
    const l = labels[i];
    if (firstMember[l] === null || u < firstMember[l]!) firstMember[l] = u;
  });

  const prevKeys = previous ? keysOf(input.job, previous.docs.segments, previous.docs.manifest.runId) : [];
  let matching: SegmentMatching | null = null;
  if (previous) {
    const before = previousLabels(input, previous);
    const prevSegs = previous.docs.segments.segments;
    const sizesAfter = Array.from({ length: k }, (_, j) => profiles[j]?.size ?? 0);
    matching = matchSegments(overlapOf(before, labels, prevSegs.length, k), { before: prevSegs.map((s) => s.size), after: sizesAfter });
  }

  // Keys: inherited, else new; new keys avoid every inherited one.
  const keys = new Array<string>(k);
  const taken = new Set<string>();
  matching?.after.forEach((l) => {
    if (l.inherits) {
      keys[l.segment] = prevKeys[l.matched!];
      taken.add(keys[l.segment]);
    }
  });
  for (let j = 0; j < k; j++) {
    if (keys[j] !== undefined) continue;
    keys[j] = segmentKey(input.job, input.origin, firstMember[j] ?? `empty:${j}`, taken);
    taken.add(keys[j]);
  }

  // Names: an inherited key keeps its name unless the traits changed enough (or the name is
  // now another segment's).
  const names = profiles.map((p) => p.name);
  const previousName = new Array<string | null>(k).fill(null);
  if (previous && matching) {
    const prevSegs = previous.docs.segments.segments;
    for (const l of matching.after) {
      if (!l.inherits) continue;
      const old = prevSegs[l.matched!];
      if (old.name === names[l.segment]) continue;
      const clash = names.some((n, j) => j !== l.segment && n === old.name);
      if (!clash && traitsAlike(old.traits, profiles[l.segment].traits)) names[l.segment] = old.name;
      else previousName[l.segment] = old.name;
    }
  }

  const previousRun = previous?.docs.manifest.runId ?? null;
  const segments = Array.from({ length: k }, (_, j): SegmentLineage => {
    const l = matching?.after[j];
    if (!l) return { previousRun, inheritedKey: null, matchedKey: null, score: null, status: 'new', from: [], previousName: null };
    return {
      previousRun,
      inheritedKey: l.inherits ? prevKeys[l.matched!] : null,
      matchedKey: l.matched === null ? null : prevKeys[l.matched],
      score: l.matched === null ? null : round4(l.score),
      status: l.status,
      from: l.from.map((i) => prevKeys[i]),
      previousName: previousName[j],
    };
  });
  const ended = (matching?.ended ?? []).map((e): EndedSegment => {
    const s = previous!.docs.segments.segments[e.segment];
    return { key: prevKeys[e.segment], name: s.name, previousId: s.id, size: s.size, status: e.status, into: e.into.map((j) => keys[j]).sort(), score: round4(e.score) };
  });

  return { keys, names, segments, ended, ...transitionsOf(input, keys, previous, prevKeys) };
}

const round4 = (v: number) => Math.round(v * 1e4) / 1e4;

/** A user the previous run did not segment counts in a previous segment only this close to its centre (a quantile of its returning members' distances). */
const RADIUS_QUANTILE = 0.95;

/**
 * Each user's previous segment; for users it did not segment, the previous segment whose centre
 * is nearest, if they are within its radius (else -1: they would have been in none of them).
 */
function previousLabels(input: LineageInput, previous: PreviousRun): Int32Array {
  const { userIds, points } = input;
  const d = points.cols;
  const before = new Int32Array(userIds.length).fill(-1);
  userIds.forEach((u, i) => {
    const p = previous.assignments.get(u);
    if (p !== undefined && p >= 0 && p < previous.docs.segments.segments.length) before[i] = p;
  });
  const centres = previousCentres(userIds, points, previous);
  const live = centres.map((c, p) => (c === null ? -1 : p)).filter((p) => p >= 0);
  if (live.length === 0) return before;
  const dist2 = (i: number, c: Float64Array) => {
    let s = 0;
    for (let j = 0; j < d; j++) {
      const x = points.data[i * d + j] - c[j];
      s += x * x;
    }
    return s;
  };
  // Radius of each previous segment in this run's space, from its returning members.
  const spread = new Map<number, number[]>(live.map((p) => [p, []]));
  for (let i = 0; i < userIds.length; i++) if (before[i] >= 0) spread.get(before[i])!.push(dist2(i, centres[before[i]]!));
  const radius = new Map(live.map((p) => {
    const ds = spread.get(p)!.sort((a, b) => a - b);
    return [p, ds[Math.min(ds.length - 1, Math.floor(RADIUS_QUANTILE * ds.length))]] as const;
  }));
  for (let i = 0; i < userIds.length; i++) {
    if (before[i] >= 0) continue;
    let best = -1;
    let bestD = Infinity;
    for (const p of live) {
      const dd = dist2(i, centres[p]!);
      if (dd < bestD) {
        bestD = dd;
        best = p;
      }
    }
    if (bestD <= radius.get(best)!) before[i] = best;
  }
  return before;
}

/** Previous segments' centres in this run's model space (means of their returning members), by previous id; null where none returned. */
export function previousCentres(userIds: readonly string[], points: Matrix, previous: PreviousRun): (Float64Array | null)[] {
  const kPrev = previous.docs.segments.segments.length;
  const d = points.cols;
  const sums = Array.from({ length: kPrev }, () => new Float64Array(d));
  const counts = new Array<number>(kPrev).fill(0);
  userIds.forEach((u, i) => {
    const p = previous.assignments.get(u);
    if (p === undefined || p < 0 || p >= kPrev) return;
    counts[p]++;
    for (let c = 0; c < d; c++) sums[p][c] += points.data[i * d + c];
  });
  return sums.map((s, p) => (counts[p] === 0 ? null : s.map((v) => v / counts[p])));
}

/** The previous segments' centres in this run's space as a matrix (previous id order, segments with no returning member left out), or null when none returned. */
export function previousCentreMatrix(userIds: readonly string[], points: Matrix, previous: PreviousRun): Matrix | null {
  const centres = previousCentres(userIds, points, previous).filter((c): c is Float64Array => c !== null);
  if (centres.length === 0) return null;
  const data = new Float64Array(centres.length * points.cols);
  centres.forEach((c, i) => data.set(c, i * points.cols));
  return { rows: centres.length, cols: points.cols, data };
}

/** Two segments' top three traits mostly agree (the same features, the same direction). */
function traitsAlike(a: SegmentProfile['traits'], b: SegmentProfile['traits']): boolean {
  const id = (t: SegmentProfile['traits'][number]) => `${t.feature}\u0000${t.category ?? ''}\u0000${t.direction}`;
  const top = a.slice(0, 3).map(id);
  const now = new Set(b.slice(0, 3).map(id));
  const n = Math.min(top.length, now.size);
  if (n === 0) return true;
  return top.filter((t) => now.has(t)).length >= Math.ceil((2 * n) / 3);
}

/** User ids in UTF-8 byte order, each once, with the key each carries in one run. */
interface KeyedUsers {
  readonly ids: readonly string[];
  readonly keys: readonly string[];
}

/**
 * `ids` (with `keys`, aligned) in byte order, each id once: of equal ids the last given wins.
 * The lists arrive sorted (the features table, the users-table query and assignments.csv are all
 * in byte order), so usually this only checks that; otherwise it sorts positions, stably.
 */
function byUser(ids: readonly string[], keys: readonly string[]): KeyedUsers {
  let sorted = true;
  for (let i = 1; i < ids.length && sorted; i++) sorted = compareUtf8(ids[i - 1], ids[i]) < 0;
  if (sorted) return { ids, keys };
  const order = Array.from(ids.keys()).sort((a, b) => compareUtf8(ids[a], ids[b]) || a - b);
  const out = { ids: [] as string[], keys: [] as string[] };
  for (const i of order) {
    const last = out.ids.length - 1;
    if (last >= 0 && out.ids[last] === ids[i]) out.keys[last] = keys[i];
    else {
      out.ids.push(ids[i]);
      out.keys.push(keys[i]);
    }
  }
  return out;
}

/**
 * Who moved where, over every user of either run, in byte order of user id: this run's users
 * (the clustered and those without events) merged with the previous run's, walking both lists
 * once. A map of each run's users, a set of both and a sort took 2.3 s at 1M users; this takes
 * 0.7–0.9 s, most of it making the transition rows themselves.
 */
export function transitionsOf(input: Pick<LineageInput, 'userIds' | 'labels' | 'usersWithoutEvents'>, keys: readonly string[], previous: Pick<PreviousRun, 'assignments'> | null, prevKeys: readonly string[]) {
  const transitions: Transition[] = [];
  // Users by previous key, then by key now (the keys are few, and each already hashed).
  const counts = new Map<string, Map<string, number>>();
  let sharedUsers = 0;
  let keptKey = 0;
  if (previous) {
    const now = byUser(
      [...input.userIds, ...input.usersWithoutEvents],
      [...Array.from(input.labels, (label) => keys[label]), ...input.usersWithoutEvents.map(() => NO_EVENTS_KEY)],
    );
    const then = byUser([...previous.assignments.keys()], Array.from(previous.assignments.values(), (p) => (p < 0 ? NO_EVENTS_KEY : (prevKeys[p] ?? NO_EVENTS_KEY))));
    for (let a = 0, b = 0; a < then.ids.length || b < now.ids.length; ) {
      const order = a === then.ids.length ? 1 : b === now.ids.length ? -1 : compareUtf8(then.ids[a], now.ids[b]);
      const userId = order <= 0 ? then.ids[a] : now.ids[b];
      const from = order <= 0 ? then.keys[a++] : '';
      const to = order >= 0 ? now.keys[b++] : '';
      const into = counts.get(from) ?? counts.set(from, new Map()).get(from)!;
      into.set(to, (into.get(to) ?? 0) + 1);
      if (from !== '' && from !== NO_EVENTS_KEY && to !== '' && to !== NO_EVENTS_KEY) {
        sharedUsers++;
        if (from === to) keptKey++;
      }
      if (from !== to) transitions.push({ userId, from, to });
    }
  }
  const countList = [...counts]
    .flatMap(([from, into]) => [...into].map(([to, users]) => ({ from, to, users })))
    .sort((a, b) => compareUtf8(a.from, b.from) || compareUtf8(a.to, b.to));
  return { transitions, counts: countList, sharedUsers, keptKey };
}

/** At most this many runs in a segments.json size history. */
export const HISTORY_RUNS = 12;

/**
 * The job's size history up to this run: the previous run's history (or the previous run alone,
 * when it predates histories), then this run (`runId` null: its own id is not in its documents).
 */
export function historyOf(previous: PreviousRun | null, job: string, current: HistoryRun): HistoryRun[] {
  const earlier: HistoryRun[] = [];
  if (previous) {
    const { segments, manifest } = previous.docs;
    // The previous run wrote itself as null (see HistoryRun): it has an id now.
    if (segments.history?.length) earlier.push(...segments.history.map((h) => (h.runId === null ? { ...h, runId: manifest.runId } : h)));
    else {
      const keys = keysOf(job, segments, manifest.runId);
      earlier.push({ runId: manifest.runId, end: manifest.window.end, users: segments.users, segments: segments.segments.map((s, i) => ({ key: keys[i], name: s.name, size: s.size, share: s.share })) });
    }
  }
  return [...earlier, current].slice(-HISTORY_RUNS);
}

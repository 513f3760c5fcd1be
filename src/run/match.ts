/**
 * Matching the segments of one run to those of the run before it (the segment identity of
 * periodic discovery jobs): a one-to-one assignment by the Hungarian method that maximises the
 * total Jaccard overlap of memberships, then a status per segment.
 *
 * Thresholds are the usual ones of the cluster-stability literature (Hennig 2007: a cluster
 * whose best Jaccard across perturbed fits is ≤ 0.5 has dissolved, ≥ 0.75 is stable):
 *
 *   - a matched pair with Jaccard > 0.5 is one segment continuing (the newer one inherits the
 *     key): `stable` at ≥ 0.75, otherwise `grown` or `shrunk` by its size against before;
 *   - `split`: an earlier segment whose members now make up most of two or more segments, each
 *     holding at least a quarter of it; `merged`: a segment made, mostly, of two or more earlier
 *     segments, each of which it holds most of and which each make at least a quarter of it;
 *   - anything else is `new`; an earlier segment no one continues is `dissolved` (or listed as
 *     `split` / `merged` when that is where its members went, or `absorbed` when most of them
 *     went into one segment they make less than a quarter of).
 *
 * Jaccard > 0.5 already forces one-to-one (it needs more than half of both sets), so which
 * segments inherit a key never depends on how ties in the assignment are broken.
 */

export const LINEAGE_STATUSES = ['stable', 'grown', 'shrunk', 'split', 'merged', 'new', 'dissolved'] as const;
export type LineageStatus = (typeof LINEAGE_STATUSES)[number];
/** What became of an earlier segment no later one continues. */
export const ENDED_STATUSES = ['dissolved', 'split', 'merged', 'absorbed'] as const;
export type EndedStatus = (typeof ENDED_STATUSES)[number];

/** At or above: the same segment, barely changed. */
export const STABLE_JACCARD = 0.75;
/** At or below: not the same segment any more. */
export const DISSOLVED_JACCARD = 0.5;
/** Split / merge: a part holds at least this share of the whole it came from or went into. */
const PART_SHARE = 0.25;
/** Split / merge: a part is mostly (more than this share of it) one side. */
const MOSTLY = 0.5;

/**
 * Memberships of one population under the earlier segmentation and the newer one, as counts.
 * `before[i]` = |A_i|, `after[j]` = |B_j|, `counts[i][j]` = |A_i ∩ B_j|.
 */
export interface Overlap {
  readonly before: readonly number[];
  readonly after: readonly number[];
  readonly counts: readonly (readonly number[])[];
}

/**
 * The overlap of two labelings of the same users (label -1 = in no segment on that side).
 *
 * @example
 * overlapOf(Int32Array.of(0, 0, 1), Int32Array.of(1, 1, 0), 2, 2).counts; // [[0, 2], [1, 0]]
 */
export function overlapOf(before: Int32Array, after: Int32Array, kBefore: number, kAfter: number): Overlap {
  if (before.length !== after.length) throw new RangeError(`${before.length} earlier labels for ${after.length} users`);
  const counts = Array.from({ length: kBefore }, () => new Array<number>(kAfter).fill(0));
  const a = new Array<number>(kBefore).fill(0);
  const b = new Array<number>(kAfter).fill(0);
  for (let u = 0; u < before.length; u++) {
    const i = before[u];
    const j = after[u];
    if (i >= 0) a[i]++;
    if (j >= 0) b[j]++;
    if (i >= 0 && j >= 0) counts[i][j]++;
  }
  return { before: a, after: b, counts };
}

export function jaccard(o: Overlap, i: number, j: number): number {
  const inter = o.counts[i][j];
  const union = o.before[i] + o.after[j] - inter;
  return union === 0 ? 0 : inter / union;
}

/** What became of a newer segment. */
export interface AfterLink {
  readonly segment: number;
  /** The earlier segment the assignment paired it with (null when there were fewer). */
  readonly matched: number | null;
  /** Jaccard with `matched` (0 when unmatched). */
  readonly score: number;
  /** It continues `matched` (Jaccard > 0.5) and takes its key. */
  readonly inherits: boolean;
  readonly status: Exclude<LineageStatus, 'dissolved'>;
  /** Earlier segments it came from: the split one, the merged ones, or the one it continues. */
  readonly from: readonly number[];
}

/** An earlier segment that no newer one continues. */
export interface EndedLink {
  readonly segment: number;
  readonly status: EndedStatus;
  /** Newer segments its members went to (for split and merged). */
  readonly into: readonly number[];
  /** The newer segment the assignment paired it with, if any. */
  readonly matched: number | null;
  /** Its best Jaccard with any newer segment (how much of it is left anywhere). */
  readonly score: number;
}

export interface SegmentMatching {
  readonly after: readonly AfterLink[];
  readonly ended: readonly EndedLink[];
}

/**
 * Matches earlier segments to newer ones and gives each a status.
 *
 * `sizes` are the segments' own sizes for grown / shrunk (the earlier run's sizes as it
 * reported them); by default the overlap's.
 *
 * @example
 * const m = matchSegments(overlapOf(prevLabels, labels, 3, 4));
 * m.after.map((l) => l.status); // ['stable', 'split', 'split', 'new']
 */
export function matchSegments(o: Overlap, sizes: { readonly before: readonly number[]; readonly after: readonly number[] } = o): SegmentMatching {
  const kb = o.before.length;
  const ka = o.after.length;
  const score = Array.from({ length: kb }, (_, i) => Array.from({ length: ka }, (_, j) => jaccard(o, i, j)));
  // A pairing with no user in common is the assignment's filler, not a match: a new segment was
  // shown "matched" to an unrelated ended one at Jaccard 0.00 (outside check).
  const pairOf = hungarianMax(score).map((j, i) => (j !== null && score[i][j] > 0 ? j : null));
  const matchedAfter = new Array<number | null>(ka).fill(null);
  pairOf.forEach((j, i) => {
    if (j !== null) matchedAfter[j] = i;
  });

  // Parts: j is mostly i, and holds a good share of i (split); i is mostly in j and makes a
  // good share of j (merge).
  const splitInto = Array.from({ length: kb }, (_, i) =>
    range(ka).filter((j) => o.counts[i][j] > MOSTLY * o.after[j] && o.counts[i][j] >= PART_SHARE * o.before[i]),
  );
  const mergedFrom = range(ka).map((j) =>
    range(kb).filter((i) => o.counts[i][j] > MOSTLY * o.before[i] && o.counts[i][j] >= PART_SHARE * o.after[j]),
  );

  const after = range(ka).map((j): AfterLink => {
    const i = matchedAfter[j];
    const s = i === null ? 0 : score[i][j];
    const inherits = i !== null && s > DISSOLVED_JACCARD;
    const parent = range(kb).find((p) => splitInto[p].length >= 2 && splitInto[p].includes(j));
    let status: AfterLink['status'];
    let from: number[];
    if (mergedFrom[j].length >= 2) {
      status = 'merged';
      from = mergedFrom[j];
    } else if (parent !== undefined) {
      status = 'split';
      from = [parent];
    } else if (inherits) {
      status = s >= STABLE_JACCARD ? 'stable' : sizes.after[j] >= sizes.before[i] ? 'grown' : 'shrunk';
      from = [i];
    } else {
      status = 'new';
      from = [];
    }
    return { segment: j, matched: i, score: s, inherits, status, from };
  });

  const continued = new Set(after.filter((l) => l.inherits).map((l) => l.matched));
  const ended = range(kb)
    .filter((i) => !continued.has(i))
    .map((i): EndedLink => {
      const j = pairOf[i];
      const mergedInto = range(ka).filter((jj) => mergedFrom[jj].length >= 2 && mergedFrom[jj].includes(i));
      const base = { segment: i, matched: j, score: Math.max(0, ...score[i]) };
      if (mergedInto.length > 0) return { ...base, status: 'merged', into: mergedInto };
      if (splitInto[i].length >= 2) return { ...base, status: 'split', into: splitInto[i] };
      // Most of it went into one segment, too small a part of it to be a merge (outside check: a
      // 51-user segment whose every user moved into a 354-user one was "dissolved", gone nowhere).
      // Most of its own size: members who left the data did not go anywhere.
      const absorbedBy = range(ka).find((j) => o.counts[i][j] > MOSTLY * Math.max(o.before[i], sizes.before[i]));
      if (absorbedBy !== undefined) return { ...base, status: 'absorbed', into: [absorbedBy] };
      return { ...base, status: 'dissolved', into: [] };
    });
  return { after, ended };
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/**
 * A one-to-one assignment of rows to columns maximising the total score (Kuhn–Munkres with
 * potentials, O(n³) on the square padded matrix). Returns each row's column, or null for rows
 * left over when there are more rows than columns.
 *
 * @example
 * hungarianMax([[0.9, 0.1], [0.8, 0.7]]); // [0, 1] (1.6 beats 0.1 + 0.8)
 */
export function hungarianMax(score: readonly (readonly number[])[]): (number | null)[] {
  const rows = score.length;
  const cols = rows === 0 ? 0 : score[0].length;
  const n = Math.max(rows, cols);
  if (n === 0) return [];
  // Minimise cost = -score; padding cells cost 0.
  const cost = (i: number, j: number) => (i < rows && j < cols ? -score[i][j] : 0);
  const INF = Number.POSITIVE_INFINITY;
  const u = new Float64Array(n + 1);
  const v = new Float64Array(n + 1);
  const p = new Int32Array(n + 1); // p[j]: row (1-based) assigned to column j
  const way = new Int32Array(n + 1);
  for (let i = 1; i <= n; i++) {
    p[0] = i;
    let j0 = 0;
    const minv = new Float64Array(n + 1).fill(INF);
    const used = new Uint8Array(n + 1);
    // Bounded: each pass marks one more column used, and an unmatched one ends the search.
    for (let guard = 0; guard <= n; guard++) {
      used[j0] = 1;
      const i0 = p[j0];
      let delta = INF;
      let j1 = 0;
      for (let j = 1; j <= n; j++) {
        if (used[j]) continue;
        const cur = cost(i0 - 1, j - 1) - u[i0] - v[j];
        if (cur < minv[j]) {
          minv[j] = cur;
          way[j] = j0;
        }
        if (minv[j] < delta) {
          delta = minv[j];
          j1 = j;
        }
      }
      for (let j = 0; j <= n; j++) {
        if (used[j]) {
          u[p[j]] += delta;
          v[j] -= delta;
        } else {
          minv[j] -= delta;
        }
      }
      j0 = j1;
      if (p[j0] === 0) break;
    }
    for (;;) {
      const j1 = way[j0];
      p[j0] = p[j1];
      j0 = j1;
      if (j0 === 0) break;
    }
  }
  const out = new Array<number | null>(rows).fill(null);
  for (let j = 1; j <= n; j++) {
    const i = p[j] - 1;
    if (i >= 0 && i < rows && j - 1 < cols) out[i] = j - 1;
  }
  return out;
}

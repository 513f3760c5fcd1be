/**
 * Drift between two runs: each segment of the newer run is matched to the older segment whose
 * members it shares most (Jaccard over user ids present in both runs).
 */
export interface SegmentMatch {
  readonly segment: number;
  readonly size: number;
  /** Best-matching segment in the earlier run, or null when nothing overlaps. */
  readonly previous: number | null;
  readonly previousSize: number;
  readonly jaccard: number;
  readonly status: 'stable' | 'grew' | 'shrank' | 'changed' | 'new';
}

export function diffAssignments(before: ReadonlyMap<string, number>, after: ReadonlyMap<string, number>): SegmentMatch[] {
  const sizesBefore = countBy(before);
  const sizesAfter = countBy(after);
  const overlap = new Map<string, number>();
  for (const [user, seg] of after) {
    const prev = before.get(user);
    if (prev === undefined) continue;
    const key = `${seg}:${prev}`;
    overlap.set(key, (overlap.get(key) ?? 0) + 1);
  }
  return [...sizesAfter.keys()].sort((a, b) => a - b).map((seg) => {
    let best: number | null = null;
    let bestJ = 0;
    for (const [prev, prevSize] of [...sizesBefore].sort((a, b) => a[0] - b[0])) {
      const inter = overlap.get(`${seg}:${prev}`) ?? 0;
      const j = inter / (sizesAfter.get(seg)! + prevSize - inter);
      if (j > bestJ) {
        bestJ = j;
        best = prev;
      }
    }
    const size = sizesAfter.get(seg)!;
    const previousSize = best === null ? 0 : sizesBefore.get(best)!;
    const status: SegmentMatch['status'] =
      best === null || bestJ < 0.3 ? 'new' : bestJ >= 0.8 ? 'stable' : size > previousSize * 1.1 ? 'grew' : size < previousSize * 0.9 ? 'shrank' : 'changed';
    return { segment: seg, size, previous: best, previousSize, jaccard: bestJ, status };
  });
}

function countBy(m: ReadonlyMap<string, number>): Map<number, number> {
  const out = new Map<number, number>();
  for (const v of m.values()) out.set(v, (out.get(v) ?? 0) + 1);
  return out;
}

/**
 * A run that cuts users more finely than the run a rule came from (a larger k) can split the
 * promoted segment into pieces. The rule still selects the same users, but its best-matching
 * segment is then one piece, and precision against that piece falls although nothing decayed
 * (QA: k went 6 → 8, the trialists came out as 244 + 128 users, and a rule still selecting them
 * was DECAYED at precision 0.98 → 0.58; the next week, back at k = 6, it was ok).
 *
 * A piece is a segment that lies mostly inside the selection: at least half of its members are
 * selected (the mirror of a wider segment, which holds most of the selection). Half is the level
 * at which `rules match` calls a promoted rule matched (MATCH_JACCARD): a majority either way.
 * The pieces count as a finer cut when there are at least two and their union matches the
 * selection at that same level (Jaccard ≥ 0.5), so they cover most of it. A selection spread thinly
 * over unrelated segments takes a minority of each: no pieces, and no finer cut.
 *
 * Judged from the selection alone. The run's lineage is not used: it relates a run only to the
 * run just before it, while a rule is checked against any later run of its job, so a verdict
 * resting on it would change with how many runs lie between promotion and check.
 */
import { MATCH_JACCARD } from './match.js';

export interface Piece {
  readonly segment: number;
  /** Users both selected and in the segment. */
  readonly shared: number;
  readonly segmentSize: number;
}

export interface FinerCut {
  /** Most shared first (then lowest id). */
  readonly pieces: readonly Piece[];
  /** Selected users in any piece, and the pieces' users together. */
  readonly shared: number;
  readonly size: number;
  /** Against the pieces together: shared ÷ selected, and shared ÷ in either. */
  readonly precision: number;
  readonly jaccard: number;
}

/**
 * The run's segments `selected` covers as pieces of one cut finer, or null when fewer than two
 * segments lie mostly inside it or together they do not match it (Jaccard < 0.5). Like
 * `bestOverlap`, the no-events group (ids < 0) is never a piece.
 *
 * @example
 * const a = new Map([['u1', 0], ['u2', 0], ['u3', 1], ['u4', 2], ['u5', 2], ['u6', 2]]);
 * finerCut(['u1', 'u2', 'u3'], a, segmentSizes(a));
 * // { pieces: [{ segment: 0, shared: 2, segmentSize: 2 }, { segment: 1, shared: 1, segmentSize: 1 }], shared: 3, size: 3, precision: 1, jaccard: 1 }
 */
export function finerCut(selected: readonly string[], assignments: ReadonlyMap<string, number>, sizes: ReadonlyMap<number, number>): FinerCut | null {
  const shared = new Map<number, number>();
  for (const u of selected) {
    const s = assignments.get(u);
    if (s !== undefined && s >= 0) shared.set(s, (shared.get(s) ?? 0) + 1);
  }
  const pieces = [...shared]
    .map(([segment, n]) => ({ segment, shared: n, segmentSize: sizes.get(segment)! }))
    .filter((p) => p.shared / p.segmentSize >= MATCH_JACCARD)
    .sort((a, b) => b.shared - a.shared || a.segment - b.segment);
  if (pieces.length < 2) return null;
  const inPieces = pieces.reduce((n, p) => n + p.shared, 0);
  const size = pieces.reduce((n, p) => n + p.segmentSize, 0);
  const jaccard = inPieces / (selected.length + size - inPieces);
  if (jaccard < MATCH_JACCARD) return null;
  return { pieces, shared: inPieces, size, precision: inPieces / selected.length, jaccard };
}

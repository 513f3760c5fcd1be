/**
 * Beam search for one segment's rule (one segment vs the rest), maximising F1.
 *
 * Depth 1 scores every candidate condition over all users; each later depth extends the
 * `beamWidth` best rules by one more condition, keeping an extension only when it raises F1 by
 * at least `minGain` — so rules stay short unless a condition earns its place. Ranking is total:
 * F1 (higher first), then fewer conditions, then the conditions' global candidate order
 * (feature name, operator, value), so the result never depends on iteration accidents.
 */
import { countCandidates, type CandidateSet } from './candidates.js';
import { evaluateCondition } from './evaluate.js';
import type { Condition } from './types.js';

export interface SearchOptions {
  readonly maxConditions: number;
  readonly beamWidth: number;
  readonly minGain: number;
}

/** A rule under construction: candidate numbers in the order they were added. */
export interface SearchResult {
  readonly candidates: readonly number[];
  readonly truePositives: number;
  readonly selected: number;
  readonly f1: number;
}

interface State extends SearchResult {
  /** The same candidate numbers, ascending: the rule's identity and its tie-break key. */
  readonly key: readonly number[];
  readonly mask: Uint8Array;
}

interface Child {
  readonly parent: State;
  readonly candidate: number;
  readonly truePositives: number;
  readonly selected: number;
  readonly f1: number;
  readonly key: readonly number[];
}

function compareKeys(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length) return a.length - b.length;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

const byRank = (a: { f1: number; key: readonly number[] }, b: { f1: number; key: readonly number[] }): number =>
  b.f1 - a.f1 || compareKeys(a.key, b.key);

function insertSorted(key: readonly number[], c: number): number[] {
  const out = [...key, c];
  out.sort((x, y) => x - y);
  return out;
}

/**
 * Whether adding candidate `c` to `state` could say something new: a numeric feature may take
 * one lower and one upper bound (a range); a categorical feature may exclude several values;
 * anything else about a feature already constrained is redundant or contradictory.
 */
function compatible(set: CandidateSet, state: State, c: number): boolean {
  const cand = set.candidates[c];
  for (const other of state.candidates) {
    const o = set.candidates[other];
    if (o.prepared !== cand.prepared) continue;
    if (set.features[cand.prepared].kind === 'numeric' ? o.op === cand.op : !(o.op === '!=' && cand.op === '!=')) return false;
  }
  return true;
}

function sameMask(a: Uint8Array, b: Uint8Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The Condition object for candidate `c` (label filled by the caller). */
export function candidateCondition(set: CandidateSet, c: number, label: string): Condition {
  const cand = set.candidates[c];
  const feature = set.features[cand.prepared].feature.name;
  return typeof cand.value === 'number'
    ? { feature, op: cand.op as '>=' | '<', value: cand.value, label }
    : { feature, op: cand.op as '=' | '!=', value: cand.value, label };
}

/**
 * Finds the best rule for the users marked in `inSegment`.
 *
 * @example
 * const best = searchRule(set, segmentMask, { maxConditions: 3, beamWidth: 5, minGain: 0.01 });
 */
export function searchRule(set: CandidateSet, inSegment: Uint8Array, options: SearchOptions): SearchResult {
  const n = inSegment.length;
  let segmentSize = 0;
  for (let i = 0; i < n; i++) segmentSize += inSegment[i];
  const f1Of = (tp: number, sel: number): number => (sel + segmentSize > 0 ? (2 * tp) / (sel + segmentSize) : 0);

  const root: State = {
    candidates: [],
    key: [],
    mask: new Uint8Array(n).fill(1),
    truePositives: segmentSize,
    selected: n,
    f1: f1Of(segmentSize, n),
  };
  const C = set.candidates.length;
  const selected = new Int32Array(C);
  const hits = new Int32Array(C);
  const inBS = new Uint8Array(n);
  const scratch = new Uint8Array(n);

  let best: State = root;
  let beam: State[] = [root];
  for (let depth = 1; depth <= options.maxConditions && beam.length > 0; depth++) {
    const children: Child[] = [];
    for (const state of beam) {
      for (let i = 0; i < n; i++) inBS[i] = state.mask[i] & inSegment[i];
      countCandidates(set, state.mask, inBS, selected, hits);
      for (let c = 0; c < C; c++) {
        if (hits[c] === 0) continue; // F1 0: never useful
        const f1 = f1Of(hits[c], selected[c]);
        // The first condition is always taken; later ones must earn their place.
        if (depth > 1 && (f1 < state.f1 + options.minGain || !compatible(set, state, c))) continue;
        children.push({ parent: state, candidate: c, truePositives: hits[c], selected: selected[c], f1, key: insertSorted(state.key, c) });
      }
    }
    children.sort(byRank);

    const next: State[] = [];
    const seen = new Set<string>();
    for (const child of children) {
      if (next.length >= options.beamWidth) break;
      const id = child.key.join(',');
      if (seen.has(id)) continue; // the same set of conditions reached from another parent
      seen.add(id);
      const cand = set.candidates[child.candidate];
      evaluateCondition(set.features[cand.prepared].feature, candidateCondition(set, child.candidate, ''), scratch);
      const mask = new Uint8Array(n);
      for (let i = 0; i < n; i++) mask[i] = child.parent.mask[i] & scratch[i];
      // Keep the beam diverse: a rule selecting exactly the users of a better-ranked one adds nothing.
      if (next.some((s) => s.selected === child.selected && s.truePositives === child.truePositives && sameMask(s.mask, mask))) continue;
      next.push({
        candidates: [...child.parent.candidates, child.candidate],
        key: child.key,
        mask,
        truePositives: child.truePositives,
        selected: child.selected,
        f1: child.f1,
      });
    }
    // A longer rule replaces a shorter one only when it is better by the same margin.
    if (next.length > 0 && (best === root || next[0].f1 >= best.f1 + options.minGain)) best = next[0];
    beam = next;
  }
  return { candidates: best.candidates, truePositives: best.truePositives, selected: best.selected, f1: best.f1 };
}

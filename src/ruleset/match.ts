/**
 * Which segment of a run a promoted rule describes: its selection among the run's users against
 * each segment's members. `rules check` measures precision and recall against the best one; the
 * report (`run|report --ruleset`) lists the segments a promoted rule matches.
 *
 * The best segment is the one with the highest Jaccard index (shared ÷ in either); F1 is
 * 2J / (1 + J), a monotone function of it, so the best segment by F1 is the same one.
 */
import { isSegmintError } from '../core/errors.js';
import type { RunContext } from '../core/context.js';
import { rulesetErrors } from '../core/messages.js';
import { loadAssignments } from '../run/load.js';
import { shownPath } from '../run/paths.js';
import type { RunDocuments } from '../run/types.js';
import type { PromotedMatch, PromotedMatches, PromotedMiss } from '../stages/report/promoted.js';
import { asOfOf, assertDataFits, selectUsers, withIngested } from './compute.js';
import { inputsChanged } from './promote.js';
import { readRuleset } from './store.js';

/** Jaccard at or above which a promoted rule is said to match a run segment. */
export const MATCH_JACCARD = 0.5;

export interface Overlap {
  /** The run's segment (ids ≥ 0; the no-events group is never a match). */
  readonly segment: number;
  /** Users both selected and in the segment. */
  readonly shared: number;
  readonly segmentSize: number;
  readonly jaccard: number;
  readonly f1: number;
}

/** Segment sizes of a run's assignments (user → segment). */
export function segmentSizes(assignments: ReadonlyMap<string, number>): Map<number, number> {
  const sizes = new Map<number, number>();
  for (const s of assignments.values()) sizes.set(s, (sizes.get(s) ?? 0) + 1);
  return sizes;
}

/**
 * The segment `selected` overlaps best (highest Jaccard; on a tie, the lowest id), or null when
 * it shares no user with any segment. `selected` counts only users the run has.
 *
 * @example
 * const a = new Map([['u1', 0], ['u2', 0], ['u3', 1]]);
 * bestOverlap(['u1', 'u2'], a, segmentSizes(a)); // { segment: 0, shared: 2, segmentSize: 2, jaccard: 1, f1: 1 }
 */
export function bestOverlap(selected: readonly string[], assignments: ReadonlyMap<string, number>, sizes: ReadonlyMap<number, number>): Overlap | null {
  const shared = new Map<number, number>();
  for (const u of selected) {
    const s = assignments.get(u);
    if (s !== undefined && s >= 0) shared.set(s, (shared.get(s) ?? 0) + 1);
  }
  let best: Overlap | null = null;
  for (const [segment, n] of [...shared].sort((a, b) => a[0] - b[0])) {
    const segmentSize = sizes.get(segment)!;
    const jaccard = n / (selected.length + segmentSize - n);
    if (best === null || jaccard > best.jaccard) best = { segment, shared: n, segmentSize, jaccard, f1: (2 * n) / (selected.length + segmentSize) };
  }
  return best;
}

/**
 * The run's segments that promoted segments match: each promoted rule (active or paused) is
 * recomputed from the run's own inputs as of the run's window end, as `rules check` does —
 * the run folder keeps no feature table, and the promoted rule reads features by their
 * definitions, which may differ from the run's (another window, another job) — restricted to
 * the run's users, and matched to the segment it overlaps best when Jaccard ≥ 0.5, else listed
 * as unmatched with that best overlap. A rule the data cannot answer (an event or column it
 * lacks) is listed as skipped, with why.
 *
 * @example
 * const promoted = await matchPromoted('rulesets/prod', runDir, docs, ctx);
 * renderMarkdown(docs, { promoted });
 */
export async function matchPromoted(ruleset: string, runDir: string, docs: RunDocuments, ctx: RunContext): Promise<PromotedMatches> {
  const entries = readRuleset(ruleset).filter((e) => e.doc.status !== 'retired');
  const { manifest } = docs;
  const assignments = loadAssignments(runDir, docs.segments);
  if (assignments.size === 0) throw rulesetErrors.noRunUsers(manifest.runId);
  const gone = inputsChanged(manifest.inputs);
  if (gone) throw rulesetErrors.runInputsGone(manifest.runId, gone);
  const sizes = segmentSizes(assignments);
  const suggested = new Map(docs.rules.rules.map((r) => [r.segment, r.text]));

  // The run's window (same end: the run's setting, or the same latest event), long enough for every rule's.
  const days = Math.max(manifest.config.window.days, ...entries.map((e) => e.doc.window.days));
  const config = { ...manifest.config, window: { ...manifest.config.window, days } };
  const matches: PromotedMatch[] = [];
  const unmatched: PromotedMiss[] = [];
  const skipped: { key: string; reason: string }[] = [];
  await withIngested(config, ctx, async (db, ingested) => {
    const e = asOfOf(ingested);
    for (const { doc } of entries) {
      try {
        await assertDataFits(db, ingested, doc.key, doc);
      } catch (err) {
        if (!isSegmintError(err)) throw err;
        skipped.push({ key: doc.key, reason: err.message });
        continue;
      }
      const selected = (await selectUsers(db, doc, e)).filter((u) => assignments.has(u));
      const best = bestOverlap(selected, assignments, sizes);
      if (best === null || best.jaccard < MATCH_JACCARD) {
        // Listed too: a promoted segment that no longer matches is what the reader most needs to see.
        unmatched.push({ key: doc.key, version: doc.version, name: doc.name, rule: doc.rule.text, selected: selected.length, best: best === null ? null : { segment: best.segment, jaccard: best.jaccard } });
        continue;
      }
      const rule = suggested.get(best.segment);
      matches.push({ segment: best.segment, key: doc.key, version: doc.version, name: doc.name, jaccard: best.jaccard, rule: doc.rule.text, ruleDiffers: rule !== doc.rule.text });
    }
  });
  matches.sort((a, b) => a.segment - b.segment || (a.key < b.key ? -1 : 1));
  unmatched.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { ruleset: shownPath(ruleset), compared: entries.length - skipped.length, matches, unmatched, skipped };
}

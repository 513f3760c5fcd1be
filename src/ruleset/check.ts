/**
 * `rules check`: does each promoted rule still describe what it did? Against a newer run of the
 * same job:
 *
 *   1. Recompute each rule on the run's own inputs, as of the run's window end.
 *   2. Match it to the run's segment its selection overlaps best (match.ts), and measure
 *      precision and recall against that segment.
 *   3. Size change of the selection, and the drift (PSI) of every feature the rule uses against
 *      the distribution kept at promotion.
 *   4. A rule has decayed when precision or recall fell by more than the allowed drop, when its
 *      selection grew or shrank by more than the allowed share, a feature drifted past the PSI
 *      limit, or an event it counts no longer occurs in the window. A rule reading a users or
 *      accounts column the run's inputs lack cannot be evaluated: it is listed as decayed, with
 *      why, beside the others (one rule's gap never stops the check of the rest).
 *   5. The run may cut users differently from the run the rule came from (another k): its best-
 *      matching segment is then much larger or smaller than the promoted one, and recall or
 *      precision against it moves although the rule selects the same users. A note says so.
 *      When the segment only widened (precision held, the selection barely moved, no feature
 *      drifted) the recall fall is that, not decay (QA: a weekly job whose k went 6 → 3 had
 *      every rule DECAYED on recall, each still selecting the same users). The mirror: when the
 *      run cut the promoted segment into pieces (finer-cut.ts), precision against one piece
 *      falls; precision is then judged against the pieces together, under the same conditions
 *      (QA: k went 6 → 8 and a rule selecting the same trialists was DECAYED on precision).
 */
import type { RunContext } from '../core/context.js';
import { assertUnreachable } from '../core/errors.js';
import { loadAssignments } from '../run/load.js';
import { jobOfManifest } from '../run/jobs.js';
import type { Manifest, RunDocuments } from '../run/types.js';
import { asOfOf, dataGaps, featureColumns, selectUsers, withIngested, type DataGap } from './compute.js';
import { psi } from './drift.js';
import { rulesetErrors } from '../core/messages.js';
import { finerCut, type FinerCut } from './finer-cut.js';
import { bestOverlap, segmentSizes } from './match.js';
import { inputsChanged } from './promote.js';
import { ruleFeatures } from './query.js';
import type { PromotedVersion } from './schema.js';
import { readRuleset } from './store.js';
import { listWords } from '../core/listWords.js';

export interface CheckThresholds {
  /** Largest allowed fall of precision (absolute, 0–1). */
  readonly maxPrecisionDrop: number;
  readonly maxRecallDrop: number;
  /** Largest allowed PSI of any feature the rule uses. */
  readonly maxPsi: number;
  /** Largest allowed relative change of the number of users selected (0.5 = ±50%). */
  readonly maxSizeChange: number;
}

export const DEFAULT_THRESHOLDS: CheckThresholds = { maxPrecisionDrop: 0.2, maxRecallDrop: 0.2, maxPsi: 0.25, maxSizeChange: 0.5 };

export interface CheckRow {
  readonly key: string;
  readonly version: number;
  /**
   * False when the run's inputs lack a table or column the rule reads: nothing was computed
   * (precision, recall and selected are 0, every PSI null) and `reasons` says what is missing.
   */
  readonly evaluated: boolean;
  /** The run's best-matching segment, or null when the rule selects nobody in it. */
  readonly segment: { readonly id: number; readonly name: string } | null;
  readonly precision: number;
  readonly recall: number;
  readonly promoted: { readonly precision: number; readonly recall: number; readonly selected: number };
  readonly selected: number;
  readonly sizeChange: number;
  /** PSI per feature (null when no distribution was kept at promotion). */
  readonly drift: readonly { readonly feature: string; readonly psi: number | null }[];
  readonly reasons: readonly string[];
  /** What the reader should know that is not decay (the run cut users differently). */
  readonly notes: readonly string[];
}

/**
 * @example
 * const rows = await checkRuleset('rulesets/prod', runDir, loadRunDocuments(runDir), DEFAULT_THRESHOLDS, ctx);
 * rows.filter((r) => r.reasons.length > 0); // the decayed ones
 */
export async function checkRuleset(ruleset: string, runDir: string, docs: RunDocuments, limits: CheckThresholds, ctx: RunContext): Promise<CheckRow[]> {
  const entries = readRuleset(ruleset).filter((e) => e.doc.status === 'active');
  const { manifest } = docs;
  const jobNotes = new Map<string, string>();
  for (const { doc } of entries) {
    const verdict = jobVerdict(doc.created_from, manifest);
    switch (verdict.kind) {
      case 'same':
        break;
      case 'legacy':
        jobNotes.set(doc.key, verdict.note);
        break;
      case 'other':
        throw rulesetErrors.otherJob(manifest.runId, jobOfManifest(manifest), doc.key, doc.created_from.job);
      case 'other-legacy':
        throw rulesetErrors.otherLegacyAdhocJob(manifest.runId, jobOfManifest(manifest), doc.key);
      default:
        assertUnreachable(verdict);
    }
  }
  const assignments = loadAssignments(runDir, docs.segments);
  if (assignments.size === 0) throw rulesetErrors.noRunUsers(manifest.runId);
  const gone = inputsChanged(manifest.inputs);
  if (gone) throw rulesetErrors.runInputsGone(manifest.runId, gone);

  const sizes = segmentSizes(assignments);

  return withIngested(manifest.config, ctx, async (db, ingested) => {
    const e = asOfOf(ingested);
    const rows: CheckRow[] = [];
    for (const { doc } of entries) {
      // 0. What the run's data lacks: without an event the rule still computes (it is reported
      // below), without a table or column it cannot.
      const gaps = await dataGaps(db, ingested, doc);
      const promoted = { precision: doc.metrics.precision, recall: doc.metrics.recall, selected: doc.metrics.selected };
      if (gaps.some((g) => g.kind !== 'event')) {
        const drift = ruleFeatures(doc).map(({ name }) => ({ feature: name, psi: null }));
        rows.push({ key: doc.key, version: doc.version, evaluated: false, segment: null, precision: 0, recall: 0, promoted, selected: 0, sizeChange: -1, drift, reasons: gaps.map(gapReason), notes: [] });
        continue;
      }
      // 1–2. Selection and best-matching segment.
      const selected = await selectUsers(db, doc, e);
      const best = bestOverlap(selected, assignments, sizes);
      const precision = best === null || selected.length === 0 ? 0 : best.shared / selected.length;
      const recall = best === null ? 0 : best.shared / best.segmentSize;
      // 3. Size and drift.
      const promotedSel = doc.metrics.selected;
      const sizeChange = promotedSel === 0 ? (selected.length === 0 ? 0 : Infinity) : selected.length / promotedSel - 1;
      const columns = await featureColumns(db, ruleFeatures(doc), doc.window.days, e);
      const drift = ruleFeatures(doc).map(({ name }) => {
        const kept = doc.features[name].distribution;
        return { feature: name, psi: kept === null ? null : psi(kept, columns.get(name) ?? []) };
      });
      // 4. Verdict, and 5. a segment cut differently.
      const reasons: string[] = gaps.map(gapReason);
      const notes: string[] = jobNotes.has(doc.key) ? [jobNotes.get(doc.key)!] : [];
      const precisionHeld = precision >= doc.metrics.precision - limits.maxPrecisionDrop;
      const selectionHeld = Math.abs(sizeChange) <= limits.maxSizeChange;
      const drifted = drift.filter((d) => d.psi !== null && d.psi > limits.maxPsi);
      const segmentChange = best === null || doc.metrics.size === 0 ? 0 : best.segmentSize / doc.metrics.size - 1;
      const widened = segmentChange > limits.maxSizeChange && precisionHeld && selectionHeld && drifted.length === 0;
      // A precision fall against one piece of a segment the run cut finer: judged against the pieces together.
      const split = best === null || precisionHeld ? null : finerCut(selected, assignments, sizes);
      const cutFiner = split !== null && split.precision >= doc.metrics.precision - limits.maxPrecisionDrop && selectionHeld && drifted.length === 0;
      if (split !== null) {
        notes.push(
          `${split.shared} of the rule's ${selected.length} users are in the run's segments ${piecesText(split, docs)}, the promoted one held ${doc.metrics.size}: this run (k = ${docs.segments.k}) cuts the promoted segment more finely` +
            (cutFiner
              ? `, so precision against the best-matching one fell (${doc.metrics.precision.toFixed(2)} → ${precision.toFixed(2)}) while against them together it is ${split.precision.toFixed(2)} and ${selectionWords(selected.length, promotedSel)}`
              : `; against them together precision is ${split.precision.toFixed(2)}`),
        );
      } else if (best !== null && Math.abs(segmentChange) > limits.maxSizeChange) {
        notes.push(
          `the run's best-matching segment holds ${best.segmentSize} users, the promoted one ${doc.metrics.size}: this run (k = ${docs.segments.k}) cuts users ${segmentChange > 0 ? 'more coarsely' : 'more finely'}` +
            (widened && recall < doc.metrics.recall - limits.maxRecallDrop ? `, so recall against it fell (${doc.metrics.recall.toFixed(2)} → ${recall.toFixed(2)}) while ${selectionWords(selected.length, promotedSel)}` : ''),
        );
      }
      if (!precisionHeld && !cutFiner) reasons.push(`precision ${doc.metrics.precision.toFixed(2)} → ${precision.toFixed(2)}`);
      if (recall < doc.metrics.recall - limits.maxRecallDrop && !widened) reasons.push(`recall ${doc.metrics.recall.toFixed(2)} → ${recall.toFixed(2)}`);
      if (!selectionHeld) reasons.push(`selects ${selected.length} users, was ${promotedSel}`);
      for (const d of drifted) reasons.push(`${d.feature} drifted (PSI ${d.psi!.toFixed(2)})`);
      rows.push({
        key: doc.key,
        version: doc.version,
        evaluated: true,
        segment: best === null ? null : { id: best.segment, name: docs.segments.segments.find((s) => s.id === best.segment)?.name ?? '' },
        precision,
        recall,
        promoted,
        selected: selected.length,
        sizeChange,
        drift,
        reasons,
        notes,
      });
    }
    return rows;
  });
}

/** What segmint before job ids recorded as the job of every ad-hoc run (runs without a config name). */
export const LEGACY_ADHOC_JOB = 'adhoc';

export type JobVerdict =
  | { readonly kind: 'same' }
  /** An old ad-hoc rule taken as the run's job, with the note the check shows under its table. */
  | { readonly kind: 'legacy'; readonly note: string }
  | { readonly kind: 'other' }
  /** An old ad-hoc rule, and an ad-hoc run over other input files. */
  | { readonly kind: 'other-legacy' };

/**
 * Whether a rule promoted from `from` may be checked against a run: it may when the run is of
 * the job the rule recorded (`jobOfManifest`: the config's name, or `adhoc-<hash of the inputs>`
 * for an ad-hoc run), so two ad-hoc runs over other inputs are other jobs.
 *
 * Rulesets promoted before job ids recorded `adhoc` for every ad-hoc run, which let any ad-hoc
 * run through (QA: a check against unrelated data came out all DECAYED instead of refused). Such
 * a rule is taken as of an ad-hoc run's job only when the run read the same input files as the
 * promotion run (`created_from.inputs`, by path: what an ad-hoc job is made of), with a note;
 * otherwise it is refused, with a hint. Refusing every old ad-hoc rule would stop checks that
 * passed before on the same files; accepting every one would keep the defect.
 *
 * @example
 * jobVerdict(doc.created_from, docs.manifest); // { kind: 'same' } for a rule promoted from a run of the same job
 */
export function jobVerdict(from: PromotedVersion['created_from'], manifest: Manifest): JobVerdict {
  const job = jobOfManifest(manifest);
  if (from.job === job) return { kind: 'same' };
  if (from.job !== LEGACY_ADHOC_JOB || manifest.config.source !== null) return { kind: 'other' };
  const paths = (inputs: readonly { readonly path: string }[]) => JSON.stringify([...new Set(inputs.map((i) => i.path))].sort());
  if (from.inputs.length === 0 || paths(from.inputs) !== paths(manifest.inputs)) return { kind: 'other-legacy' };
  return {
    kind: 'legacy',
    note: `promoted by an older segmint, which recorded the job of every ad-hoc run as ${JSON.stringify(LEGACY_ADHOC_JOB)}; taken as this run's job ${JSON.stringify(job)} because both runs read the same input files; write created_from.job: ${job} in its file to record the job`,
  };
}

/**
 * The rule's selection beside the one at promotion, within --max-size-change: said as counts, not
 * "much the same users" (outside check: that beside a selection 46% smaller).
 */
function selectionWords(selected: number, promoted: number): string {
  return selected === promoted ? `the rule selects the same number of users (${selected})` : `the rule selects ${selected} users against ${promoted} at promotion (within --max-size-change)`;
}

/** `4 "New signup step users" (244 users) and 6 "New query runners" (128 users)`. */
function piecesText(cut: FinerCut, docs: RunDocuments): string {
  const named = cut.pieces.map((p) => `${p.segment} ${JSON.stringify(docs.segments.segments.find((s) => s.id === p.segment)?.name ?? '')} (${p.segmentSize} users)`);
  return listWords(named);
}

/** A data gap as a reason in the check's verdict. */
function gapReason(gap: DataGap): string {
  switch (gap.kind) {
    case 'event':
      return `event ${JSON.stringify(gap.event)} no longer occurs in the run's window`;
    case 'table':
      return `cannot be evaluated: the run has no ${gap.table} table (the rule reads its column ${JSON.stringify(gap.column)})`;
    case 'column':
      return `cannot be evaluated: the run's ${gap.table} table has no column ${JSON.stringify(gap.column)}`;
    default:
      return assertUnreachable(gap);
  }
}

/**
 * Candidate traits of a segment (one per numeric/boolean feature, one per category), and the
 * choice of the few worth listing.
 */
import type { Feature } from '../features/types.js';
import { classify, phrase, type Role } from './roles.js';
import {
  categoryDifference,
  standardisedDifference,
  summariseCategories,
  summariseNumeric,
  type CategorySummary,
  type NumericSummary,
} from './stats.js';
import type { Trait } from './types.js';
import { oneLine } from './words.js';

/** A feature with its role and per-segment summary, computed once for all segments. */
export type Prepared =
  | { readonly feature: Feature; readonly role: Role; readonly numeric: NumericSummary; readonly categories?: undefined }
  | { readonly feature: Feature; readonly role: Role; readonly categories: CategorySummary; readonly numeric?: undefined };

export function prepare(feature: Feature, labels: Int32Array, k: number): Prepared {
  const role = classify(feature);
  return feature.kind === 'categorical'
    ? { feature, role, categories: summariseCategories(feature.values, labels, k) }
    : { feature, role, numeric: summariseNumeric(feature.values, labels, k) };
}

export interface Candidate {
  readonly trait: Trait;
  readonly prepared: Prepared;
  /** Traits with the same key say the same thing (the count and the share of one event). */
  readonly key: string;
  /** Listed only to reach the minimum: the "other" event bucket, categories with little support. */
  readonly filler: boolean;
}

/** Categories held by fewer than this share of both the segment and everyone are noise. */
export const CATEGORY_SUPPORT = 0.05;
/** Pseudo-count for the smoothed log2 lift of categories, so 0-of-3 is not -infinity. */
const SMOOTHING = 0.5;

/** Every trait segment `s` (of `size` users, out of `n`) could list, strongest first. */
export function candidates(prepared: readonly Prepared[], s: number, size: number, n: number): Candidate[] {
  const out: Candidate[] = [];
  for (const p of prepared) {
    // A feature every user shares (one value, or one category) says nothing about any segment.
    if (constant(p)) continue;
    const { feature, role } = p;
    const base = { feature: feature.name, label: oneLine(feature.label), family: feature.family };
    if (p.numeric !== undefined) {
      const seg = p.numeric.segments[s];
      if (seg.count === 0) continue;
      // Values and lift are against everyone, the segment included (the report's "Population");
      // the effect is against the other users.
      const pop = p.numeric.population.mean;
      const effect = standardisedDifference(p.numeric, s);
      const event = role.kind === 'event' ? role.event : null;
      out.push({
        trait: {
          ...base,
          kind: 'numeric',
          segmentValue: seg.mean,
          populationValue: pop,
          segmentMedian: p.numeric.medians[s],
          populationMedian: p.numeric.populationMedian,
          effect,
          lift: pop > 0 ? seg.mean / pop : null,
          strength: Math.abs(effect),
          direction: effect > 0 || (effect === 0 && seg.mean >= pop) ? 'over' : 'under',
          phrase: phrase(role, feature, seg.mean, pop),
        },
        prepared: p,
        key: event !== null ? `event:${event.event}` : `feature:${feature.name}`,
        filler: event !== null && event.bucket,
      });
    } else if (size > 0) {
      const { categories, counts, totals } = p.categories;
      categories.forEach((category, c) => {
        const inSeg = counts[c][s];
        const segShare = inSeg / size;
        const popShare = totals[c] / n;
        const effect = Math.log2((inSeg + SMOOTHING) / (size + 2 * SMOOTHING) / ((totals[c] + SMOOTHING) / (n + 2 * SMOOTHING)));
        out.push({
          trait: {
            ...base,
            kind: 'category',
            category,
            segmentValue: segShare,
            populationValue: popShare,
            effect,
            lift: popShare > 0 ? segShare / popShare : null,
            strength: Math.abs(categoryDifference(inSeg, size, totals[c], n)),
            direction: effect >= 0 ? 'over' : 'under',
            phrase: phrase(role, feature, segShare, popShare, category),
          },
          prepared: p,
          key: `feature:${feature.name}`,
          filler: !(segShare >= CATEGORY_SUPPORT || popShare >= CATEGORY_SUPPORT),
        });
      });
    }
  }
  return out.sort(byStrength);
}

/** Fewer than two different values among the users who have one. */
function constant(p: Prepared): boolean {
  if (p.categories !== undefined) return p.categories.categories.length <= 1;
  const values = p.feature.values as Float64Array;
  let first = NaN;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    if (Number.isNaN(first)) first = v;
    else if (v !== first) return false;
  }
  return true;
}

/** Strength of a candidate's trait (see Trait.strength). */
export function strength(c: Candidate): number {
  return c.trait.strength ?? Math.abs(c.trait.effect);
}

/**
 * Strength descending (compared at 12 significant digits, so round-off cannot break a tie);
 * ties by feature name, then over before under, then category.
 */
export function byStrength(a: Candidate, b: Candidate): number {
  const d = round12(strength(b)) - round12(strength(a));
  if (d !== 0) return d;
  return (
    cmp(a.trait.feature, b.trait.feature) ||
    (a.trait.direction === b.trait.direction ? 0 : a.trait.direction === 'over' ? -1 : 1) ||
    cmp(a.trait.category ?? '', b.trait.category ?? '')
  );
}

function round12(x: number): number {
  return Number(x.toPrecision(12));
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Traits are listed when there are this many candidates, whatever the config says. */
export const MIN_TRAITS = 3;

/**
 * The top `wanted` candidates (at least MIN_TRAITS), one per key and no fillers; when that
 * leaves fewer than MIN_TRAITS, the strongest skipped ones fill up to it. `required` ones (the
 * traits a segment's name says in words) are listed whatever their rank, in place of the weakest
 * others: a name the listed traits do not show cannot be checked by its reader.
 */
export function selectTraits(sorted: readonly Candidate[], wanted: number, required: readonly Candidate[] = []): Candidate[] {
  const target = Math.max(wanted, MIN_TRAITS);
  const chosen = new Set<Candidate>(required);
  const keys = new Set<string>(required.map((c) => c.key));
  for (const c of sorted) {
    if (chosen.size >= target) break;
    if (c.filler || keys.has(c.key)) continue;
    chosen.add(c);
    keys.add(c.key);
  }
  for (const c of sorted) {
    if (chosen.size >= MIN_TRAITS) break;
    chosen.add(c);
  }
  return sorted.filter((c) => chosen.has(c));
}

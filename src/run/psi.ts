/**
 * Feature drift between two runs of a job: each run keeps every feature's distribution (deciles
 * or category shares) in segments.json, and the next run measures its own values against them
 * with the population stability index. The binning and the index are the ones `rules check`
 * uses (ruleset/drift.ts), so a feature drifts by the same measure in both places.
 */
import { distributionOf, psi } from '../ruleset/drift.js';
import type { Distribution } from '../ruleset/schema.js';
import type { Feature, FeatureTable } from '../stages/features/types.js';

export type { Distribution };

/** Common reading of the index: below this the feature is stable. */
export const PSI_SHIFTED = 0.1;
/** Above this, a different population. */
export const PSI_MAJOR = 0.25;

const valuesOf = (f: Feature): readonly unknown[] | Float64Array => f.values;

/**
 * Every feature's distribution, by name.
 *
 * @example
 * featureDistributions(features)['events']; // { type: 'numeric', edges: [...], shares: [...], missing: 0 }
 */
export function featureDistributions(features: FeatureTable): Record<string, Distribution> {
  return Object.fromEntries(features.columns.map((f) => [f.name, distributionOf(valuesOf(f))]));
}

/**
 * PSI of each feature present in both runs, largest first (ties by name), to 4 decimals.
 *
 * @example
 * featureDrift(previous.segments.distributions, features)[0]; // { feature: 'share_export', label: '…', psi: 0.31 }
 */
export function featureDrift(before: Readonly<Record<string, Distribution>>, features: FeatureTable): { feature: string; label: string; psi: number }[] {
  return features.columns
    .filter((f) => Object.hasOwn(before, f.name))
    .map((f) => ({ feature: f.name, label: f.label, psi: Math.round(psi(before[f.name], valuesOf(f)) * 1e4) / 1e4 }))
    .sort((a, b) => b.psi - a.psi || (a.feature < b.feature ? -1 : a.feature > b.feature ? 1 : 0));
}

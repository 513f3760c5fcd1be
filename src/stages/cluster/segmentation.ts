/**
 * One value for "which user is in which segment", checked once where it is made (after the
 * cluster stage) and passed as it is to profile and rules, so neither repeats the alignment
 * checks. Profile adds the names; rules take the named form.
 */
import type { FeatureTable } from '../features/types.js';

declare const checked: unique symbol;

export interface Segmentation {
  readonly k: number;
  /** Segment id per user (0..k-1), aligned with the feature table's userIds. */
  readonly labels: Int32Array;
  /** Users per segment. */
  readonly sizes: Int32Array;
  /** Only `segmentationOf` makes one, so a Segmentation is always consistent with its table. */
  readonly [checked]: true;
}

export interface NamedSegmentation extends Segmentation {
  /** One name per segment, by id. */
  readonly names: readonly string[];
}

/**
 * Checks that `labels` fit `features` (one per user, each in 0..k-1; every column one value per
 * user) and returns them as a Segmentation. A mismatch is a bug in the caller: a RangeError.
 *
 * @example
 * const segmentation = segmentationOf(features, cluster.labels, cluster.k);
 */
export function segmentationOf(features: Pick<FeatureTable, 'userIds' | 'columns'>, labels: Int32Array, k: number): Segmentation {
  const n = features.userIds.length;
  if (labels.length !== n) throw new RangeError(`${labels.length} labels for ${n} users`);
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`k must be a positive integer, got ${k}`);
  for (const f of features.columns) {
    if (f.values.length !== n) throw new RangeError(`feature ${JSON.stringify(f.name)} has ${f.values.length} values for ${n} users`);
  }
  const sizes = new Int32Array(k);
  for (let i = 0; i < n; i++) {
    const l = labels[i];
    if (!(l >= 0 && l < k)) throw new RangeError(`label ${l} of user ${i} is outside 0..${k - 1}`);
    sizes[l]++;
  }
  return { k, labels, sizes } as Segmentation;
}

/** The segmentation with one name per segment. */
export function withNames(segmentation: Segmentation, names: readonly string[]): NamedSegmentation {
  if (names.length !== segmentation.k) throw new RangeError(`${names.length} names for k = ${segmentation.k}`);
  return { ...segmentation, names };
}

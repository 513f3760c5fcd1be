import type { Matrix } from '../../core/matrix.js';
import type { FeatureFamily } from '../features/types.js';

/** How one raw feature becomes one or more model columns; replayable on new users. */
export type TransformStep =
  | {
      readonly kind: 'numeric';
      readonly feature: string;
      readonly family: FeatureFamily;
      /** Shrinkage toward the population for shares and means (applied first; see steps.ts). */
      readonly shrink?: Shrinkage;
      readonly log1p: boolean;
      /** Winsorising bounds applied after log1p. */
      readonly lower: number;
      readonly upper: number;
      /** Value used for missing entries (median, after log1p). */
      readonly fill: number;
      readonly center: number;
      readonly scale: number;
      readonly weight: number;
    }
  | {
      readonly kind: 'onehot';
      readonly feature: string;
      readonly family: FeatureFamily;
      /** null = the "other" bucket (everything not in the top categories, and missing). */
      readonly category: string | null;
      /**
       * For the "other" bucket: the top categories it excludes (any other value, seen or not, and
       * missing count as other), so the column replays on its own even if its siblings were
       * dropped. null on a single-category column.
       */
      readonly others: readonly string[] | null;
      readonly center: number;
      readonly scale: number;
      readonly weight: number;
    };

/**
 * x ← (m·x + strength·prior) / (m + strength), where m = max(0, value of feature `observations`
 * + offset) is the evidence behind the user's value; a missing x counts as no evidence (prior).
 */
export interface Shrinkage {
  readonly observations: string;
  readonly offset: number;
  readonly prior: number;
  readonly strength: number;
}

export interface TransformModel {
  readonly kind: 'segmint.transform';
  readonly version: 1;
  readonly steps: readonly TransformStep[];
  readonly dropped: readonly { readonly feature: string; readonly reason: string }[];
}

export interface TransformResult {
  readonly matrix: Matrix;
  /** One name per matrix column ("feature" or "feature=category"). */
  readonly columnNames: readonly string[];
  readonly model: TransformModel;
}

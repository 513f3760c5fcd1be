import type { FeatureFamily } from '../features/types.js';

export interface Trait {
  readonly feature: string;
  readonly label: string;
  readonly family: FeatureFamily;
  /** numeric: compares means; category: compares the share holding `category`. */
  readonly kind: 'numeric' | 'category';
  readonly category?: string;
  /** Segment mean (numeric) or share with the category (category). */
  readonly segmentValue: number;
  /**
   * The same over every user, the segment included (the report's "Population"). For a share of
   * events it is the average user's share, not the share of all events.
   */
  readonly populationValue: number;
  readonly segmentMedian?: number;
  readonly populationMedian?: number;
  /** Standardised mean difference (numeric; vs the rest of the users) or log2 lift (category). */
  readonly effect: number;
  /** segment share / population share (category), or segment mean / population mean (numeric, when defined). */
  readonly lift: number | null;
  /**
   * How strongly the trait sets the segment apart, on one scale for every kind: |standardised
   * mean difference| vs the rest of the users (for a category, of holding it, as for a boolean).
   * `effect` alone cannot rank categories against numbers: a log2 lift overrates rare categories
   * (5% → 10% is 1.0) and caps common ones (50% → 100% is also 1.0). Traits are ordered by it.
   */
  readonly strength?: number;
  readonly direction: 'over' | 'under';
  /** Plain words, e.g. "3.1x more report_viewed events", "last seen 41 days ago (vs 6)". */
  readonly phrase: string;
}

export interface SegmentProfile {
  readonly id: number;
  readonly size: number;
  readonly share: number;
  /** Short, unique across segments. */
  readonly name: string;
  /** One sentence. */
  readonly description: string;
  /** Strongest first (by `strength`; for numeric traits that is |effect|). */
  readonly traits: readonly Trait[];
  /** Events this segment does much more / less of than everyone else. */
  readonly overIndexedEvents: readonly string[];
  readonly underIndexedEvents: readonly string[];
}

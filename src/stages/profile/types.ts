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
  readonly populationValue: number;
  readonly segmentMedian?: number;
  readonly populationMedian?: number;
  /** Standardised mean difference (numeric; vs the rest of the users) or log2 lift (category). */
  readonly effect: number;
  /** segment share / population share (category), or segment mean / population mean (numeric, when defined). */
  readonly lift: number | null;
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
  /** Strongest first (by |effect|). */
  readonly traits: readonly Trait[];
  /** Events this segment does much more / less of than everyone else. */
  readonly overIndexedEvents: readonly string[];
  readonly underIndexedEvents: readonly string[];
}

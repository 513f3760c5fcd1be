/**
 * The generalisation benchmark's vocabulary. A *world* is one generated (or real) data set with
 * known segments: events and/or a users table, and the truth per user. Worlds are written from
 * scratch for the benchmark and share nothing with `data/sample/` (its generator, event names,
 * personas or shapes), so passing here says something the bundled sample cannot.
 */

/** One usage event. `timestamp` is ISO 8601 UTC (`2026-03-04T17:21:09Z`). */
export interface EventRow {
  readonly user_id: string;
  readonly event: string;
  readonly timestamp: string;
}

/** One row of a users (or customers) table; the key column is `user_id`. */
export type AttributeRow = Readonly<Record<string, string | number | boolean | null>>;

export interface World {
  /** Family name, e.g. `sparse-lapsed`. */
  readonly family: string;
  readonly seed: number;
  /** Events; null for an attribute-only world (a CRM export). */
  readonly events: readonly EventRow[] | null;
  /** Users table (key `user_id`), or null. Never holds the truth or an outcome column. */
  readonly users: readonly AttributeRow[] | null;
  /** The planted segment (or withheld outcome) of every user that should be segmented. */
  readonly truth: ReadonlyMap<string, string>;
  /**
   * Planted number of segments; null for a world with no segments (one population) and for
   * real data sets scored by an outcome (NMI) rather than by planted segments (ARI).
   */
  readonly trueK: number | null;
  /** How agreement is scored: ARI against planted segments, NMI against a withheld outcome. */
  readonly score: 'ari' | 'nmi';
}

/** A family of worlds: one generator, any seed. */
export interface WorldFamily {
  readonly name: string;
  /** One line for the benchmark table: what is planted and why it is hard. */
  readonly description: string;
  generate(seed: number): World;
}

/**
 * Where users sit: country, the UTC offsets people there keep, and the UI languages they pick.
 * Offsets are the summer-time ones in force for most of an August–October window; the late-
 * October clock change is ignored (a simplification nobody can see in hour-of-day shares).
 *
 * The customer base is mostly the Americas and Europe, with a small Asia-Pacific tail. Hour-of-day
 * features are computed in UTC, so each region's office hours land in different UTC bands; a
 * large, far-off region would form a time-of-day cluster of its own inside every persona.
 */
export interface Country {
  readonly code: string;
  /** Relative share of accounts headquartered there. */
  readonly accountWeight: number;
  /** UTC offsets in hours, one drawn per user (repeat an offset to weight it). */
  readonly offsets: readonly number[];
  readonly languages: Readonly<Record<string, number>>;
}

export const COUNTRIES: readonly Country[] = [
  { code: 'US', accountWeight: 46, offsets: [-4, -4, -4, -5, -5, -6, -7, -7], languages: { en: 96, es: 4 } },
  { code: 'CA', accountWeight: 6, offsets: [-4, -4, -5, -7], languages: { en: 80, fr: 20 } },
  { code: 'GB', accountWeight: 9, offsets: [1], languages: { en: 100 } },
  { code: 'DE', accountWeight: 7, offsets: [2], languages: { de: 80, en: 20 } },
  { code: 'FR', accountWeight: 4, offsets: [2], languages: { fr: 88, en: 12 } },
  { code: 'NL', accountWeight: 3, offsets: [2], languages: { nl: 55, en: 45 } },
  { code: 'ES', accountWeight: 2, offsets: [2], languages: { es: 90, en: 10 } },
  { code: 'SE', accountWeight: 2, offsets: [2], languages: { sv: 50, en: 50 } },
  { code: 'IE', accountWeight: 2, offsets: [1], languages: { en: 100 } },
  { code: 'PL', accountWeight: 1, offsets: [2], languages: { pl: 70, en: 30 } },
  { code: 'BR', accountWeight: 4, offsets: [-3], languages: { pt: 92, en: 8 } },
  { code: 'MX', accountWeight: 2, offsets: [-6], languages: { es: 90, en: 10 } },
  { code: 'AU', accountWeight: 2, offsets: [10, 10, 8], languages: { en: 100 } },
  { code: 'IN', accountWeight: 1.5, offsets: [5.5], languages: { en: 90, hi: 10 } },
  { code: 'JP', accountWeight: 0.75, offsets: [9], languages: { ja: 85, en: 15 } },
  { code: 'SG', accountWeight: 0.75, offsets: [8], languages: { en: 100 } },
  { code: 'ZA', accountWeight: 1, offsets: [2], languages: { en: 100 } },
];

/**
 * Users who are known (a row in the users table) but have no events in the analysis window are
 * not clustered — there is no behaviour to cluster — and are never dropped either: they form a
 * group of their own, marked with this id and name in assignments.csv, the report and the rules.
 */
export const NO_EVENTS_GROUP = {
  /** Segment ids of clusters are 0..k-1; this one can never clash with them. */
  segment: -1,
  name: 'No events in window',
} as const;

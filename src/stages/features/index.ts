/** The features stage: the `events` / `users` / `accounts` tables → one row of features per user. */
export { buildFeatures, usersToSegment, type BuildFeaturesOptions } from './build.js';
export { runEventColumns, type EventColumns } from './eventMix.js';
export type * from './types.js';

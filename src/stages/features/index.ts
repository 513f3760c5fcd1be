/** The features stage: the `events` / `users` / `accounts` tables → one row of features per user. */
export { buildFeatures } from './build.js';
export type * from './types.js';

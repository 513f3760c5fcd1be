/** profile: per-segment traits, over-/under-indexed events, names and descriptions. */
export { profileSegments } from './profile.js';
export type { SegmentProfile, Trait } from './types.js';

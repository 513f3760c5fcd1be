export { outcomesBySegment, MAX_LEVELS } from './compute.js';
export { meanInterval, t975, wilson, type Interval } from './stats.js';
export type { OutcomeMeasure, OutcomeStat, SegmentOutcome } from './types.js';

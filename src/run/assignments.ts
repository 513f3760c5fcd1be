/**
 * The per-user output: which segment each user is in, how far from its centre, and how clearly
 * (margin between the nearest and second-nearest centre).
 */
import Papa from 'papaparse';
import type { Placement } from '../stages/cluster/types.js';

export interface Assignment {
  readonly userId: string;
  readonly segment: number;
  readonly segmentName: string;
  readonly distance: number;
  /** (d2 - d1) / (d2 + d1): 0 = on the border with another segment, 1 = at its own centre. */
  readonly confidence: number;
}

/**
 * One row per user from the cluster stage's placement (or `assign`'s replay of it): nothing is
 * recomputed here.
 */
export function toAssignments(userIds: readonly string[], placement: Placement, names: readonly string[]): Assignment[] {
  const { labels, distances, margins } = placement;
  if (labels.length !== userIds.length) throw new RangeError(`${labels.length} labels for ${userIds.length} users`);
  return userIds.map((userId, i) => ({ userId, segment: labels[i], segmentName: names[labels[i]], distance: distances[i], confidence: margins[i] }));
}

/** CSV with a header `user_id,segment,segment_name,distance,confidence`; numbers at fixed precision. */
export function assignmentsCsv(assignments: readonly Assignment[]): string {
  return (
    Papa.unparse({
      fields: ['user_id', 'segment', 'segment_name', 'distance', 'confidence'],
      data: assignments.map((a) => [a.userId, a.segment, a.segmentName, a.distance.toFixed(6), a.confidence.toFixed(4)]),
    // escapeFormulae: user ids and segment names come from data; a spreadsheet must never run
    // them ("=cmd|' /C calc'!A0" is written as "'=cmd|…").
    }, { newline: '\n', escapeFormulae: true }) + '\n'
  );
}

/**
 * The per-user output: which segment each user is in, how far from its centre, and how clearly
 * (margin between the nearest and second-nearest centre).
 */
import Papa from 'papaparse';
import { compareUtf8 } from '../core/bytes.js';
import { FORMULA_CELL } from '../core/csvCells.js';
import { NO_EVENTS_GROUP } from '../core/groups.js';
import type { Placement } from '../stages/cluster/types.js';

export interface Assignment {
  readonly userId: string;
  /** 0..k-1, or NO_EVENTS_GROUP.segment for a known user with no events in the window. */
  readonly segment: number;
  readonly segmentName: string;
  /** Distance to the segment's centre; null in the no-events group (it has no centre). */
  readonly distance: number | null;
  /** (d2 - d1) / (d2 + d1): 0 = on the border with another segment, 1 = at its own centre; null in the no-events group. */
  readonly confidence: number | null;
}

/**
 * One row per user from the cluster stage's placement (or `assign`'s replay of it): nothing is
 * recomputed here.
 */
export function toAssignments(
  userIds: readonly string[],
  placement: Placement,
  names: readonly string[],
  usersWithoutEvents: readonly string[] = [],
): Assignment[] {
  const { labels, distances, margins } = placement;
  if (labels.length !== userIds.length) throw new RangeError(`${labels.length} labels for ${userIds.length} users`);
  const clustered = userIds.map((userId, i) => ({ userId, segment: labels[i], segmentName: names[labels[i]], distance: distances[i], confidence: margins[i] }));
  const noEvents = usersWithoutEvents.map((userId) => ({ userId, segment: NO_EVENTS_GROUP.segment, segmentName: NO_EVENTS_GROUP.name, distance: null, confidence: null }));
  return mergeByUser(clustered, noEvents);
}

/** Two lists each in byte order of user id, merged into one in that order. */
function mergeByUser(a: readonly Assignment[], b: readonly Assignment[]): Assignment[] {
  if (b.length === 0) return [...a];
  const out: Assignment[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && compareUtf8(a[i].userId, b[j].userId) <= 0)) out.push(a[i++]);
    else out.push(b[j++]);
  }
  return out;
}

const FIELDS = ['user_id', 'segment', 'segment_name', 'distance', 'confidence'];

/** Rows per piece of `assignmentsCsvChunks`: a million users are written without one 60 MB string. */
export const ASSIGNMENT_CHUNK_ROWS = 50_000;

/**
 * CSV with a header `user_id,segment,segment_name,distance,confidence`; numbers at fixed precision,
 * empty for the no-events group (segment -1).
 */
export function assignmentsCsv(assignments: readonly Assignment[]): string {
  return [...assignmentsCsvChunks(assignments)].join('');
}

/**
 * `assignmentsCsv` in pieces of `rows` rows (the header with the first), for writing a large run
 * as a stream: the pieces joined are exactly `assignmentsCsv`.
 */
export function* assignmentsCsvChunks(assignments: readonly Assignment[], rows = ASSIGNMENT_CHUNK_ROWS): Generator<string> {
  if (!Number.isInteger(rows) || rows < 1) throw new RangeError(`rows per chunk must be a positive integer, got ${rows}`);
  for (let start = 0; start === 0 || start < assignments.length; start += rows) {
    const data = assignments.slice(start, start + rows).map((a) => [a.userId, a.segment, a.segmentName, a.distance?.toFixed(6) ?? '', a.confidence?.toFixed(4) ?? '']);
    if (start > 0 && data.length === 0) return;
    // User ids and segment names come from data; a spreadsheet must never run them
    // ("=cmd|' /C calc'!A0" is written as "'=cmd|…"), and loadAssignments reads them back exactly.
    const text = Papa.unparse({ fields: FIELDS, data }, { newline: '\n', escapeFormulae: FORMULA_CELL, header: start === 0 });
    yield text === '' ? '' : text + '\n';
  }
}

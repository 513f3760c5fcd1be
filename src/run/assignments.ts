/**
 * The per-user output: which segment each user is in, how far from its centre, and how clearly
 * (margin between the nearest and second-nearest centre).
 */
import Papa from 'papaparse';
import type { Matrix } from '../core/matrix.js';

export interface Assignment {
  readonly userId: string;
  readonly segment: number;
  readonly segmentName: string;
  readonly distance: number;
  /** (d2 - d1) / (d2 + d1): 0 = on the border with another segment, 1 = at its own centre. */
  readonly confidence: number;
}

export function computeAssignments(
  userIds: readonly string[],
  points: Matrix,
  centroids: Matrix,
  labels: Int32Array,
  names: readonly string[],
): Assignment[] {
  const { cols } = points;
  const out: Assignment[] = [];
  for (let i = 0; i < points.rows; i++) {
    let d1 = Infinity;
    let d2 = Infinity;
    for (let c = 0; c < centroids.rows; c++) {
      let s = 0;
      for (let j = 0; j < cols; j++) {
        const d = points.data[i * cols + j] - centroids.data[c * cols + j];
        s += d * d;
      }
      if (c === labels[i]) d1 = Math.sqrt(s);
      else if (Math.sqrt(s) < d2) d2 = Math.sqrt(s);
    }
    const confidence = Number.isFinite(d2) && d1 + d2 > 0 ? (d2 - d1) / (d2 + d1) : 1;
    out.push({ userId: userIds[i], segment: labels[i], segmentName: names[labels[i]], distance: d1, confidence });
  }
  return out;
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

/**
 * Rejected rows: merging the reader's malformed rows with the rows SQL judged bad, and the
 * reject-rate limit that stops a run fed the wrong file.
 */
import path from 'node:path';
import { errors } from '../../core/messages.js';
import type { MalformedRow } from './read.js';
import type { RejectedRow } from './types.js';

export interface JudgedReject {
  readonly fileIdx: number;
  readonly line: number;
  readonly value: string;
  readonly reason: string;
}

/**
 * All rejects of one role in file order, then line order.
 *
 * @example
 * mergeRejects([[]], [{ fileIdx: 0, line: 3, value: '', reason: 'missing user id' }], ['/d/a.csv']);
 * // [{ file: '/d/a.csv', line: 3, value: '', reason: 'missing user id' }]
 */
export function mergeRejects(
  malformed: readonly (readonly MalformedRow[])[],
  judged: readonly JudgedReject[],
  files: readonly string[],
): RejectedRow[] {
  const all = [
    ...malformed.flatMap((rows, fileIdx) => rows.map((r) => ({ fileIdx, ...r }))),
    ...judged,
  ];
  all.sort((a, b) => a.fileIdx - b.fileIdx || a.line - b.line);
  return all.map((r) => ({ file: files[r.fileIdx], line: r.line, value: r.value, reason: r.reason }));
}

/**
 * Throw `rejectRateExceeded` when more than `limit` (a share) of the `role`'s rows read were
 * rejected. `total` is the number rejected when `rejects` holds only the first few of them.
 */
export function checkRejectRate(role: string, rejects: readonly RejectedRow[], read: number, limit: number, total = rejects.length): void {
  if (read === 0 || total / read <= limit) return;
  const first = rejects
    .slice(0, 3)
    .map((r) => `${path.basename(r.file)}:${r.line} ${r.reason}`)
    .join('; ');
  throw errors.rejectRateExceeded(role, total, read, limit, first);
}

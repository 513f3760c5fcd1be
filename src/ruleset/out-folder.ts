/**
 * `--out` of `rules apply` and `rules export`: a folder, or a path where one can be made. Checked
 * before any work (apply reads and computes for minutes before it writes), so a file given as
 * --out is one line naming it instead of mkdir's EEXIST with a stack trace, and nothing is written.
 */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { errors } from '../core/messages.js';
import { writeFailure } from '../run/output.js';
import { shownPath } from '../run/paths.js';

/**
 * Throws errors.outputNotFolder naming the file when `out`, or the nearest part of it that exists,
 * is a file (as `run --out` does).
 *
 * @example
 * assertOutFolder('memberships'); // fine when missing or a folder; throws when a file is there
 */
export function assertOutFolder(out: string): void {
  let existing = out;
  while (!existsSync(existing) && dirname(existing) !== existing) existing = dirname(existing);
  if (!existsSync(existing) || statSync(existing).isDirectory()) return;
  throw errors.outputNotFolder(shownPath(existing), 'a file');
}

/** Makes the --out folder (and its parents); a file-system error a user can fix is one line. */
export function makeOutFolder(out: string): void {
  assertOutFolder(out);
  try {
    mkdirSync(out, { recursive: true });
  } catch (e) {
    throw writeFailure(out, e);
  }
}

/**
 * `memberships.csv` (`user_id,segment,version`) and `changes.csv` (`user_id,segment,change`):
 * what `rules apply` writes, formula-safe (core/csvCells.ts), so reading back is an exact inverse.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { shownPath } from '../run/paths.js';
import { FORMULA_CELL, unescapeCell } from '../core/csvCells.js';
import { rulesetErrors } from '../core/messages.js';

export interface Membership {
  readonly userId: string;
  /** The promoted segment's key. */
  readonly segment: string;
  readonly version: number;
}

export interface Change {
  readonly userId: string;
  readonly segment: string;
  readonly change: 'enter' | 'exit';
}

const csv = (fields: string[], data: (string | number)[][]) => Papa.unparse({ fields, data }, { newline: '\n', escapeFormulae: FORMULA_CELL }) + '\n';

export function membershipsCsv(rows: readonly Membership[]): string {
  return csv(['user_id', 'segment', 'version'], rows.map((r) => [r.userId, r.segment, r.version]));
}

export function changesCsv(rows: readonly Change[]): string {
  return csv(['user_id', 'segment', 'change'], rows.map((r) => [r.userId, r.segment, r.change]));
}

/**
 * A previous memberships.csv, or null when there is none. Anything else malformed stops here, with
 * the error `invalid` makes (apply's by default: its --out holds the file).
 */
export function readMemberships(file: string, invalid: (file: string, problem: string) => Error = rulesetErrors.membershipsInvalid): Membership[] | null {
  if (!existsSync(file)) return null;
  const shown = shownPath(file);
  // The apply's --out folder for the file in it is an easy slip (outside check: a stack trace).
  if (statSync(file).isDirectory()) throw invalid(shown, `it is a folder; give the memberships.csv in it (${shownPath(join(file, 'memberships.csv'))})`);
  const parsed = Papa.parse<Record<string, string>>(readFileSync(file, 'utf8'), { header: true, skipEmptyLines: true, delimiter: ',' });
  const fields = parsed.meta.fields ?? [];
  for (const column of ['user_id', 'segment', 'version']) {
    if (!fields.includes(column)) throw invalid(shown, `expected a ${column} column, found ${fields.join(', ') || 'no columns'}`);
  }
  if (parsed.errors[0]) throw invalid(shown, `line ${(parsed.errors[0].row ?? 0) + 2}: ${parsed.errors[0].message}`);
  return parsed.data.map((row, i) => {
    const version = Number(row.version);
    if (!Number.isInteger(version) || version < 1) throw invalid(shown, `line ${i + 2}: version must be a whole number >= 1, got ${JSON.stringify(row.version)}`);
    return { userId: unescapeCell(row.user_id), segment: unescapeCell(row.segment), version };
  });
}

/** Who entered and who left each segment, sorted by segment, then change, then user. */
export function diffMemberships(before: readonly Membership[], after: readonly Membership[]): Change[] {
  const key = (m: Membership) => `${m.segment}\u0000${m.userId}`;
  const was = new Set(before.map(key));
  const now = new Set(after.map(key));
  const out: Change[] = [
    ...after.filter((m) => !was.has(key(m))).map((m) => ({ userId: m.userId, segment: m.segment, change: 'enter' as const })),
    ...before.filter((m) => !now.has(key(m))).map((m) => ({ userId: m.userId, segment: m.segment, change: 'exit' as const })),
  ];
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return out.sort((a, b) => cmp(a.segment, b.segment) || cmp(a.change, b.change) || cmp(a.userId, b.userId));
}

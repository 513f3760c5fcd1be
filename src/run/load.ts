/**
 * Reading a finished run folder back (for `segmint report`, `assign`, `runs`, `rules`). Every
 * document goes through its schema (schema.ts), so an edited or truncated file stops here with
 * one line naming the file and the field, never deeper in a renderer or on a reader's screen.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Papa from 'papaparse';
import type { z } from 'zod';
import { unescapeCell } from '../core/csvCells.js';
import { NO_EVENTS_GROUP } from '../core/groups.js';
import { errors } from '../core/messages.js';
import { shownPath } from './paths.js';
import { assignmentRowSchema, manifestSchema, rulesSchema, SEGMENT_ID, segmentsSchema } from './schema.js';
import type { Manifest, RunDocuments, SegmentsDoc } from './types.js';

/** A run given as a folder path, or as an id (or `latest`) under `reportsDir`. */
export function resolveRunDir(run: string, reportsDir = 'reports'): string {
  for (const candidate of [resolve(run), resolve(reportsDir, run)]) {
    if (existsSync(join(candidate, 'manifest.json'))) return candidate;
  }
  // With runs of several jobs in one folder the global pointer is gone; say which exist.
  if (run === 'latest') {
    const pointers = existsSync(reportsDir) && statSync(reportsDir).isDirectory() ? readdirSync(reportsDir).filter((n) => n.startsWith('latest-')).sort() : [];
    if (pointers.length > 0) throw errors.latestOfWhichJob(reportsDir, pointers);
  }
  throw errors.runNotFound(run);
}

/**
 * manifest.json, segments.json and rules.json of a run, each checked against its schema.
 *
 * @example
 * const docs = loadRunDocuments(resolveRunDir('latest'));
 * docs.segments.segments[0].id; // 0 — an integer, whatever the file was edited to
 */
export function loadRunDocuments(dir: string): RunDocuments {
  const manifest = loadManifest(dir);
  const segments = check(dir, 'segments.json', segmentsSchema, readJson(dir, 'segments.json'));
  const rules = check(dir, 'rules.json', rulesSchema, readJson(dir, 'rules.json'));
  rules.rules.forEach((r, i) => {
    if (r.segment >= segments.k) {
      throw errors.runFileInvalid(shown(dir, 'rules.json'), `rules[${i}].segment`, `expected a segment id below k = ${segments.k} (segments.json), got ${r.segment}`);
    }
  });
  return { manifest, segments, rules };
}

/**
 * A run's manifest.json alone, checked against its schema: which job a run whose other documents
 * do not load belongs to, and when it finished.
 *
 * @example
 * loadManifest(resolveRunDir('latest')).finishedAt; // '2026-10-31T06:00:07.412Z'
 */
export function loadManifest(dir: string): Manifest {
  const raw = readJson(dir, 'manifest.json');
  // Not a manifest at all (some other JSON file): this folder is not a run.
  if ((raw as { kind?: unknown } | null)?.kind !== 'segmint.manifest') throw errors.runNotFound(dir);
  return check(dir, 'manifest.json', manifestSchema, raw);
}

/**
 * What segments.json says assignments.csv holds: `users` clustered users, `segments[i].size` of
 * them in segment i, and `usersWithoutEvents` more as segment -1 (absent in runs written before
 * the no-events group existed, which listed no such rows).
 */
export type ExpectedAssignments = Pick<SegmentsDoc, 'k' | 'users' | 'usersWithoutEvents'> & { readonly segments: readonly Pick<SegmentsDoc['segments'][number], 'size'>[] };

/**
 * Each row of assignments.csv, checked (columns, segment ids, below `k`), handed to `visit` with
 * its user id un-escaped (core/csvCells.ts) and its cells as written: the one reader of the file.
 * Given the run's segments.json (`expected`), the rows per segment must also be the sizes it
 * records, so a file cut at a line boundary stops here instead of reading as fewer users; given
 * only `k`, ids are checked against it. A visitor rather than a list: a million rows are read on
 * a periodic run's path. The count is checked after the last row, so a caller must not act on
 * what it was handed until this returns.
 *
 * @example
 * eachAssignment(runA, docsA.segments, (userId, segment, cells) => { if (segment === 2) members.push(userId); });
 */
export function eachAssignment(
  dir: string,
  expected: ExpectedAssignments | number | undefined,
  visit: (userId: string, segment: number, cells: Readonly<Record<string, string>>) => void,
): void {
  const name = 'assignments.csv';
  const k = typeof expected === 'number' ? expected : expected?.k;
  // segmint writes commas; left to guess, papaparse can take ids full of tabs for the delimiter.
  const parsed = Papa.parse<Record<string, string>>(readText(dir, name), { header: true, skipEmptyLines: true, delimiter: ',' });
  const file = shown(dir, name);
  const fields = parsed.meta.fields ?? [];
  for (const column of ['user_id', 'segment']) {
    if (!fields.includes(column)) throw errors.runFileInvalid(file, 'header', `expected a ${column} column, found ${fields.join(', ') || 'no columns'}`);
  }
  const broken = parsed.errors[0];
  // Line numbers count the header as line 1, as an editor shows them.
  if (broken) throw errors.runFileInvalid(file, `line ${(broken.row ?? 0) + 2}`, broken.message);
  const counts = new Map<number, number>();
  parsed.data.forEach((row, i) => {
    // The schema speaks only for a row that fails this quick test (same rules, its messages):
    // a million rows through zod took ~0.3 s of a 3.4 s load.
    if (typeof row.user_id !== 'string' || !SEGMENT_ID.test(row.segment)) {
      const result = assignmentRowSchema.safeParse(row);
      if (!result.success) throw invalid(file, result.error.issues[0], row, `line ${i + 2}: `);
    }
    const segment = Number(row.segment);
    if (k !== undefined && segment >= k) {
      throw errors.runFileInvalid(file, `line ${i + 2}: segment`, `expected a segment id below k = ${k} (segments.json), got ${segment}`);
    }
    counts.set(segment, (counts.get(segment) ?? 0) + 1);
    visit(unescapeCell(row.user_id), segment, row);
  });
  if (typeof expected === 'object') checkCounts(file, parsed.data.length, counts, expected);
}

/** The rows read against segments.json's counts: in all first, then per segment, -1 last. */
function checkCounts(file: string, rows: number, counts: ReadonlyMap<number, number>, expected: ExpectedAssignments): void {
  const noEvents = expected.usersWithoutEvents ?? 0;
  const users = expected.users + noEvents;
  if (rows !== users) {
    const parts = noEvents > 0 ? ` (${expected.users} in segments, ${noEvents} with no events in the window)` : '';
    throw errors.runFileInvalid(file, 'rows', `expected ${usersText(users)} as segments.json counts them${parts}, found ${rows}`);
  }
  const sizes = [...expected.segments.map((s, id) => [id, s.size] as const), [NO_EVENTS_GROUP.segment, noEvents] as const];
  for (const [id, size] of sizes) {
    const n = counts.get(id) ?? 0;
    if (n !== size) throw errors.runFileInvalid(file, `segment ${id}`, `expected ${usersText(size)} as segments.json counts them, found ${n}`);
  }
}

const usersText = (n: number) => `${n} user${n === 1 ? '' : 's'}`;

/**
 * assignments.csv as user id → segment id, checked against the run's segments.json (or, given
 * only `k`, its segment ids below it): see `eachAssignment`.
 *
 * @example
 * const before = loadAssignments(runA, docsA.segments);
 */
export function loadAssignments(dir: string, expected?: ExpectedAssignments | number): Map<string, number> {
  const out = new Map<string, number>();
  eachAssignment(dir, expected, (userId, segment) => out.set(userId, segment));
  return out;
}

function shown(dir: string, name: string): string {
  return shownPath(join(dir, name));
}

function readText(dir: string, name: string): string {
  try {
    return readFileSync(join(dir, name), 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw errors.runFileMissing(shown(dir, name));
    if (code === 'EACCES' || code === 'EPERM' || code === 'EISDIR') throw errors.runFileInvalid(shown(dir, name), '', `cannot be read (${code})`);
    throw e;
  }
}

function readJson(dir: string, name: string): unknown {
  const text = readText(dir, name);
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    const reason = e instanceof SyntaxError ? e.message : String(e);
    throw errors.runFileInvalid(shown(dir, name), '', `not valid JSON (${text.trim() === '' ? 'empty' : reason})`);
  }
}

function check<S extends z.ZodType>(dir: string, name: string, schema: S, raw: unknown): z.output<S> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  throw invalid(shown(dir, name), result.error.issues[0], raw);
}

/** One issue as `field: expected …, got …`, the value read from the document itself. */
function invalid(file: string, issue: z.core.$ZodIssue, raw: unknown, prefix = '') {
  const path = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
  const value = issue.path.reduce<unknown>((v, p) => (v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[p] : undefined), raw);
  return errors.runFileInvalid(file, `${prefix}${path || '(top level)'}`, describeIssue(issue, value));
}

function describeIssue(issue: z.core.$ZodIssue, value: unknown): string {
  const got = `, got ${describeValue(value)}`;
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${TYPE_NAMES[issue.expected] ?? issue.expected}${got}`;
    case 'invalid_value':
      return `expected ${issue.values.map((v) => JSON.stringify(v)).join(' or ')}${got}`;
    case 'too_small':
      return `expected ${issue.origin === 'array' ? `at least ${issue.minimum} entries` : `a number >= ${issue.minimum}`}${got}`;
    case 'too_big':
      return `expected ${issue.origin === 'array' ? `at most ${issue.maximum} entries` : `a number <= ${issue.maximum}`}${got}`;
    case 'invalid_union':
      return `matches none of the allowed shapes${got}`;
    case 'custom':
      // Cross-field checks say what they found themselves.
      return /, got /.test(issue.message) || /found/.test(issue.message) ? issue.message : `${issue.message}${got}`;
    default:
      return `${issue.message}${got}`;
  }
}

const TYPE_NAMES: Readonly<Record<string, string>> = {
  number: 'a number',
  int: 'a whole number',
  string: 'a string',
  boolean: 'true or false',
  array: 'a list',
  object: 'an object',
  tuple: 'a list',
  record: 'an object',
  null: 'null',
};

/** A value as messages show it: short, on one line, control characters escaped. */
function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing (the field is missing)';
  if (v === null) return 'null';
  if (Array.isArray(v)) return `a list of ${v.length}`;
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') {
    const s = JSON.stringify(v.length > 40 ? `${v.slice(0, 39)}…` : v);
    return s;
  }
  return String(v);
}

/**
 * Shared by the hardening tests: one small input generator, the real CLI as a child process, and
 * the checks every outcome must pass (a complete run whose accounting adds up, or one clean line).
 */
import { spawn } from 'node:child_process';
import { existsSync, lstatSync, readFileSync, readdirSync, readlinkSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Papa from 'papaparse';
import { expect } from 'vitest';
import type { Manifest } from '../../src/run/types.js';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** bin/segmint.js's twin over src/ (see segmint-bin.ts). */
const BIN = join(ROOT, 'test/hardening/segmint-bin.ts');

/** The files every finished run folder holds (rules.sql and rejects.csv aside). */
export const RUN_FILES = ['manifest.json', 'segments.json', 'rules.json', 'assignments.csv', 'report.html', 'report.md'] as const;

// ---------------------------------------------------------------------------------------------
// Inputs

export interface EventRow {
  user_id: string;
  event: string;
  timestamp: string;
  [column: string]: string;
}

export interface LogOptions {
  users?: number;
  perUser?: number;
  /** The id of user `u` (default `u<u>`). */
  userId?: (u: number) => string;
  /** The distinguishing event of behaviour group `g` (0..2; default `edit<g>`). */
  groupEvent?: (g: number) => string;
}

/**
 * A small log with three clear behaviour groups (user u is in group u % 3): every user does
 * `perUser` events over May 2024, half `view`, half their group's event.
 */
export function eventLog(options: LogOptions = {}): EventRow[] {
  const { users = 60, perUser = 8, userId = (u) => `u${u}`, groupEvent = (g) => `edit${g}` } = options;
  const rows: EventRow[] = [];
  for (let u = 0; u < users; u++) {
    for (let e = 0; e < perUser; e++) {
      const day = String(1 + ((u + e) % 20)).padStart(2, '0');
      const hour = String(8 + (e % 12)).padStart(2, '0');
      rows.push({ user_id: userId(u), event: e % 2 ? 'view' : groupEvent(u % 3), timestamp: `2024-05-${day}T${hour}:00:00Z` });
    }
  }
  return rows;
}

/** One CSV cell, quoted when it has to be. */
export function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Rows as CSV text (columns from the first row unless given). */
export function toCsv(rows: readonly Record<string, string>[], options: { eol?: string; columns?: readonly string[] } = {}): string {
  const eol = options.eol ?? '\n';
  const columns = options.columns ?? Object.keys(rows[0] ?? {});
  return [columns.join(','), ...rows.map((r) => columns.map((c) => csvCell(r[c] ?? '')).join(','))].join(eol) + eol;
}

export function toJsonl(rows: readonly Record<string, unknown>[]): string {
  return rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
}

/** A users table for `eventLog`'s users: a plan per behaviour group and a numeric seat count. */
export function usersTable(users = 60, plan: (g: number) => string = (g) => ['free', 'team', 'enterprise'][g], userId: (u: number) => string = (u) => `u${u}`): Record<string, string>[] {
  return Array.from({ length: users }, (_, u) => ({ user_id: userId(u), plan: plan(u % 3), seats: String(1 + (u % 7)) }));
}

// ---------------------------------------------------------------------------------------------
// The CLI as a child process

export interface SpawnResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface SpawnOptions {
  env?: Record<string, string>;
  /** Called with the stderr seen so far after each chunk; may kill the child. */
  onStderr?: (stderr: string, kill: () => void) => void;
  /** Hard bound on the child's life (it is SIGKILLed and the promise rejects). */
  limitMs?: number;
}

/** Runs `segmint <argv>` in a fresh node process (the same launcher as bin/segmint.js). */
export function spawnCli(argv: readonly string[], options: SpawnOptions = {}): { done: Promise<SpawnResult>; kill: () => void; pid: number | undefined } {
  const child = spawn(process.execPath, ['--import', 'tsx', BIN, ...argv], {
    cwd: ROOT,
    env: { ...process.env, TZ: 'UTC', LC_ALL: 'C', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const kill = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
  child.stderr.setEncoding('utf8').on('data', (s: string) => {
    stderr += s;
    options.onStderr?.(stderr, kill);
  });
  const done = new Promise<SpawnResult>((resolvePromise, reject) => {
    const limit = setTimeout(() => {
      kill();
      reject(new Error(`segmint ${argv.join(' ')} still running after ${options.limitMs ?? 120_000} ms; stderr:\n${stderr}`));
    }, options.limitMs ?? 120_000);
    child.on('error', (e) => {
      clearTimeout(limit);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(limit);
      resolvePromise({ code, signal, stdout, stderr });
    });
  });
  return { done, kill, pid: child.pid };
}

// ---------------------------------------------------------------------------------------------
// Checks

/** Non-hidden folders of `out` other than `latest`: each claims to be a finished run. */
export function runFolders(out: string): string[] {
  if (!existsSync(out)) return [];
  return readdirSync(out, { withFileTypes: true })
    .filter((d) => !d.name.startsWith('.') && d.name !== 'latest' && d.isDirectory())
    .map((d) => d.name)
    .sort();
}

/**
 * Nothing in `out` looks like a run unless it is one: every non-hidden folder holds every run
 * file, and `latest`, when present, is a link to one of those folders.
 */
export function expectOnlyCompleteRuns(out: string): void {
  for (const id of runFolders(out)) {
    const missing = RUN_FILES.filter((f) => !existsSync(join(out, id, f)));
    expect(missing, `${id} looks like a run but lacks files`).toEqual([]);
  }
  const latest = join(out, 'latest');
  if (lstatSync(latest, { throwIfNoEntry: false })) {
    expect(lstatSync(latest).isSymbolicLink(), 'latest is a link').toBe(true);
    const target = readlinkSync(latest);
    expect(runFolders(out), 'latest points at a finished run folder').toContain(target);
  }
}

/** The run `latest` points at, checked complete; returns its folder. */
export function latestRun(out: string): string {
  const dir = join(out, readlinkSync(join(out, 'latest')));
  for (const f of RUN_FILES) expect(existsSync(join(dir, f)), `${f} in ${dir}`).toBe(true);
  return dir;
}

export function readManifest(runDir: string): Manifest {
  return JSON.parse(readFileSync(join(runDir, 'manifest.json'), 'utf8')) as Manifest;
}

/** read = used + out of window + duplicates + set aside + rejected, for every input. */
export function expectAccountingAddsUp(manifest: Manifest): void {
  expect(manifest.accounting.length).toBeGreaterThan(0);
  for (const a of manifest.accounting) {
    const parts = { used: a.used, outOfWindow: a.outOfWindow, duplicates: a.duplicates, setAside: a.setAside ?? 0, rejected: a.rejected };
    for (const [name, n] of Object.entries(parts)) expect(Number.isInteger(n) && n >= 0, `${a.role}.${name} = ${n}`).toBe(true);
    expect(a.used + a.outOfWindow + a.duplicates + (a.setAside ?? 0) + a.rejected, `${a.role} accounting ${JSON.stringify(a)}`).toBe(a.read);
  }
}

/** Characters no string literal in rules.sql may hold raw, and no line of it at all. */
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f]/u;
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;

/** The single-quoted literals of one SQL line (outside double-quoted identifiers). */
export function sqlLiterals(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < line.length) {
    const q = line[i];
    if (q !== "'" && q !== '"') {
      i++;
      continue;
    }
    let j = i + 1;
    let text = '';
    for (; j < line.length; j++) {
      if (line[j] === q && line[j + 1] === q) {
        text += q;
        j++;
      } else if (line[j] === q) break;
      else text += line[j];
    }
    expect(j < line.length, `unterminated quote in rules.sql line: ${JSON.stringify(line)}`).toBe(true);
    if (q === "'") out.push(text);
    i = j + 1;
  }
  return out;
}

/**
 * Data in the outputs is inert: assignments.csv cells never start a formula, report.html runs
 * no script, rules.sql is only comments and SELECTs whose literals hold no backslash, control
 * or bidi character.
 */
export function expectOutputsEscaped(runDir: string): void {
  const csv = Papa.parse<string[]>(readFileSync(join(runDir, 'assignments.csv'), 'utf8'), { skipEmptyLines: true });
  expect(csv.errors).toEqual([]);
  // A plain number ("-1", a segment id for users without events) is a value, not a formula.
  for (const row of csv.data) for (const cell of row) if (!/^-?\d+(\.\d+)?$/.test(cell)) expect(cell, 'assignments.csv cell').not.toMatch(/^[=+\-@\t\r]/);

  const html = readFileSync(join(runDir, 'report.html'), 'utf8');
  expect(html).not.toMatch(/<script/i);
  expect(html, 'an element from the data').not.toMatch(/<img\b/i);

  const sqlPath = join(runDir, 'rules.sql');
  if (!existsSync(sqlPath)) return;
  const sql = readFileSync(sqlPath, 'utf8');
  expect(sql, 'rules.sql has a bidi control').not.toMatch(BIDI);
  for (const line of sql.split('\n')) {
    expect(line, 'rules.sql line').not.toMatch(CONTROL);
    if (line === '' || line.startsWith('--')) continue;
    expect(line, 'rules.sql: only comments and SELECT statements').toMatch(/^SELECT /);
    for (const literal of sqlLiterals(line)) expect(literal, 'rules.sql literal').not.toMatch(/[\\\u0000-\u001f\u007f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u);
  }
}

/** The user ids assignments.csv holds, with the `'` formula guard taken off. */
export function assignedUsers(runDir: string): string[] {
  const csv = Papa.parse<Record<string, string>>(readFileSync(join(runDir, 'assignments.csv'), 'utf8'), { header: true, skipEmptyLines: true });
  return csv.data.map((r) => (/^'[=+\-@\t\r]/.test(r.user_id) ? r.user_id.slice(1) : r.user_id)).sort();
}

/**
 * A failure a user can act on: a non-zero exit, exactly one line on stderr, no stack trace and no
 * bare JavaScript error, naming what `names` matches (the file, column or value).
 */
export function expectOneLineFailure(result: { code: number | null; stderr: string }, names: RegExp): string {
  const text = result.stderr.replace(/\n$/, '');
  expect(result.code, `exit code; stderr: ${text}`).not.toBe(0);
  expect(result.code, `killed? stderr: ${text}`).not.toBeNull();
  expect(text.split('\n'), 'exactly one line on stderr').toHaveLength(1);
  expect(text).not.toMatch(/^\s+at /m);
  expect(text, 'no JavaScript error text').not.toMatch(/(^|: )[A-Za-z]*Error: /);
  expect(text).toMatch(/^error: /);
  expect(text).toMatch(names);
  return text;
}

/** Mode bits of a path (permissions only). */
export function modeOf(path: string): number {
  return statSync(path).mode & 0o777;
}

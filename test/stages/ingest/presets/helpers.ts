/** Shared helpers for the preset tests: fixture paths, a database per test, catalog errors. */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { openDb, type Db } from '../../../../src/core/duckdb.js';
import type { SegmintError } from '../../../../src/core/errors.js';

export const PRESET_FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../fixtures/presets');

export const fixture = (...parts: string[]): string => path.join(PRESET_FIXTURES, ...parts);

/** Every data file in a fixture folder, sorted (as the ingest stage lists a directory). */
export const folder = (name: string): string[] =>
  readdirSync(fixture(name))
    .filter((f) => !f.startsWith('.'))
    .sort()
    .map((f) => fixture(name, f));

/** Run `fn` with a fresh in-memory database, closed afterwards whatever happens. */
export async function withDb<T>(fn: (db: Db) => Promise<T>): Promise<T> {
  const db = await openDb(1);
  try {
    return await fn(db);
  } finally {
    db.close();
  }
}

/** Assert that `fn` throws (or rejects with) the catalog's error: same code, stage and message. */
export async function expectCatalogError(fn: () => unknown, expected: SegmintError): Promise<void> {
  let error: unknown = null;
  try {
    await fn();
  } catch (e) {
    error = e;
  }
  expect(error, 'expected a SegmintError').not.toBeNull();
  const e = error as SegmintError;
  expect({ code: e.code, stage: e.stage, message: e.message, hint: e.hint }).toEqual({
    code: expected.code,
    stage: expected.stage,
    message: expected.message,
    hint: expected.hint,
  });
}

/** Canonical timestamps as text with milliseconds, for comparing rows. */
export const TS_TEXT = `strftime(ts, '%Y-%m-%dT%H:%M:%S.%g')`;

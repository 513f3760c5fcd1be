/**
 * Shared helpers for the ingest and features tests: a complete ResolvedConfig with small
 * defaults, fixture paths, temp folders, and comparing thrown errors against the catalog.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import { openDb, type Db } from '../../../src/core/duckdb.js';
import { DEFAULT_CONFIG, clusterConfig } from '../../helpers/config.js';
import type { EventsInput, ResolvedConfig } from '../../../src/config/types.js';
import type { SegmintError } from '../../../src/core/errors.js';

export const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/ingest');

export const fixture = (name: string): string => path.join(FIXTURES, name);

/** A full resolved config for `events` (paths; null for an attribute-only run) with optional overrides, deeply frozen. */
export function makeConfig(
  events: readonly string[] | null,
  overrides: {
    columns?: Partial<EventsInput['columns']>;
    /** Other event settings (preset, constant event name, event cases). */
    events?: Partial<Omit<EventsInput, 'paths' | 'columns'>>;
    users?: ResolvedConfig['inputs']['users'];
    accounts?: ResolvedConfig['inputs']['accounts'];
    window?: Partial<ResolvedConfig['window']>;
    features?: Partial<ResolvedConfig['features']>;
    maxRejectRate?: number;
  } = {},
): ResolvedConfig {
  const config: ResolvedConfig = {
    name: 'test',
    source: null,
    seed: 1,
    inputs: {
      events: events === null ? null : {
        paths: events,
        columns: { userId: null, event: null, timestamp: null, eventId: null, ...overrides.columns },
        preset: null,
        eventName: null,
        eventCases: [],
        ...overrides.events,
      },
      users: overrides.users ?? null,
      accounts: overrides.accounts ?? null,
    },
    window: { days: 30, end: null, ...overrides.window },
    features: { sessionGapMinutes: 30, topEvents: 2, trendDays: 7, values: [], includeInternalEvents: false, ...overrides.features },
    transform: {
      ...DEFAULT_CONFIG.transform,
      nearDuplicate: 0.95,
      weights: { ...DEFAULT_CONFIG.transform.weights, event_mix: 1, breadth: 1, trend: 1, attribute: 1 },
    },
    reduce: DEFAULT_CONFIG.reduce,
    cluster: clusterConfig({ kRange: [2, 6], restarts: 4, maxIterations: 100, sampleSize: 1000, stabilityRuns: 3, unstableBelow: 0.6 }),
    profile: { traits: 5 },
    rules: DEFAULT_CONFIG.rules,
    output: { dir: path.join(tmpdir(), 'segmint-test-reports'), maxRejectRate: overrides.maxRejectRate ?? 0.05 },
  };
  return deepFreeze(config);
}

/** Freeze an object graph, so a stage that writes to its input throws in a test. */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** Assert `promise` rejects with the same code and message as the catalog's error. */
export async function expectCatalogError(promise: Promise<unknown>, expected: SegmintError): Promise<void> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, 'expected the call to throw').not.toBeNull();
  expect((error as SegmintError).code).toBe(expected.code);
  expect((error as SegmintError).message).toBe(expected.message);
  expect((error as SegmintError).stage).toBe(expected.stage);
}

/** A fresh temp folder and a function that removes it. */
export async function tempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'segmint-ingest-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * Registers the hooks most ingest tests share: a temp folder for the file, and a DuckDB database
 * per test (`'each'`) or one for the whole file (`'file'`), handed over through the setters.
 */
export function useDbAndDir(scope: 'each' | 'file', set: { db: (db: Db) => void; dir: (dir: string) => void }): void {
  let current: Db | null = null;
  let cleanup: () => Promise<void> = async () => {};
  const open = async () => {
    current = await openDb();
    set.db(current);
  };
  const close = () => {
    current?.close();
    current = null;
  };
  beforeAll(async () => {
    const t = await tempDir();
    cleanup = t.cleanup;
    set.dir(t.dir);
    if (scope === 'file') await open();
  });
  afterAll(async () => {
    if (scope === 'file') close();
    await cleanup();
  });
  if (scope === 'each') {
    beforeEach(open);
    afterEach(close);
  }
}

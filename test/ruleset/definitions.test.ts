/**
 * Feature definitions recompute the features stage exactly: on the bundled sample, every column
 * of the run's feature table (every meaning kind the sample has) from the definitions' SQL over
 * the ingested tables, value for value. Value features are checked on a small log of their own.
 */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfigFile, resolveConfig } from '../../src/config/index.js';
import { createContext } from '../../src/core/context.js';
import { openDb, type Db } from '../../src/core/duckdb.js';
import type { FeatureMeaning } from '../../src/core/meaning.js';
import { INGESTED_TABLES, defineFeature, featuresQuery } from '../../src/ruleset/definitions.js';
import { opsFor, SQL_DIALECTS } from '../../src/ruleset/dialect.js';
import { buildFeatures } from '../../src/stages/features/index.js';
import type { FeatureTable } from '../../src/stages/features/types.js';
import { ingest } from '../../src/stages/ingest/index.js';
import { tempDir } from '../helpers/tmp.js';

const REPO = resolve(import.meta.dirname, '../..');

async function recompute(db: Db, table: FeatureTable, windowDays: number, asOf: string | null): Promise<Map<string, unknown[]>> {
  const meanings = table.columns.map((c) => ({ name: c.name, meaning: c.meaning }));
  return db.columns(featuresQuery(meanings, { ops: opsFor('duckdb'), tables: INGESTED_TABLES, windowDays, asOf }));
}

function expectSameColumns(table: FeatureTable, got: Map<string, unknown[]>): void {
  expect((got.get('user_id') ?? []).map(String)).toEqual(table.userIds);
  for (const c of table.columns) {
    const values = got.get(c.name) ?? [];
    const want = c.kind === 'categorical' ? c.values : Array.from(c.values, (v) => (Number.isNaN(v) ? null : v));
    const have = values.map((v) => (v === null || v === undefined ? null : c.kind === 'categorical' ? String(v) : typeof v === 'boolean' ? Number(v) : Number(v)));
    const firstDiff = have.findIndex((v, i) => v !== want[i]);
    expect(firstDiff, `${c.name}: user ${table.userIds[firstDiff]} has ${have[firstDiff]} recomputed, ${want[firstDiff]} in the run`).toBe(-1);
  }
}

describe('feature definitions on the bundled sample', () => {
  let db: Db;
  let table: FeatureTable;
  let windowDays: number;
  beforeAll(async () => {
    const config = loadConfigFile(resolve(REPO, 'pipeline/default.yaml'), { out: tempDir() });
    db = await openDb();
    const ctx = createContext(config.seed);
    const ingested = await ingest(db, config, ctx);
    table = await buildFeatures(db, ingested, config, ctx);
    windowDays = config.window.days;
  }, 120_000);
  afterAll(() => db?.close());

  it('recompute every column of the run, latest event as E', async () => {
    // The sample has every meaning kind but value features (checked below) and the share of
    // events on peak days (it has none; test/stages/features and the PostgreSQL check cover it).
    const kinds = new Set<FeatureMeaning['kind']>(table.columns.map((c) => c.meaning.kind));
    expect(kinds.size).toBe(18);
    expect(kinds.has('value')).toBe(false);
    expectSameColumns(table, await recompute(db, table, windowDays, null));
  });

  it('recompute every column with E given as a literal', async () => {
    const [{ e }] = await db.all<{ e: string }>(`SELECT strftime(max(ts), '%Y-%m-%d %H:%M:%S.%f') AS e FROM events`);
    expectSameColumns(table, await recompute(db, table, windowDays, e));
  });

  it('render for every dialect and say in words what each feature counts', () => {
    for (const dialect of SQL_DIALECTS) {
      const sql = featuresQuery(table.columns.map((c) => ({ name: c.name, meaning: c.meaning })), { ops: opsFor(dialect), tables: INGESTED_TABLES, windowDays, asOf: null });
      expect(sql).toMatch(/^WITH as_of AS/);
    }
    for (const c of table.columns) expect(defineFeature(c.meaning, 90)).toMatch(/\S/);
  });
});

describe('value features', () => {
  it('recompute sum, mean and max of a product of event columns', async () => {
    const dir = tempDir();
    const rows = ['user_id,event,timestamp,qty,price'];
    for (let u = 0; u < 30; u++) {
      for (let i = 0; i < 1 + (u % 7); i++) {
        const day = String(1 + ((u * 3 + i * 5) % 28)).padStart(2, '0');
        const priced = (u + i) % 4 !== 0;
        rows.push(`u${u},${i % 2 ? 'buy' : 'view'},2026-03-${day}T${String((u + i) % 24).padStart(2, '0')}:1${i}:00Z,${priced ? (i % 3) + 1 : ''},${priced ? (u * 0.37 + i).toFixed(2) : ''}`);
      }
    }
    writeFileSync(join(dir, 'events.csv'), rows.join('\n') + '\n');
    const config = resolveConfig(
      { inputs: { events: { path: 'events.csv' } }, features: { values: [{ name: 'revenue', columns: ['qty', 'price'], aggregates: ['sum', 'mean', 'max'] }] } },
      { file: 'test', baseDir: dir, source: null },
    );
    const db = await openDb();
    try {
      const ctx = createContext(1);
      const table = await buildFeatures(db, await ingest(db, config, ctx), config, ctx);
      const kinds = table.columns.map((c) => c.meaning.kind);
      expect(kinds).toContain<FeatureMeaning['kind']>('value');
      expectSameColumns(table, await recompute(db, table, config.window.days, null));
    } finally {
      db.close();
    }
  });
});

describe('the default as-of time', () => {
  it('is the latest row with a user, an event and a time, as a run reads them', async () => {
    const db = await openDb();
    try {
      await db.run('CREATE TABLE events (user_id VARCHAR, event VARCHAR, ts TIMESTAMP)');
      await db.run(
        "INSERT INTO events VALUES ('u1', 'open', '2026-03-01 10:00:00'), ('u1', 'open', '2026-03-20 10:00:00'), ('u2', 'save', '2026-03-25 12:00:00'), " +
          // An anonymous event and an unnamed one, both later than every usable row.
          "(NULL, 'open', '2026-04-20 09:00:00'), ('u3', NULL, '2026-04-25 09:00:00')",
      );
      const meanings = [
        { name: 'days_since_last_event', meaning: { kind: 'daysSinceLastEvent' } as FeatureMeaning },
        { name: 'events', meaning: { kind: 'events' } as FeatureMeaning },
      ];
      const at = (asOf: string | null) => db.all<{ user_id: string; days_since_last_event: number; events: number }>(featuresQuery(meanings, { ops: opsFor('duckdb'), tables: INGESTED_TABLES, windowDays: 90, asOf }));
      const byDefault = await at(null);
      expect(byDefault).toEqual(await at('2026-03-25 12:00:00.000000'));
      expect(byDefault.map((r) => [r.user_id, Number(r.days_since_last_event), Number(r.events)])).toEqual([
        ['u1', 5, 2],
        ['u2', 0, 1],
      ]);
    } finally {
      db.close();
    }
  });
});

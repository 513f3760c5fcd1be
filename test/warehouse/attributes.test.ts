/**
 * Attribute columns of a warehouse users table that PostgreSQL holds in its own ways: `infinity`
 * in a date column (a history table's "no end date"), float infinities and NaN, and arrays. A run
 * reads the first two as missing with a warning, as ingest reads `1e309` in a file, and leaves
 * arrays out with the reason; none of them stops the run (an outside QA run died on each with
 * "cannot subtract infinite dates" and "function btrim(text[]) does not exist").
 */
import type pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/resolve.js';
import { createContext } from '../../src/core/context.js';
import type { WarningCode } from '../../src/core/warnings.js';
import { openDb } from '../../src/core/duckdb.js';
import { connectWarehouse } from '../../src/warehouse/connection.js';
import { warehouseFeatures } from '../../src/warehouse/features.js';
import { ingestWarehouse } from '../../src/warehouse/front.js';
import { fromWarehouse } from '../../src/warehouse/index.js';
import { usePostgres } from '../helpers/postgres.js';

const NOW = new Date('2024-06-01T00:00:00Z');
const USERS = 50;

describe('warehouse attribute values PostgreSQL has and files do not', () => {
  const postgres = usePostgres();
  let client: pg.Client;
  let url: string;

  beforeAll(async () => {
    client = await postgres.connect();
    await client.query('CREATE TABLE public.ev (user_id text, event text, "timestamp" timestamp)');
    await client.query(
      `INSERT INTO public.ev SELECT 'u' || u, CASE WHEN d % 2 = 0 THEN 'open' ELSE 'save' END, TIMESTAMP '2024-05-01 09:00' + (u * 7 + d) * INTERVAL '37 minutes' ` +
        `FROM generate_series(1, ${USERS}) u, generate_series(1, 5) d`,
    );
    // Every fifth user's contract has no end; every seventh score is infinite or NaN.
    await client.query('CREATE TABLE public.people (user_id text, valid_to date, score double precision, tags text[], plan text, email text, crm_id text)');
    await client.query(
      `INSERT INTO public.people SELECT 'u' || u, CASE WHEN u % 5 = 0 THEN DATE 'infinity' ELSE DATE '2024-01-01' + u END, ` +
        `CASE WHEN u % 7 = 0 THEN CASE WHEN u % 14 = 0 THEN 'NaN'::float8 ELSE 'Infinity'::float8 END ELSE u * 1.5 END, ` +
        `ARRAY['a', 'b' || u], CASE WHEN u % 2 = 0 THEN 'pro' ELSE 'free' END, 'u' || u || '@example.com', 'c' || u FROM generate_series(1, ${USERS}) u`,
    );
    // A second row for u1 with no end: not kept (the first row per key in text order is), so not counted.
    await client.query("INSERT INTO public.people VALUES ('u1', 'infinity', 'Infinity', ARRAY['z'], 'free', 'u1@example.com', 'c1')");
    const { host, port, database } = postgres.cluster.config;
    url = `postgres://postgres@${host}:${port}/${database}`;
  }, 120_000);

  it('reads infinite dates and floats as missing with a warning, and leaves arrays out with the reason', async () => {
    const origin = { file: 'test', baseDir: process.cwd(), source: null };
    const config = resolveConfig({ window: { days: 365 }, inputs: { warehouse: { url, events: 'public.ev', users: { table: 'public.people', key: 'user_id' } } } }, origin);
    const wh = await connectWarehouse(url);
    const db = await openDb();
    try {
      const inputs = await ingestWarehouse(wh, config.inputs.warehouse!, config, NOW);
      expect(inputs.users!.excluded).toContainEqual({ column: 'tags', reason: 'type text[] is not a number, flag, date or category' });
      expect(inputs.users!.nonFinite).toEqual([
        { column: 'valid_to', count: USERS / 5, value: 'infinity' },
        { column: 'score', count: 7, value: 'Infinity' },
      ]);
      const features = await warehouseFeatures(wh, db, inputs, config, createContext(1));
      expect(features.userIds).toHaveLength(USERS);
      const column = (name: string) => features.columns.find((c) => c.name === name);
      const missingAt = (name: string) => {
        const c = column(name);
        if (!c || c.kind !== 'numeric') throw new Error(`no numeric feature ${name}: ${features.columns.map((f) => f.name).join(', ')}`);
        return features.userIds.filter((_, i) => Number.isNaN(c.values[i]));
      };
      const users = (pick: (u: number) => boolean) => Array.from({ length: USERS }, (_, i) => i + 1).filter(pick).map((u) => `u${u}`).sort();
      expect(missingAt('attr_score').sort()).toEqual(users((u) => u % 7 === 0));
      expect(missingAt('attr_valid_to_age_days').sort()).toEqual(users((u) => u % 5 === 0));
    } finally {
      db.close();
      await wh.close();
    }
  }, 120_000);

  /** The messages of one warning code from ingest and features of `events` with the people table, through the run front. */
  async function frontWarnings(events: string, code: WarningCode): Promise<string[]> {
    const origin = { file: 'test', baseDir: process.cwd(), source: null };
    const config = resolveConfig({ window: { days: 365 }, inputs: { warehouse: { url, events, users: { table: 'public.people', key: 'user_id' } } } }, origin);
    const ctx = createContext(1);
    const db = await openDb();
    try {
      await fromWarehouse(db, config, ctx, async (_stage, work) => await work(), NOW);
    } finally {
      db.close();
    }
    return ctx.warnings.filter((w) => w.code === code).map((w) => w.message);
  }

  it('says when users without a row differ from one only in case', async () => {
    await client.query("CREATE TABLE public.ev_case AS SELECT * FROM public.ev UNION ALL SELECT 'U7', 'open', TIMESTAMP '2024-05-20 10:00'");
    expect(await frontWarnings('public.ev_case', 'W_UNMATCHED_USERS')).toEqual([
      `1 of ${USERS + 1} users with events have no row in the users table; their user attributes are empty; 1 of them differ from a users row only in case ` +
        '(e.g. "U7" in the events, "u7" in the users table): ids are compared exactly, so make their case agree at the source',
    ]);
  }, 120_000);

  it('says which columns were left out, for their type and by their name', async () => {
    expect(await frontWarnings('public.ev', 'W_COLUMN_TYPES')).toEqual([
      'users columns left out for their type: tags (text[]); attributes are read from numbers, flags, dates and text — cast such a column in a view to use it',
      'users columns left out of the attributes: email (personal data or free text); crm_id (identifier); to use one, select it under another name in a view',
    ]);
  }, 120_000);

  it('warns once per column, naming the table, through the run front', async () => {
    expect(await frontWarnings('public.ev', 'W_NON_FINITE_VALUES')).toEqual([
      `${USERS / 5} users value(s) in column "valid_to" are not finite numbers (infinite, NaN or too large) (first: table public.people "infinity"); they were read as missing`,
      '7 users value(s) in column "score" are not finite numbers (infinite, NaN or too large) (first: table public.people "Infinity"); they were read as missing',
    ]);
  }, 120_000);
});

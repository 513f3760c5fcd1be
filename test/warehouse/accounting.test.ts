/**
 * The events' accounting of a warehouse run against a real PostgreSQL, on a handful of rows:
 * the same counts a file run of the same rows gives, including `usersOutOfWindow` (users whose
 * every valid row falls outside the window, and so are in no segment).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/resolve.js';
import { createContext } from '../../src/core/context.js';
import { openDb } from '../../src/core/duckdb.js';
import { ingest } from '../../src/stages/ingest/index.js';
import type { RowAccounting } from '../../src/stages/ingest/types.js';
import { connectWarehouse } from '../../src/warehouse/connection.js';
import { ingestWarehouse } from '../../src/warehouse/front.js';
import { usePostgres } from '../helpers/postgres.js';
import { tempDir } from '../helpers/cli.js';

const NOW = new Date('2024-06-01T00:00:00Z');

/**
 * a: both events in the window; b: both long before it; c: one of each; d: a row without a
 * timestamp only (rejected, so no user); e: one event before the window and one rejected row.
 */
const ROWS: readonly (readonly [string, string, string | null])[] = [
  ['a', 'open', '2024-05-20 10:00:00'],
  ['a', 'open', '2024-05-31 10:00:00'],
  ['b', 'open', '2024-02-01 10:00:00'],
  ['b', 'save', '2024-02-02 10:00:00'],
  ['c', 'open', '2024-05-15 10:00:00'],
  ['c', 'save', '2024-02-03 10:00:00'],
  ['d', 'open', null],
  ['e', 'open', '2024-02-04 10:00:00'],
  ['e', 'save', null],
];

describe('warehouse accounting of event rows', () => {
  const postgres = usePostgres();
  let client: pg.Client;
  let url: string;

  beforeAll(async () => {
    client = await postgres.connect();
    await client.query('CREATE TABLE public.few (user_id text, event text, "timestamp" timestamp)');
    for (const row of ROWS) await client.query('INSERT INTO public.few VALUES ($1, $2, $3)', [...row]);
    const { host, port, database } = postgres.cluster.config;
    url = `postgres://postgres@${host}:${port}/${database}`;
  }, 120_000);

  /** The events' accounting of the warehouse table and of the same rows as a CSV file, without `files`. */
  async function both(days: number): Promise<{ warehouse: Omit<RowAccounting, 'files'>; file: Omit<RowAccounting, 'files'> }> {
    const settings = { window: { days }, output: { max_reject_rate: 0.5 } };
    const origin = { file: 'test', baseDir: process.cwd(), source: null };
    const config = resolveConfig({ ...settings, inputs: { warehouse: { url, events: 'public.few' } } }, origin);
    const wh = await connectWarehouse(url);
    let warehouse: RowAccounting;
    try {
      warehouse = (await ingestWarehouse(wh, config.inputs.warehouse!, config, NOW)).events.accounting;
    } finally {
      await wh.close();
    }
    const csv = join(tempDir(), 'few.csv');
    writeFileSync(csv, ['user_id,event,timestamp', ...ROWS.map(([u, e, t]) => `${u},${e},${t === null ? '' : `${t.replace(' ', 'T')}Z`}`)].join('\n') + '\n');
    const db = await openDb();
    let file: RowAccounting;
    try {
      const fileConfig = resolveConfig({ ...settings, inputs: { events: { path: csv } } }, origin);
      [file] = (await ingest(db, fileConfig, createContext(1), { now: NOW })).accounting;
    } finally {
      db.close();
    }
    const strip = ({ files: _files, ...counts }: RowAccounting) => counts;
    return { warehouse: strip(warehouse), file: strip(file) };
  }

  it('counts the users whose every valid row is outside the window, as a file run does', async () => {
    const { warehouse, file } = await both(30);
    expect(warehouse).toEqual({ role: 'events', read: 9, used: 3, outOfWindow: 4, usersOutOfWindow: 2, duplicates: 0, rejected: 2 });
    expect(warehouse).toEqual(file);
  });

  it('leaves usersOutOfWindow out when the window holds every user, as a file run does', async () => {
    const { warehouse, file } = await both(365);
    expect(warehouse).toEqual({ role: 'events', read: 9, used: 7, outOfWindow: 0, duplicates: 0, rejected: 2 });
    expect(warehouse).toEqual(file);
  });
});

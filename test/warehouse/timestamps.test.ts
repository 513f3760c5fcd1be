/**
 * Timestamps a warehouse table holds as text or epoch numbers are judged row by row, as a file's
 * are: a value PostgreSQL would refuse to cast (a 30th of February, month 13, an offset of +25:00,
 * an epoch past the year 9999) is one rejected row with ingest's reason, never a failed query
 * that stops the run (an outside QA run died on one `2026-02-30T10:00:00Z`).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/resolve.js';
import { createContext } from '../../src/core/context.js';
import { openDb } from '../../src/core/duckdb.js';
import { ingest } from '../../src/stages/ingest/index.js';
import type { RejectedRow, RowAccounting } from '../../src/stages/ingest/types.js';
import { connectWarehouse } from '../../src/warehouse/connection.js';
import { ingestWarehouse } from '../../src/warehouse/front.js';
import { tempDir } from '../helpers/cli.js';
import { usePostgres } from '../helpers/postgres.js';

const NOW = new Date('2024-06-01T00:00:00Z');

/**
 * Valid ISO text, the edges included: leap days, 24:00, an offset of exactly +14:00; and ordinary
 * rows enough that a file of the same values is read as ISO (the invalid ones are a minority).
 */
const ORDINARY = Array.from({ length: 40 }, (_, d) => `2024-05-${String((d % 28) + 1).padStart(2, '0')}T${String(d % 24).padStart(2, '0')}:15:00Z`);
const VALID = [...ORDINARY, '2024-05-03t10:00:00z', '2024-05-03T11:00:00 UTC', '2024-05-20T10:00:00Z', '2024-02-29T10:00:00Z', '2000-02-29T10:00:00Z', '2024-01-01T24:00:00Z', '2024-05-01T10:00:00+14:00', '2024-05-02 08:30'];
/** Text no valid time: each of these failed the whole warehouse query before. */
const INVALID = [
  '2023-02-29T10:00:00Z',
  '1900-02-29',
  '2024-02-30T10:00:00Z',
  '2024-04-31',
  '0000-00-00',
  '2024-13-45T10:00:00Z',
  '2024-11-31T25:61:00Z',
  '2024-10-20T10:00:60Z',
  '2024-05-20T10:00:00+25:00',
  '2024-05-20T10:00:00+14:30',
];

type Counts = Omit<RowAccounting, 'files'>;
type Reject = Pick<RejectedRow, 'value' | 'reason'>;

describe('warehouse timestamps that do not parse', () => {
  const postgres = usePostgres();
  let client: pg.Client;
  let url: string;

  beforeAll(async () => {
    client = await postgres.connect();
    await client.query('CREATE TABLE public.iso (user_id text, event text, "timestamp" text)');
    for (const [i, ts] of [...VALID, ...INVALID].entries()) await client.query('INSERT INTO public.iso VALUES ($1, $2, $3)', [`u${i}`, 'open', ts]);
    await client.query('CREATE TABLE public.epoch (user_id text, event text, "timestamp" bigint)');
    for (const [i, ts] of ['1716200000', '1716300000', '1716400000', '999999999999999999', '-999999999999999999'].entries()) {
      await client.query('INSERT INTO public.epoch VALUES ($1, $2, $3)', [`u${i}`, 'open', ts]);
    }
    const { host, port, database } = postgres.cluster.config;
    url = `postgres://postgres@${host}:${port}/${database}`;
  }, 120_000);

  /** The accounting and rejects of a warehouse table and of the same rows as a CSV file. */
  async function both(table: string): Promise<{ warehouse: { counts: Counts; rejects: Reject[] }; file: { counts: Counts; rejects: Reject[] } }> {
    const settings = { window: { days: 3650 }, output: { max_reject_rate: 1 } };
    const origin = { file: 'test', baseDir: process.cwd(), source: null };
    const strip = ({ files: _files, ...counts }: RowAccounting) => counts;
    const rejectsOf = (rows: readonly RejectedRow[]) => rows.map(({ value, reason }) => ({ value, reason })).sort((a, b) => (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
    const wh = await connectWarehouse(url);
    let warehouse;
    try {
      const config = resolveConfig({ ...settings, inputs: { warehouse: { url, events: table } } }, origin);
      const { events } = await ingestWarehouse(wh, config.inputs.warehouse!, config, NOW);
      warehouse = { counts: strip(events.accounting), rejects: rejectsOf(events.rejects) };
    } finally {
      await wh.close();
    }
    const { rows } = await client.query(`SELECT user_id, event, CAST("timestamp" AS text) AS ts FROM ${table} ORDER BY user_id`);
    const csv = join(tempDir(), `${table}.csv`);
    writeFileSync(csv, ['user_id,event,timestamp', ...rows.map((r) => `${r.user_id},${r.event},${r.ts}`)].join('\n') + '\n');
    const db = await openDb();
    try {
      const config = resolveConfig({ ...settings, inputs: { events: { path: csv } } }, origin);
      const ingested = await ingest(db, config, createContext(1), { now: NOW });
      return { warehouse, file: { counts: strip(ingested.accounting[0]), rejects: rejectsOf(ingested.rejects) } };
    } finally {
      db.close();
    }
  }

  it('ISO text: every invalid date, time or offset is a rejected row with the reason a file run gives', async () => {
    const { warehouse, file } = await both('public.iso');
    expect(warehouse.counts).toMatchObject({ read: VALID.length + INVALID.length, rejected: INVALID.length });
    expect(warehouse.counts.used + warehouse.counts.outOfWindow).toBe(VALID.length);
    expect(warehouse.rejects.map((r) => r.value).sort()).toEqual([...INVALID].sort());
    expect(warehouse.rejects.filter((r) => r.reason.startsWith('UTC offset beyond ±14:00')).map((r) => r.value).sort()).toEqual(['2024-05-20T10:00:00+14:30', '2024-05-20T10:00:00+25:00']);
    expect(warehouse).toEqual(file);
  }, 120_000);

  it('epoch numbers: a value past any plausible year is a rejected row, not an interval overflow', async () => {
    const { warehouse, file } = await both('public.epoch');
    expect(warehouse.counts).toMatchObject({ read: 5, used: 3, rejected: 2 });
    expect(warehouse.rejects.map((r) => r.value).sort()).toEqual(['-999999999999999999', '999999999999999999']);
    expect(warehouse.rejects.map((r) => r.reason)).toEqual(['unparseable timestamp (column "timestamp", read as epoch seconds)', 'unparseable timestamp (column "timestamp", read as epoch seconds)']);
    expect(warehouse).toEqual(file);
  }, 120_000);
});

/**
 * Vendor presets on warehouse tables (src/warehouse/presets.ts) against a real PostgreSQL: the
 * vendor's columns are found, the anonymous or device id stands in for a missing user id,
 * delivery ids deduplicate, and vendor bookkeeping events are set aside — every row accounted for.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/resolve.js';
import { connectWarehouse } from '../../src/warehouse/connection.js';
import { EVENTS_TEMP } from '../../src/warehouse/events.js';
import { ingestWarehouse } from '../../src/warehouse/front.js';
import { usePostgres } from '../helpers/postgres.js';
import { runCli, tempDir } from '../helpers/cli.js';

const NOW = new Date('2026-12-01T00:00:00Z');

describe('warehouse runs with a vendor preset', () => {
  const postgres = usePostgres();
  let client: pg.Client;
  let url: string;

  beforeAll(async () => {
    client = await postgres.connect();
    await client.query('CREATE SCHEMA vendor');
    // Segment's warehouse `tracks`: user_id empty before identify, anonymous_id always; `id` per message.
    await client.query('CREATE TABLE vendor.tracks (id text, user_id text, anonymous_id text, event text, "timestamp" timestamptz, context_ip text)');
    await client.query(`INSERT INTO vendor.tracks VALUES
      ('m1', 'u1', 'a1', 'Report Viewed', '2026-11-01T10:00:00Z', '10.0.0.1'),
      ('m2', NULL, 'a2', 'Report Viewed', '2026-11-02T10:00:00Z', '10.0.0.2'),
      ('m3', '', 'a3', 'Signed Up', '2026-11-03T10:00:00+02:00', '10.0.0.3'),
      ('m1', 'u1', 'a1', 'Report Viewed', '2026-11-01T10:00:00Z', '10.0.0.1'),
      ('m4', NULL, NULL, 'Report Viewed', '2026-11-04T10:00:00Z', '10.0.0.4')`);
    // Amplitude's export: device_id before login; session_start is bookkeeping; uuid per event.
    await client.query('CREATE TABLE vendor.amplitude_events (uuid text, user_id text, device_id text, event_type text, event_time timestamp, event_id bigint)');
    await client.query(`INSERT INTO vendor.amplitude_events VALUES
      ('x1', 'u1', 'd1', 'session_start', '2026-11-01 09:59:00', 1),
      ('x2', 'u1', 'd1', 'Chart Edited', '2026-11-01 10:00:00', 1),
      ('x3', NULL, 'd9', 'Chart Edited', '2026-11-02 10:00:00', 1),
      ('x4', 'u2', 'd2', 'session_start', '2026-11-02 11:00:00', 1)`);
    const { host, port, database } = postgres.cluster.config;
    url = `postgres://postgres@${host}:${port}/${database}`;
    await client.query("CREATE TABLE vendor.tracks_ok AS SELECT * FROM vendor.tracks WHERE id <> 'm4'");
    // A plain extract whose event_id counts per user: only u1's repeated first row is a re-delivery.
    await client.query('CREATE TABLE vendor.counter_ids (event_id int, user_id text, event text, "timestamp" timestamp)');
    await client.query(`INSERT INTO vendor.counter_ids VALUES
      (1, 'u1', 'open', '2026-11-01 10:00:00'), (2, 'u1', 'search', '2026-11-02 10:00:00'),
      (1, 'u2', 'open', '2026-11-01 10:00:00'), (2, 'u2', 'open', '2026-11-03 10:00:00'),
      (1, 'u1', 'open', '2026-11-01 10:00:00'), (1, 'u1', 'open', '2026-11-01 11:00:00')`);
    // 200 events in November 2025 and one from a clock a year ahead.
    await client.query(`CREATE TABLE vendor.skewed AS SELECT 'u' || (i % 20) AS user_id, 'open' AS event, TIMESTAMP '2025-11-01' + i * INTERVAL '3 hours' AS "timestamp" FROM generate_series(1, 200) i`);
    await client.query(`INSERT INTO vendor.skewed VALUES ('u1', 'open', '2026-11-20 00:00:00')`);
  }, 300_000);

  async function ingestWith(preset: string | null, table: string | Record<string, unknown>, features: Record<string, unknown> = {}) {
    const config = resolveConfig(
      { ...(preset === null ? {} : { source: { preset } }), inputs: { warehouse: { url, events: table } }, features, output: { max_reject_rate: 0.5 } },
      { file: 'test', baseDir: process.cwd(), source: null },
    );
    const wh = await connectWarehouse(config.inputs.warehouse!.url);
    try {
      const inputs = await ingestWarehouse(wh, config.inputs.warehouse!, config, NOW);
      const rows = await wh.query<{ user_id: string; event: string }>(`SELECT user_id, event FROM ${EVENTS_TEMP} ORDER BY user_id, event`);
      return { events: inputs.events, rows };
    } finally {
      await wh.close();
    }
  }

  it('segment: anonymous ids stand in for missing user ids, message ids deduplicate, a row without either is rejected', async () => {
    const { events, rows } = await ingestWith('segment', 'vendor.tracks');
    expect(events.mapping).toMatchObject({ userId: 'user_id or anonymous_id', event: 'event', timestamp: 'timestamp', eventId: 'id' });
    expect(events.accounting).toMatchObject({ read: 5, used: 3, duplicates: 1, rejected: 1, outOfWindow: 0, setAside: 0 });
    const a = events.accounting;
    expect(a.used + a.duplicates + a.rejected + a.outOfWindow + (a.setAside ?? 0)).toBe(a.read);
    expect(rows).toEqual([
      { user_id: 'a2', event: 'Report Viewed' },
      { user_id: 'a3', event: 'Signed Up' },
      { user_id: 'u1', event: 'Report Viewed' },
    ]);
    expect(events.rejects).toHaveLength(1);
    expect(events.rejects[0].reason).toContain('missing user id (column "user_id or anonymous_id"');
  }, 60_000);

  it('amplitude: device ids stand in, session_start is set aside and listed, uuid (not the per-device event_id) deduplicates', async () => {
    const { events, rows } = await ingestWith('amplitude', 'vendor.amplitude_events');
    expect(events.mapping).toMatchObject({ userId: 'user_id or device_id', event: 'event_type', timestamp: 'event_time', eventId: 'uuid' });
    expect(events.accounting).toMatchObject({ read: 4, used: 2, duplicates: 0, rejected: 0, setAside: 2 });
    expect(events.setAside).toEqual([{ event: 'session_start', rows: 2 }]);
    expect(rows).toEqual([
      { user_id: 'd9', event: 'Chart Edited' },
      { user_id: 'u1', event: 'Chart Edited' },
    ]);
  }, 60_000);

  it('a duplicate repeats the event id with the same user, event and time; rows sharing only an id are different events', async () => {
    const { events, rows } = await ingestWith(null, 'vendor.counter_ids');
    expect(events.mapping).toMatchObject({ eventId: 'event_id' });
    expect(events.accounting).toMatchObject({ read: 6, used: 5, duplicates: 1, rejected: 0, outOfWindow: 0 });
    expect(rows.filter((r) => r.user_id === 'u1')).toHaveLength(3);
  }, 60_000);

  it('a few events far after the rest (clock skew) stop the run, as for files', async () => {
    await expect(ingestWith(null, 'vendor.skewed')).rejects.toMatchObject({
      code: 'E_CLOCK_SKEW',
      message: expect.stringMatching(/^1 event is dated 2026-11-20T00:00:00Z, after more than 30 days without any event; all the other events end by 2025-11-26T00:00:00Z/),
    });
  }, 60_000);

  it('a column named in the config wins over the preset', async () => {
    const { events, rows } = await ingestWith('segment', { table: 'vendor.tracks', columns: { user_id: 'anonymous_id' } });
    expect(events.mapping.userId).toBe('anonymous_id');
    expect(events.accounting).toMatchObject({ read: 5, used: 3, duplicates: 1, rejected: 1 });
    expect(rows.map((r) => r.user_id)).toEqual(['a1', 'a2', 'a3']);
  }, 60_000);

  it('include_internal_events counts the bookkeeping events as behaviour', async () => {
    const { events } = await ingestWith('amplitude', 'vendor.amplitude_events', { include_internal_events: true });
    expect(events.accounting).toMatchObject({ read: 4, used: 4, setAside: 0 });
  }, 60_000);

  it('validate --preset on the command line, and a table without the vendor columns fails in one line', async () => {
    const out = tempDir();
    // Three users: too few for the default cluster.min_size, as the run would say; with 1 they pass.
    const few = await runCli(['validate', '--warehouse', url, '--events-table', 'vendor.tracks_ok', '--preset', 'segment', '--out', out, '--quiet']);
    expect(few.code).toBe(1);
    expect(few.stderr).toContain('only 3 user(s) to segment');
    const config = join(out, 'small.yaml');
    writeFileSync(config, 'cluster:\n  min_size: 1\n');
    const ok = await runCli(['validate', '--config', config, '--warehouse', url, '--events-table', 'vendor.tracks_ok', '--preset', 'segment', '--out', out, '--quiet']);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/events\s+4\s+3/);
    const bad = await runCli(['validate', '--warehouse', url, '--events-table', 'vendor.tracks', '--preset', 'ga4', '--out', out, '--quiet']);
    expect(bad.code).toBe(1);
    const lines = bad.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^error: .*event/);
  }, 120_000);
});

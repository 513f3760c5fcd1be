/**
 * Odd rows each vendor's exports really contain, one small file per case: what the canonical
 * row says about them (ids, names, times, problems, properties).
 */
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../../src/core/duckdb.js';
import { quoteLiteral } from '../../../../src/core/sql.js';
import { getPreset, loadPresetEvents, type PresetName } from '../../../../src/stages/ingest/presets/index.js';
import { tempDir } from '../../../helpers/tmp.js';
import { TS_TEXT, fixture, withDb } from './helpers.js';

const dir = tempDir('segmint-preset-rows-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
/** Write rows as JSON lines and load them with `preset`; canonical rows in file order. */
async function load(db: Db, preset: PresetName, rows: readonly unknown[]): Promise<Record<string, unknown>[]> {
  const file = path.join(dir, `rows-${n++}.jsonl`);
  writeFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  await loadPresetEvents(db, getPreset(preset), [file], 'canon');
  return db.all(
    `SELECT user_id, event, vendor_event, ${TS_TEXT} AS t, insert_id, internal, row_kind, CAST(user_props AS VARCHAR) AS up, ` +
      `CAST(user_props_once AS VARCHAR) AS upo, account_id, CAST(account_props AS VARCHAR) AS ap, CAST(props AS VARCHAR) AS props, problem ` +
      `FROM canon ORDER BY line`,
  );
}

describe('segment', () => {
  it('falls back to anonymousId, reports missing ids and times, and keeps unknown types out of behaviour', async () => {
    await withDb(async (db) => {
      const rows = await load(db, 'segment', [
        { type: 'track', anonymousId: 'a1', userId: '', event: 'clicked', timestamp: '2024-05-01T09:00:00Z', messageId: 'm1' },
        { type: 'screen', userId: 'u1', name: 'Home', originalTimestamp: '2024-05-01T09:00:01.5Z', messageId: 'm2' },
        { type: 'track', userId: 'u1', timestamp: '2024-05-01T09:00:02Z' },
        { type: 'track', userId: 'u1', event: 'x', messageId: 'm3' },
        { type: 'track', userId: 'u1', event: 'x', timestamp: 'last tuesday' },
        { type: 'TRACK', userId: 'u1', event: 'y', timestamp: '2024-05-01T09:00:03Z' },
        { type: 'batch', userId: 'u1', timestamp: '2024-05-01T09:00:04Z' },
        { userId: 'u1', event: 'hand_written', timestamp: '2024-05-01T09:00:05Z' },
      ]);
      expect(rows.map((r) => [r.user_id, r.event, r.t, r.internal, r.problem])).toEqual([
        ['a1', 'clicked', '2024-05-01T09:00:00.000', false, null],
        ['u1', 'screen_viewed', '2024-05-01T09:00:01.500', false, null],
        ['u1', null, '2024-05-01T09:00:02.000', false, 'event'],
        ['u1', 'x', null, false, 'ts_missing'],
        ['u1', 'x', null, false, 'ts_bad'],
        ['u1', 'y', '2024-05-01T09:00:03.000', false, null],
        ['u1', 'batch', '2024-05-01T09:00:04.000', true, null],
        ['u1', 'hand_written', '2024-05-01T09:00:05.000', false, null],
      ]);
    });
  });
});

describe('segment, warehouse schema (Data Lakes)', () => {
  it('reads snake_case rows: user_id, else anonymous_id; id as the message id; original_timestamp as the fallback time', async () => {
    await withDb(async (db) => {
      const rows = await load(db, 'segment', [
        { id: 'm1', anonymous_id: 'a1', user_id: '', event: 'clicked', timestamp: '2024-05-01T09:00:00Z', received_at: '2024-05-01T09:00:01Z' },
        { id: 'm2', anonymous_id: 'a2', user_id: 'u2', event: 'viewed', original_timestamp: '2024-05-01T09:00:02Z' },
        { id: 'm3', anonymous_id: '', user_id: '', event: 'lost', timestamp: '2024-05-01T09:00:03Z' },
      ]);
      expect(rows.map((r) => [r.user_id, r.event, r.t, r.insert_id, r.internal, r.problem])).toEqual([
        ['a1', 'clicked', '2024-05-01T09:00:00.000', 'm1', false, null],
        ['u2', 'viewed', '2024-05-01T09:00:02.000', 'm2', false, null],
        [null, 'lost', '2024-05-01T09:00:03.000', 'm3', false, 'user'],
      ]);
    });
  });
});

describe('amplitude', () => {
  it('reads raw $set/$setOnce operations, array-valued groups and device-scoped insert ids', async () => {
    await withDb(async (db) => {
      const base = { event_time: '2024-05-01 09:00:00.000000', device_id: 'd1' };
      const rows = await load(db, 'amplitude', [
        { ...base, event_type: '$identify', user_id: null, user_properties: { $set: { plan: 'pro' }, $setOnce: { source: 'ads' } }, $insert_id: 'i1' },
        { ...base, event_type: 'clicked', user_id: 'u1', groups: { org: ['o1', 'o2'] }, uuid: 'uu2', user_properties: { plan: 'pro' } },
        { ...base, event_type: '[Amplitude] Page Viewed', user_id: 'u1', $insert_id: 'i1', event_properties: { '[Amplitude] Page Path': '/' } },
      ]);
      expect(rows).toEqual([
        expect.objectContaining({ user_id: 'd1', event: '$identify', internal: true, row_kind: 'identify', up: '{"plan":"pro"}', upo: '{"source":"ads"}', insert_id: 'd1/i1' }),
        expect.objectContaining({ user_id: 'u1', event: 'clicked', internal: false, account_id: 'o1', up: '{"plan":"pro"}', upo: null, insert_id: 'uu2' }),
        expect.objectContaining({ user_id: 'u1', event: 'page_viewed', vendor_event: '[Amplitude] Page Viewed', insert_id: 'd1/i1', props: '{"[Amplitude] Page Path":"/"}' }),
      ]);
    });
  });
});

describe('mixpanel', () => {
  it('strips the $device: prefix, reads fractional seconds, and scopes $insert_id like Mixpanel', async () => {
    await withDb(async (db) => {
      const rows = await load(db, 'mixpanel', [
        { event: 'a', properties: { distinct_id: '$device:d9', time: 1714554000.5, $insert_id: 'k' } },
        { event: 'a', properties: { distinct_id: 'u1', time: 1714554000000, $insert_id: 'k' } },
        { event: 'b', properties: { distinct_id: 'u1', time: 1714554000, $insert_id: 'k' } },
        { event: 'a', properties: { distinct_id: 'u1', time: 1714554000999, $insert_id: 'k' } },
        { event: 'a', properties: { $device_id: 'd2', time: 1714554001 } },
        { event: 'a', properties: '{"distinct_id":"u2","time":1714554002}' },
      ]);
      expect(rows.map((r) => [r.user_id, r.event, r.t, r.insert_id])).toEqual([
        ['d9', 'a', '2024-05-01T09:00:00.500', 'a|$device:d9|1714554000|k'],
        ['u1', 'a', '2024-05-01T09:00:00.000', 'a|u1|1714554000|k'],
        ['u1', 'b', '2024-05-01T09:00:00.000', 'b|u1|1714554000|k'], // another event: not a duplicate
        ['u1', 'a', '2024-05-01T09:00:00.999', 'a|u1|1714554000|k'], // same second: a duplicate
        ['d2', 'a', '2024-05-01T09:00:01.000', null],
        ['u2', 'a', '2024-05-01T09:00:02.000', null],
      ]);
    });
  });
});

describe('posthog', () => {
  it('reads JSON-encoded properties, top-level set/set_once and array $groups; falls back to person_id', async () => {
    await withDb(async (db) => {
      const rows = await load(db, 'posthog', [
        {
          uuid: 'e1', event: 'clicked', distinct_id: 'u1', timestamp: '2024-05-01T11:00:00+02:00',
          properties: JSON.stringify({ $set: { plan: 'pro' }, $groups: { team: ['t1'] } }),
          person_properties: JSON.stringify({ plan: 'free', role: 'admin' }), set: { seats: 3 }, set_once: { ref: 'x' },
        },
        { uuid: 'e2', event: '$autocapture', person_id: 'p-9', timestamp: '2024-05-01T09:00:01Z', properties: {} },
        { uuid: 'e3', event: '$groupidentify', distinct_id: 'u1', timestamp: '2024-05-01T09:00:02Z', properties: { $group_type: 'team', $group_key: 't1', $group_set: { size: 4 } } },
        { uuid: 'e4', event: '$merge_dangerously', distinct_id: 'u1', timestamp: '2024-05-01T09:00:03Z', properties: { alias: 'u0' } },
      ]);
      expect(rows.map((r) => [r.user_id, r.event, r.t, r.internal, r.row_kind, r.up, r.upo, r.account_id, r.ap])).toEqual([
        ['u1', 'clicked', '2024-05-01T09:00:00.000', false, 'event', '{"role":"admin","plan":"pro","seats":3}', '{"ref":"x"}', 't1', null],
        ['p-9', '$autocapture', '2024-05-01T09:00:01.000', false, 'event', null, null, null, null],
        ['u1', '$groupidentify', '2024-05-01T09:00:02.000', true, 'group', null, null, 't1', '{"size":4}'],
        ['u1', '$merge_dangerously', '2024-05-01T09:00:03.000', true, 'alias', null, null, null, null],
      ]);
    });
  });

  it('reads a Parquet batch export (properties as JSON text, timestamps typed) like its JSON lines', async () => {
    const parquet = path.join(dir, 'posthog.parquet');
    await withDb(async (db) => {
      // PostHog's Parquet export: properties/person_properties as JSON-encoded strings, TIMESTAMP columns.
      await db.run(
        `COPY (SELECT uuid, event, distinct_id, person_id, CAST(properties AS VARCHAR) AS properties, ` +
          `CAST(person_properties AS VARCHAR) AS person_properties, elements_chain, ` +
          `CAST(replace(CAST("timestamp" AS VARCHAR), '+00:00', '') AS TIMESTAMP) AS "timestamp" ` +
          `FROM read_json(${quoteLiteral(fixture('posthog', 'events.jsonl'))}, format = 'newline_delimited', ` +
          `columns = {uuid: 'VARCHAR', event: 'VARCHAR', distinct_id: 'VARCHAR', person_id: 'VARCHAR', properties: 'JSON', ` +
          `person_properties: 'JSON', elements_chain: 'VARCHAR', "timestamp": 'VARCHAR'})) TO ${quoteLiteral(parquet)} (FORMAT parquet)`,
      );
      const cols = `user_id, event, ${TS_TEXT} AS t, insert_id, internal, CAST(user_props AS VARCHAR) AS up, account_id, problem`;
      await loadPresetEvents(db, getPreset('posthog'), [fixture('posthog', 'events.jsonl')], 'a');
      await loadPresetEvents(db, getPreset('posthog'), [parquet], 'b');
      const a = await db.all(`SELECT ${cols} FROM a ORDER BY line`);
      expect(a).toHaveLength(45);
      expect(await db.all(`SELECT ${cols} FROM b ORDER BY line`)).toEqual(a);
    });
  });
});

describe('ga4', () => {
  it('flattens params of every value type, and tolerates missing params and ids', async () => {
    await withDb(async (db) => {
      const v = (value: Record<string, unknown>) => ({ string_value: null, int_value: null, float_value: null, double_value: null, ...value });
      const rows = await load(db, 'ga4', [
        {
          event_timestamp: 1714554000123456, event_name: 'purchase', user_pseudo_id: 'p1', user_id: null,
          event_params: [
            { key: 's', value: v({ string_value: 'x' }) },
            { key: 'i', value: v({ int_value: '7' }) },
            { key: 'd', value: v({ double_value: 9.5 }) },
            { key: 'f', value: v({ float_value: 1.25 }) },
            { key: 'none', value: v({}) },
          ],
          user_properties: [{ key: 'tier', value: v({ string_value: 'gold', set_timestamp_micros: '1714554000000000' }) }],
          geo: { country: 'Japan' },
        },
        { event_timestamp: '1714554001000000', event_name: 'screen_view', user_id: 'u1', user_pseudo_id: 'p2' },
        { event_timestamp: '1714554002000000', event_name: 'scroll' },
      ]);
      expect(rows.map((r) => [r.user_id, r.event, r.t, r.props, r.up, r.problem])).toEqual([
        ['p1', 'purchase', '2024-05-01T09:00:00.123', '{"s":"x","i":"7","d":9.5,"f":1.25}', '{"geo_country":"Japan","tier":"gold"}', null],
        ['u1', 'screen_viewed', '2024-05-01T09:00:01.000', null, null, null],
        [null, 'scroll', '2024-05-01T09:00:02.000', null, null, 'user'],
      ]);
      expect(rows[0].insert_id).toBe('p1|1714554000123456|purchase');
    });
  });
});

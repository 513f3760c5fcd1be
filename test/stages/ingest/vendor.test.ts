/**
 * Vendor presets wired into ingest: each preset fixture (the same behaviour as plain.csv, in the
 * vendor's export shape, with its internal events, a re-delivered duplicate and odd fields)
 * goes through `ingest` and `buildFeatures` and gives plain.csv's per-user features, with every
 * row accounted for.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createContext, type Logger } from '../../../src/core/context.js';
import { openDb, type Db } from '../../../src/core/duckdb.js';
import { errors } from '../../../src/core/messages.js';
import { buildFeatures, type FeatureTable } from '../../../src/stages/features/index.js';
import { ingest } from '../../../src/stages/ingest/index.js';
import type { RowAccounting } from '../../../src/stages/ingest/types.js';
import type { PresetName } from '../../../src/stages/ingest/presets/index.js';
import { deepFreeze, expectCatalogError, makeConfig, tempDir } from './helpers.js';
import { fixture, folder } from './presets/helpers.js';

const NOW = new Date('2024-06-01T00:00:00Z');

let db: Db;
beforeEach(async () => {
  db = await openDb();
});
afterEach(() => db.close());

interface Case {
  readonly label: string;
  readonly preset: PresetName;
  readonly files: () => string[];
  readonly read: number;
  readonly setAside: number;
  readonly rejected: number;
  readonly asideWords: string;
}

const CASES: readonly Case[] = [
  { label: 'segment', preset: 'segment', files: () => [fixture('segment', 'messages.jsonl')], read: 42, setAside: 10, rejected: 1, asideWords: 'identify 6, group 3, alias 1' },
  { label: 'amplitude (folder of .json.gz)', preset: 'amplitude', files: () => [fixture('amplitude')], read: 37, setAside: 6, rejected: 0, asideWords: '$identify 2, [Amplitude] Application Opened 1, [Amplitude] Start Session 1, session_end 1, session_start 1' },
  { label: 'mixpanel', preset: 'mixpanel', files: () => [fixture('mixpanel', 'export.jsonl')], read: 37, setAside: 6, rejected: 0, asideWords: '$identify 4, $ae_session 1, $create_alias 1' },
  { label: 'posthog (JSON lines)', preset: 'posthog', files: () => [fixture('posthog', 'events.jsonl')], read: 45, setAside: 14, rejected: 0, asideWords: '$identify 4, $groupidentify 3, $feature_flag_called 2, $pageleave 2, $set 2, $web_vitals 1' },
  { label: 'posthog (CSV)', preset: 'posthog', files: () => [fixture('posthog-csv', 'events.csv')], read: 45, setAside: 14, rejected: 0, asideWords: '$identify 4, $groupidentify 3, $feature_flag_called 2, $pageleave 2, $set 2, $web_vitals 1' },
  { label: 'ga4', preset: 'ga4', files: () => [fixture('ga4', 'events_20240501.jsonl')], read: 44, setAside: 13, rejected: 0, asideWords: 'session_start 5, first_visit 4, user_engagement 3, first_open 1' },
];

function recorder(): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  return { lines, log: { stageStart: () => {}, stageEnd: () => {}, info: (m) => lines.push(m) } };
}

async function run(files: readonly string[], overrides: Parameters<typeof makeConfig>[1] = {}) {
  const config = makeConfig(files, { maxRejectRate: 0.05, ...overrides });
  const { log, lines } = recorder();
  const ctx = createContext(1, log);
  const ingested = deepFreeze(await ingest(db, config, ctx, { now: NOW }));
  const features = await buildFeatures(db, ingested, config, ctx);
  return { ingested, features, ctx, lines };
}

/** Behavioural features (every family but attributes) as plain rows, for comparing runs. */
function behaviour(table: FeatureTable): Record<string, unknown>[] {
  const cols = table.columns.filter((c) => c.family !== 'attribute');
  return table.userIds.map((u, i) =>
    Object.fromEntries([['user_id', u], ...cols.map((c) => [c.name, c.kind === 'categorical' ? c.values[i] : round(c.values[i])])]),
  );
}
const round = (v: number) => (Number.isNaN(v) ? 'NaN' : Number(v.toPrecision(12)));

const adds = (a: RowAccounting) => a.used + a.outOfWindow + a.duplicates + a.rejected + (a.setAside ?? 0);

describe.each(CASES)('preset $label through ingest and features', (c) => {
  it('gives the per-user features of the same events as plain CSV', async () => {
    const plain = await run([fixture('plain.csv')]);
    const vendor = await run(c.files(), { events: { preset: c.preset } });
    expect(behaviour(vendor.features)).toEqual(behaviour(plain.features));
    expect(vendor.ingested.window).toEqual(plain.ingested.window);
  });

  it('accounts for every row: read = used + out of window + duplicates + rejected + set aside', async () => {
    const { ingested, ctx } = await run(c.files(), { events: { preset: c.preset } });
    const [acc] = ingested.accounting;
    expect(acc).toMatchObject({ read: c.read, used: 30, outOfWindow: 0, duplicates: 1, rejected: c.rejected, setAside: c.setAside });
    expect(adds(acc)).toBe(acc.read);
    expect(ctx.warnings.find((w) => w.code === 'W_SET_ASIDE')?.message).toBe(
      `${c.setAside} of ${c.read} events are vendor-internal (${c.asideWords}) and were set aside, not counted as behaviour; ` +
        'set features.include_internal_events: true to count them',
    );
    expect(ctx.warnings.find((w) => w.code === 'W_DUPLICATES')?.message).toBe(`1 of ${c.read} events repeat an earlier event (the same event id, user, event and time); each was counted once`);
    expect(ingested.events!.mapping.preset).toBe(c.preset);
  });

  it('is recognised without a preset and logs which one it used', async () => {
    const { features, lines } = await run(c.files());
    const explicit = await run(c.files(), { events: { preset: c.preset } });
    expect(lines[0]).toBe(
      `events: recognised the ${c.preset} export shape, reading them with the ${c.preset} preset (set source.preset: ${c.preset} to say so)`,
    );
    expect(behaviour(features)).toEqual(behaviour(explicit.features));
  });

  it('counts internal events as behaviour when include_internal_events is on', async () => {
    const { ingested } = await run(c.files(), { events: { preset: c.preset }, features: { includeInternalEvents: true } });
    const [acc] = ingested.accounting;
    expect(acc).toMatchObject({ used: 30 + c.setAside, setAside: 0, duplicates: 1 });
    expect(adds(acc)).toBe(acc.read);
  });
});

describe('user and account properties carried by events', () => {
  it('become typed attributes, latest value per user, when no users table is given', async () => {
    const { ingested, features } = await run([fixture('posthog', 'events.jsonl')], { events: { preset: 'posthog' } });
    expect(ingested.users).toMatchObject({ table: 'users', rows: 5, key: 'user_id', accountKey: 'account_id', source: 'events' });
    expect(ingested.users!.attributes).toEqual([
      { column: 'country', type: 'VARCHAR' },
      { column: 'device_os', type: 'VARCHAR' },
      { column: 'geo_country', type: 'VARCHAR' },
      { column: 'initial_referrer', type: 'VARCHAR' },
      { column: 'plan', type: 'VARCHAR' },
      { column: 'role', type: 'VARCHAR' },
      { column: 'seats', type: 'DOUBLE' },
    ]);
    expect(ingested.accounts).toMatchObject({ rows: 2, source: 'events' });
    expect(ingested.accounts!.excluded).toEqual([{ column: 'name', reason: 'personal data or free text' }]);
    const col = (name: string) => Array.from(features.columns.find((c) => c.name === name)!.values as ArrayLike<unknown>);
    expect(features.userIds).toEqual(['anon-7f3a', 'u_alice', 'u_bob', 'u_chen', 'u_dana']);
    expect(col('attr_plan')).toEqual([null, 'pro', 'free', 'team', 'free']);
    expect(col('attr_seats')).toEqual([NaN, NaN, NaN, 12, NaN]);
    expect(col('attr_account_industry')).toEqual([null, 'retail', 'retail', 'energy', null]);
    // Users have no "users table" row to miss: no unmatched-users warning.
    expect(features.columns.filter((c) => c.family === 'attribute').map((c) => c.name)).toContain('attr_account_employees');
  });

  it('leave personal data out (Segment traits.address)', async () => {
    const { ingested } = await run([fixture('segment', 'messages.jsonl')], { events: { preset: 'segment' } });
    expect(ingested.users!.excluded).toEqual([{ column: 'address', reason: 'personal data or free text' }]);
  });

  it('are not used when a users table is given', async () => {
    const { ingested } = await run([fixture('posthog', 'events.jsonl')], {
      events: { preset: 'posthog' },
      users: { paths: [fixture('plain.csv')], key: 'user_id', exclude: [], accountKey: null },
    });
    expect(ingested.users!.source).toBe('table');
  });
});

describe('preset rejects', () => {
  it('quote the raw row, its file and line, and say which fields were missing', async () => {
    const { ingested } = await run([fixture('segment', 'messages.jsonl')], { events: { preset: 'segment' } });
    expect(ingested.rejects).toEqual([
      {
        file: fixture('segment', 'messages.jsonl'),
        line: 42,
        value: '{"type":"track","event":"orphan_event","messageId":"ajs-next-orphan","timestamp":"2024-05-01T10:58:00.000Z","properties":{}}',
        reason: 'missing user id (no userId or anonymousId)',
      },
    ]);
  });

  it('keep their real line numbers past blank lines', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const file = path.join(dir, 'messages.jsonl');
      const track = (id: string, user: string | null) =>
        JSON.stringify({ type: 'track', event: 'clicked', userId: user, messageId: id, timestamp: '2024-05-01T10:00:00Z' });
      await writeFile(file, [track('m1', 'u1'), '', '', track('m2', null), '', track('m3', 'u2'), ''].join('\n') + '\n');
      const { ingested } = await run([file], { events: { preset: 'segment' }, maxRejectRate: 1 });
      expect(ingested.rejects.map((r) => [r.line, r.reason])).toEqual([[4, 'missing user id (no userId or anonymousId)']]);
      expect(ingested.accounting[0]).toMatchObject({ read: 3, used: 2, rejected: 1 });
    } finally {
      await cleanup();
    }
  });

  it('a file that is not the configured vendor\'s export is a one-line error naming the right preset', async () => {
    const file = fixture('mixpanel', 'export.jsonl');
    await expectCatalogError(
      ingest(db, makeConfig([file], { events: { preset: 'amplitude' } }), createContext(1), { now: NOW }),
      errors.presetShapeMismatch(file, 'amplitude', ['event_type', 'user_id or device_id', 'event_time or client_event_time'], ['event', 'properties'], 'mixpanel'),
    );
  });
});

describe('plain files are never mistaken for a vendor export', () => {
  it('plain.csv is read as plain columns', async () => {
    const { ingested, lines } = await run([fixture('plain.csv')]);
    expect(ingested.events!.mapping.preset).toBeUndefined();
    expect(ingested.accounting[0].setAside).toBeUndefined();
    expect(lines.some((l) => l.includes('preset'))).toBe(false);
  });

  it('configured columns turn detection off', async () => {
    const file = fixture('posthog', 'events.jsonl');
    const { ingested } = await run([file], { columns: { userId: 'distinct_id' }, maxRejectRate: 1 });
    expect(ingested.events!.mapping).toMatchObject({ userId: 'distinct_id', event: 'event', timestamp: 'timestamp' });
    expect(ingested.events!.mapping.preset).toBeUndefined();
  });
});

describe('determinism', () => {
  it('the same export ingested twice gives the same result, tables and features', async () => {
    const files = [fixture('posthog', 'events.jsonl')];
    const dump = async () => JSON.stringify(await db.all(`SELECT user_id, event, CAST(ts AS VARCHAR) AS ts FROM events`));
    const a = await run(files);
    const eventsA = await dump();
    const usersA = JSON.stringify(await db.all('SELECT * FROM users'));
    const b = await run(files);
    expect(b.ingested).toEqual(a.ingested);
    expect(await dump()).toBe(eventsA);
    expect(JSON.stringify(await db.all('SELECT * FROM users'))).toBe(usersA);
    expect(behaviour(b.features)).toEqual(behaviour(a.features));
  });
});

// `folder` lists a fixture folder the way ingest does; the amplitude case relies on that order.
it('the amplitude folder holds two hourly files', () => {
  expect(folder('amplitude').length).toBe(2);
});

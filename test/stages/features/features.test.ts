import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../../helpers/cli.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createContext } from '../../../src/core/context.js';
import { openDb, type Db } from '../../../src/core/duckdb.js';
import { errors } from '../../../src/core/messages.js';
import { buildFeatures, type Feature, type FeatureTable } from '../../../src/stages/features/index.js';
import { ingest } from '../../../src/stages/ingest/index.js';
import { INGESTED_TABLES, featuresQuery, windowEndLiteral } from '../../../src/ruleset/definitions.js';
import { opsFor } from '../../../src/ruleset/dialect.js';
import { deepFreeze, expectCatalogError, fixture, makeConfig } from '../ingest/helpers.js';

let db: Db;
beforeEach(async () => {
  db = await openDb();
});
afterEach(() => db.close());

const column = (table: FeatureTable, name: string): Feature => {
  const c = table.columns.find((f) => f.name === name);
  if (!c) throw new Error(`no feature ${name}; have ${table.columns.map((f) => f.name).join(', ')}`);
  return c;
};
const values = (table: FeatureTable, name: string): (number | string | null)[] =>
  Array.from(column(table, name).values as ArrayLike<number | string | null>);

async function build(config = makeConfig([fixture('basic.csv')])) {
  const ctx = createContext(1);
  const ingested = deepFreeze(await ingest(db, config, ctx));
  const table = await buildFeatures(db, ingested, config, ctx);
  return { table, ingested, ctx };
}

describe('buildFeatures: behaviour on a hand-computed case', () => {
  // basic.csv, window end = latest event 2024-05-10T12:00Z, 30 days, gap 30 min, top 2 events, trend 7 days.
  // a: 05-01 08:00 login, 08:10 view, 08:40 view (gap of exactly 30 min: same session), 09:20 export
  //    (gap 40: new session), 05-04 (Sat) 20:00 view; its 04-01 login is outside the window.
  // b: 05-02 01:00 login, 05-09 13:00 view.   c: 05-10 (Fri) 12:00 login.
  it('gives the exact values per user', async () => {
    const { table } = await build();
    expect(table.userIds).toEqual(['a', 'b', 'c']);
    const expected: Record<string, (number | null)[]> = {
      events: [5, 2, 1],
      active_days: [2, 2, 1],
      sessions: [3, 2, 1],
      events_per_session: [5 / 3, 1, 1],
      avg_session_minutes: [40 / 3, 0, 0],
      days_since_last_event: [5, 0, 0],
      days_since_first_event: [9, 8, 0],
      active_day_share: [2 / 10, 2 / 9, 1],
      mean_days_between_active_days: [3, 7, NaN],
      // a: 5 days silent / a usual gap of 3; c (one active day): 0 / (0 days since first + 1).
      recency_in_usual_gaps: [5 / 3, 0, 0],
      count__view: [3, 1, 0],
      share__view: [3 / 5, 1 / 2, 0],
      count__login: [1, 1, 1],
      share__login: [1 / 5, 1 / 2, 1],
      count__other: [1, 0, 0],
      share__other: [1 / 5, 0, 0],
      distinct_event_types: [3, 2, 1],
      hour_night_share: [0, 1 / 2, 0],
      hour_morning_share: [4 / 5, 0, 0],
      hour_afternoon_share: [0, 1 / 2, 1],
      hour_evening_share: [1 / 5, 0, 0],
      weekend_share: [1 / 5, 0, 0],
      trend_recent_share: [1 / 5, 1 / 2, 1],
    };
    expect(table.columns.map((c) => c.name)).toEqual(Object.keys(expected));
    for (const [name, want] of Object.entries(expected)) {
      const got = values(table, name) as number[];
      want.forEach((w, i) => {
        if (Number.isNaN(w)) expect(got[i], `${name}[${i}]`).toBeNaN();
        else expect(got[i], `${name}[${i}]`).toBeCloseTo(w as number, 12);
      });
    }
  });

  it('labels, families and integer flags', async () => {
    const { table } = await build();
    expect(table.columns.slice(0, 3).map((c) => [c.name, c.family, c.label])).toEqual([
      ['events', 'volume', 'events'],
      ['active_days', 'volume', 'active days'],
      ['sessions', 'sessions', 'sessions'],
    ]);
    const integers = table.columns.filter((c) => c.kind === 'numeric' && c.integer).map((c) => c.name);
    expect(integers).toEqual([
      'events', 'active_days', 'sessions', 'days_since_last_event', 'days_since_first_event',
      'count__view', 'count__login', 'count__other', 'distinct_event_types',
    ]);
    expect(column(table, 'share__view').label).toBe('share of "view"');
    expect(column(table, 'share__other').label).toBe('share of other events');
    expect(column(table, 'trend_recent_share').label).toBe('share of events in the last 7 days');
    for (const c of table.columns) expect(c.values).toBeInstanceOf(Float64Array);
  });

  it('writes the same values to the features table, ordered by user_id', async () => {
    const { table } = await build();
    const cols = await db.columns('SELECT * FROM features');
    expect([...cols.keys()]).toEqual(['user_id', ...table.columns.map((c) => c.name)]);
    expect(cols.get('user_id')).toEqual(table.userIds);
    for (const c of table.columns) {
      const sql = (cols.get(c.name) ?? []).map((v) => (v === null ? NaN : Number(v)));
      expect(sql, c.name).toEqual(Array.from(c.values as ArrayLike<number>));
    }
  });

  it('splits sessions by the configured gap', async () => {
    const { table } = await build(makeConfig([fixture('basic.csv')], { features: { sessionGapMinutes: 45 } }));
    expect(values(table, 'sessions')).toEqual([2, 2, 1]);
    expect(values(table, 'avg_session_minutes')[0]).toBeCloseTo((80 + 0) / 2, 12);
  });

  it('omits "other" when the top events cover every type', async () => {
    const { table } = await build(makeConfig([fixture('basic.csv')], { features: { topEvents: 5 } }));
    expect(table.columns.filter((c) => c.family === 'event_mix').map((c) => c.name)).toEqual([
      'count__view', 'share__view', 'count__login', 'share__login', 'count__export', 'share__export',
    ]);
  });

  it('is deterministic and leaves its inputs untouched', async () => {
    const config = makeConfig([fixture('basic.csv')]);
    const { table, ingested } = await build(config);
    const before = JSON.stringify(ingested);
    const again = await buildFeatures(db, ingested, config, createContext(1));
    expect(again).toEqual(table);
    expect(JSON.stringify(ingested)).toBe(before);
    expect(await db.all('SELECT count(*) AS n FROM events')).toEqual([{ n: 8 }]);
  });

  it('fails with noUsers when no event falls inside the window', async () => {
    const config = makeConfig([fixture('basic.csv')], { window: { days: 7, end: '2020-01-01' } });
    const ingested = await ingest(db, config, createContext(1));
    await expectCatalogError(buildFeatures(db, ingested, config, createContext(1)), errors.noUsers());
  });
});

describe('buildFeatures: event names from the data', () => {
  it('makes safe unique column names and keeps the original name in the label', async () => {
    const { table } = await build(makeConfig([fixture('unsafe.jsonl')], { features: { topEvents: 5 } }));
    const mix = table.columns.filter((c) => c.family === 'event_mix' && c.name.startsWith('count__'));
    // All five have one event; ties go by name in byte order.
    expect(mix.map((c) => [c.name, c.label])).toEqual([
      ['count__script_alert_1_script', 'count of "<script>alert(1)</script>"'],
      ['count__a_b', 'count of "a,b"'],
      ['count__cafe', 'count of "café ☕ 日本"'],
      ['count__say_hi_it_s', 'count of "say "hi" it\'s"'],
      ['count__event', 'count of "日本"'],
    ]);
    for (const c of table.columns) expect(c.name).toMatch(/^[a-z0-9_]+$/);
    expect(table.userIds).toEqual(["u'; DROP TABLE events; --", 'u1', 'u2']);
    expect(values(table, 'count__script_alert_1_script')).toEqual([0, 1, 0]);
    expect(values(table, 'count__event')).toEqual([0, 0, 1]);
  });
});

describe('buildFeatures: attributes', () => {
  const withTables = () =>
    makeConfig([fixture('basic.csv')], {
      users: { paths: [fixture('users.csv')], key: null, exclude: [], accountKey: null },
      accounts: { paths: [fixture('accounts.csv')], key: null, exclude: [] },
      maxRejectRate: 0.25,
    });

  it('joins user and account attributes; dates become ages in days at the window end', async () => {
    const { table, ctx } = await build(withTables());
    const attrs = table.columns.filter((c) => c.family === 'attribute');
    expect(attrs.map((c) => [c.name, c.kind, c.label])).toEqual([
      ['attr_plan', 'categorical', 'plan'],
      ['attr_seats', 'numeric', 'seats'],
      ['attr_is_paying', 'boolean', 'is_paying'],
      ['attr_signup_date_age_days', 'numeric', 'days since signup_date'],
      ['attr_account_industry', 'categorical', 'account industry'],
      ['attr_account_employees', 'numeric', 'account employees'],
      ['attr_account_enterprise', 'boolean', 'account enterprise'],
      ['attr_account_founded_age_days', 'numeric', 'days since account founded'],
    ]);
    // users: a (acc1), b (acc2); c has no users row → NULL / NaN everywhere.
    expect(values(table, 'attr_plan')).toEqual(['pro', 'free', null]);
    expect(values(table, 'attr_seats')).toEqual([5, 1, NaN]);
    expect(values(table, 'attr_is_paying')).toEqual([1, 0, NaN]);
    expect(values(table, 'attr_signup_date_age_days')).toEqual([30, 9, NaN]);
    expect(values(table, 'attr_account_industry')).toEqual(['saas', 'retail', null]);
    expect(values(table, 'attr_account_employees')).toEqual([120, 15, NaN]);
    expect(values(table, 'attr_account_enterprise')).toEqual([1, 0, NaN]);
    // acc1 founded 2010-06-01, acc2 2018-01-15; window end day 2024-05-10.
    expect(values(table, 'attr_account_founded_age_days')).toEqual([5092, 2307, NaN]);
    const integer = (name: string) => (column(table, name) as { integer?: boolean }).integer;
    expect(integer('attr_seats')).toBe(false); // d has 2.5 seats
    expect(integer('attr_account_employees')).toBe(true);
    expect(ctx.warnings.filter((w) => w.stage === 'features')).toEqual([
      {
        code: 'W_UNMATCHED_USERS',
        stage: 'features',
        message: '1 of 3 users with events have no row in the users table; their user attributes are empty',
      },
    ]);
  });

  it('says when users without a row differ from one only in case (ids are compared exactly)', async () => {
    // users.csv with C for c: the events' c has no row, but one differs only in case.
    const users = join(tempDir(), 'users.csv');
    writeFileSync(users, readFileSync(fixture('users.csv'), 'utf8').replace('d,acc3,', 'C,acc3,'));
    const config = makeConfig([fixture('basic.csv')], { users: { paths: [users], key: null, exclude: [], accountKey: null }, maxRejectRate: 0.25 });
    const { table, ctx } = await build(config);
    expect(values(table, 'attr_plan')).toEqual(['pro', 'free', null]);
    expect(ctx.warnings.filter((w) => w.code === 'W_UNMATCHED_USERS').map((w) => w.message)).toEqual([
      '1 of 3 users with events have no row in the users table; their user attributes are empty; 1 of them differ from a users row only in case ' +
        '(e.g. "c" in the events, "C" in the users table): ids are compared exactly, so make their case agree at the source',
    ]);
  });
});

describe('buildFeatures: share of events on peak days', () => {
  // Distinct users per day: one on 06-01 … 06-04 (u1) and 06-06 … 06-10 (u2), six on 06-05 (a
  // sale day: u1–u6). 06-05 has at least twice the users of every other day within a week of it
  // (nine days); no other day has twice the users of any day.
  const rows = [
    'user_id,event,timestamp',
    ...['01', '02', '03', '04'].map((d) => `u1,view,2024-06-${d}T10:00:00Z`),
    ...['06', '07', '08', '09', '10'].map((d) => `u2,view,2024-06-${d}T10:00:00Z`),
    ...['u1', 'u2', 'u3', 'u4', 'u5', 'u6'].map((u) => `${u},buy,2024-06-05T10:00:00Z`),
    'u6,buy,2024-06-05T12:00:00Z',
  ];
  const write = (lines: readonly string[]) => {
    const file = join(tempDir(), 'events.csv');
    writeFileSync(file, lines.join('\n') + '\n');
    return makeConfig([file], { window: { days: 30 } });
  };

  it('is the share of each user\'s events on days with twice the active users of most days around them', async () => {
    const { table, ingested } = await build(write(rows));
    expect(table.userIds).toEqual(['u1', 'u2', 'u3', 'u4', 'u5', 'u6']);
    expect(values(table, 'peak_day_share')).toEqual([1 / 5, 1 / 6, 1, 1, 1, 1]);
    expect(table.peakDays).toEqual(['2024-06-05']);
    expect(column(table, 'peak_day_share')).toMatchObject({ family: 'time', label: 'share of events on peak days (days with twice the active users of the week around)' });
    // The definition a promoted rule recomputes it by gives the same values.
    const sql = featuresQuery([{ name: 'p', meaning: { kind: 'peakDayShare' } }], { ops: opsFor('duckdb'), tables: INGESTED_TABLES, windowDays: 30, asOf: windowEndLiteral(ingested.window) });
    expect((await db.all<{ user_id: string; p: number }>(sql)).map((r) => r.p)).toEqual([1 / 5, 1 / 6, 1, 1, 1, 1]);
  });

  it('is no feature on a log without a peak day, unless asked for (scoring against a run that has it)', async () => {
    // Without the sale day no day has twice the users of another; nor does a steady climb to
    // four times the first week's users (a growing product).
    const config = write(rows.filter((r) => !r.includes('2024-06-05')));
    const { table } = await build(config);
    expect(table.columns.map((c) => c.name)).not.toContain('peak_day_share');
    expect(table.peakDays).toBeUndefined();
    const ctx = createContext(1);
    const forced = await buildFeatures(db, await ingest(db, config, ctx), config, ctx, { peakDayShare: true });
    expect(values(forced, 'peak_day_share')).toEqual([0, 0]);
    const growing = ['user_id,event,timestamp'];
    for (let day = 1; day <= 28; day++) {
      for (let u = 0; u < Math.ceil(day / 7); u++) growing.push(`g${u},view,2024-06-${String(day).padStart(2, '0')}T10:00:00Z`);
    }
    expect((await build(write(growing))).table.columns.map((c) => c.name)).not.toContain('peak_day_share');
  });
});

/** Value features (sum / mean / max of a product of numeric event columns) and attribute-only runs. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createContext } from '../../../src/core/context.js';
import { openDb, type Db } from '../../../src/core/duckdb.js';
import { buildFeatures, type FeatureTable } from '../../../src/stages/features/index.js';
import { ingest } from '../../../src/stages/ingest/index.js';
import { deepFreeze, fixture, makeConfig } from '../ingest/helpers.js';

let db: Db;
beforeEach(async () => {
  db = await openDb();
});
afterEach(() => db.close());

const NOW = new Date('2024-06-01T12:00:00Z');
const values = (t: FeatureTable, name: string) => Array.from(t.columns.find((c) => c.name === name)!.values as ArrayLike<unknown>);

describe('value features', () => {
  it('revenue = Quantity × UnitPrice: sum, mean and max per user, labelled, in family value', async () => {
    const config = makeConfig([fixture('orders.csv')], {
      maxRejectRate: 0.5,
      events: {
        eventName: 'purchase',
        eventCases: [{ column: 'InvoiceNo', startsWith: 'C', equals: null, negative: false, event: 'cancellation' }],
      },
      features: { values: [{ name: 'revenue', columns: ['Quantity', 'UnitPrice'], aggregates: ['sum', 'mean', 'max'] }] },
    });
    const ctx = createContext(1);
    const table = await buildFeatures(db, deepFreeze(await ingest(db, config, ctx, { now: NOW })), config, ctx);
    expect(table.userIds).toEqual(['14527', '15311', '17850']);
    const value = table.columns.filter((c) => c.family === 'value');
    expect(value.map((c) => [c.name, c.label, c.kind])).toEqual([
      ['value_revenue_sum', 'total revenue (Quantity × UnitPrice)', 'numeric'],
      ['value_revenue_mean', 'mean revenue per event with revenue (Quantity × UnitPrice)', 'numeric'],
      ['value_revenue_max', 'largest revenue in one event (Quantity × UnitPrice)', 'numeric'],
    ]);
    // 14527: a cancellation (-1 × 27.50) and a purchase (1 × 0). 15311: 1 × 12.75 and an empty
    // quantity (no value). 17850: 6 × 2.55 + 6 × 3.39.
    const close = (got: unknown[], want: number[]) => want.forEach((w, i) => expect(got[i] as number).toBeCloseTo(w, 10));
    close(values(table, 'value_revenue_sum'), [-27.5, 12.75, 35.64]);
    close(values(table, 'value_revenue_mean'), [-13.75, 12.75, 17.82]);
    close(values(table, 'value_revenue_max'), [0, 12.75, 20.34]);
    expect(values(table, 'count__cancellation')).toEqual([1, 0, 0]);
    // Value features come after the behavioural ones.
    const names = table.columns.map((c) => c.name);
    expect(names.indexOf('value_revenue_sum')).toBe(names.indexOf('trend_recent_share') + 1);
  });

  it('a user none of whose events carry the value has sum 0, mean and max missing', async () => {
    const config = makeConfig([fixture('orders.csv')], {
      maxRejectRate: 0.5,
      events: { eventName: 'purchase' },
      features: { values: [{ name: 'qty', columns: ['Quantity'], aggregates: ['sum', 'mean'] }] },
    });
    const ctx = createContext(1);
    const ingested = await ingest(db, config, ctx, { now: NOW });
    // Blank every quantity of 15311: a copy with the blanks, shown as `events` by a temp view
    // (`events` may itself be a view of the staged rows, which cannot be updated).
    await db.run(`CREATE TEMP TABLE blanked AS SELECT * REPLACE (CASE WHEN user_id = '15311' THEN NULL ELSE "Quantity" END AS "Quantity") FROM events`);
    await db.run(`CREATE OR REPLACE TEMP VIEW events AS SELECT * FROM blanked`);
    const table = await buildFeatures(db, ingested, config, ctx);
    expect(values(table, 'value_qty_sum')).toEqual([0, 0, 12]);
    expect(values(table, 'value_qty_mean')).toEqual([0, NaN, 6]);
  });
});

describe('attribute-only runs', () => {
  const wholesale = fixture('wholesale-customers.csv');
  const usersOnly = (extra: Partial<Parameters<typeof makeConfig>[1]> = {}) =>
    makeConfig(null, { users: { paths: [wholesale], key: null, exclude: [], accountKey: null }, ...extra });

  it('segment a per-customer table alone: one row per customer, its columns as features', async () => {
    const config = usersOnly();
    const ctx = createContext(1);
    const ingested = deepFreeze(await ingest(db, config, ctx, { now: NOW }));
    expect(ingested.events).toBeNull();
    expect(ingested.accounting).toEqual([
      { role: 'users', files: [wholesale], read: 440, used: 440, outOfWindow: 0, duplicates: 0, rejected: 0 },
    ]);
    expect(ingested.users).toMatchObject({ rows: 440, key: 'CustomerId', source: 'table' });
    // No dates: the window ends at the start of the run's day.
    expect(ingested.window).toEqual({ start: '2024-05-02T00:00:00Z', end: '2024-06-01T00:00:00Z', days: 30 });
    const table = await buildFeatures(db, ingested, config, ctx);
    expect(table.userIds.length).toBe(440);
    // Channel (1–2) and Region (1–3) are integer codes: categories, and the warning says so.
    expect(table.columns.map((c) => [c.name, c.family, c.kind])).toEqual([
      ...['channel', 'region'].map((n) => [`attr_${n}`, 'attribute', 'categorical']),
      ...['fresh', 'milk', 'grocery', 'frozen', 'detergents_paper', 'delicassen'].map((n) => [`attr_${n}`, 'attribute', 'numeric']),
    ]);
    // Customer "1" (first by byte order): Channel 2, Region 3, Fresh 12669.
    expect(table.userIds[0]).toBe('1');
    expect(values(table, 'attr_fresh')[0]).toBe(12669);
    expect(ctx.warnings.map((w) => w.code)).toEqual(['W_COLUMN_TYPES']);
    expect(ctx.warnings[0].message).toBe(
      'users columns read as categories (integer codes): Channel (whole numbers 1–2, 2 distinct), Region (whole numbers 1–3, 3 distinct); to decide yourself, set inputs.users.types, e.g. { Channel: number }',
    );
  });

  it('dates in the attribute tables anchor the window (ages in days at the latest date)', async () => {
    const config = makeConfig(null, { users: { paths: [fixture('users.csv')], key: null, exclude: [], accountKey: null }, maxRejectRate: 0.5 });
    const ctx = createContext(1);
    const ingested = await ingest(db, config, ctx, { now: NOW });
    expect(ingested.window.end).toBe('2024-05-01T23:59:59.999999Z');
    const table = await buildFeatures(db, ingested, config, ctx);
    expect(values(table, 'attr_signup_date_age_days')).toEqual([21, 0, 90]);
  });

  it('window.end is honoured when given', async () => {
    const ingested = await ingest(db, usersOnly({ window: { end: '2024-01-31' } }), createContext(1), { now: NOW });
    expect(ingested.window.end).toBe('2024-01-31T23:59:59.999999Z');
  });
});

/**
 * Config-driven event settings: a constant event name for order logs, event cases renaming
 * matching rows, value columns carried into `events`, and the event id column.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EventCase } from '../../../src/config/types.js';
import { createContext } from '../../../src/core/context.js';
import type { Db } from '../../../src/core/duckdb.js';
import { errors } from '../../../src/core/messages.js';
import { ingest } from '../../../src/stages/ingest/index.js';
import { expectCatalogError, fixture, makeConfig, useDbAndDir } from './helpers.js';
import { fixture as presetFixture } from './presets/helpers.js';

let db: Db;
let dir: string;
useDbAndDir('each', { db: (d) => (db = d), dir: (d) => (dir = d) });

const NOW = new Date('2024-06-01T00:00:00Z');
const ORDERS = fixture('orders.csv');
const REVENUE = { name: 'revenue', columns: ['Quantity', 'UnitPrice'], aggregates: ['sum', 'mean', 'max'] as const };
const cancellation = (test: Partial<EventCase>): EventCase => ({ column: 'InvoiceNo', startsWith: null, equals: null, negative: false, event: 'cancellation', ...test });

function ordersConfig(cases: readonly EventCase[] = [cancellation({ startsWith: 'C' })]) {
  return makeConfig([ORDERS], {
    maxRejectRate: 0.5,
    events: { eventName: 'purchase', eventCases: cases },
    features: { values: [REVENUE] },
  });
}

describe('an order log (Online Retail shape)', () => {
  it('gets a constant event name, cancellations by invoice prefix, and the value columns as DOUBLE', async () => {
    const result = await ingest(db, ordersConfig(), createContext(1), { now: NOW });
    expect(result.events!.mapping).toEqual({
      userId: 'CustomerID',
      event: '(constant "purchase")',
      timestamp: 'InvoiceDate',
      timestampFormat: 'iso',
      eventId: null,
    });
    expect(result.events!.valueColumns).toEqual(['Quantity', 'UnitPrice']);
    const cols = await db.all(`SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'events' ORDER BY ordinal_position`);
    expect(cols.map((c) => `${c.column_name}:${c.data_type}`)).toEqual(['user_id:VARCHAR', 'event:VARCHAR', 'ts:TIMESTAMP', 'Quantity:DOUBLE', 'UnitPrice:DOUBLE']);
    expect(await db.all('SELECT user_id, event, "Quantity" AS q, "UnitPrice" AS p FROM events')).toEqual([
      { user_id: '17850', event: 'purchase', q: 6, p: 2.55 },
      { user_id: '17850', event: 'purchase', q: 6, p: 3.39 },
      { user_id: '14527', event: 'cancellation', q: -1, p: 27.5 },
      { user_id: '15311', event: 'purchase', q: 1, p: 12.75 },
      // An empty quantity is no value (NULL), not a reject.
      { user_id: '15311', event: 'purchase', q: null, p: 12.75 },
      { user_id: '14527', event: 'purchase', q: 1, p: 0 },
    ]);
  });

  it('rejects rows without a customer id and non-numeric values, with clear reasons', async () => {
    const result = await ingest(db, ordersConfig(), createContext(1), { now: NOW });
    expect(result.rejects).toEqual([
      { file: ORDERS, line: 5, value: 'NA', reason: 'missing user id (column "CustomerID" holds a missing-value marker like NA or null)' },
      { file: ORDERS, line: 6, value: 'two', reason: 'non-numeric value (column "Quantity", used by a value feature)' },
    ]);
    const [a] = result.accounting;
    expect(a).toEqual({ role: 'events', files: [ORDERS], read: 8, used: 6, outOfWindow: 0, duplicates: 0, rejected: 2 });
  });

  it('event cases: equals and negative tests, first match wins', async () => {
    const cases = [
      cancellation({ column: 'StockCode', equals: 'M', event: 'manual' }),
      cancellation({ column: 'Quantity', negative: true, event: 'return' }),
      cancellation({ startsWith: 'C' }), // never reached for the C invoice: its quantity is negative
    ];
    await ingest(db, ordersConfig(cases), createContext(1), { now: NOW });
    const events = await db.all<{ event: string }>('SELECT event FROM events');
    expect(events.map((e) => e.event)).toEqual(['purchase', 'purchase', 'return', 'purchase', 'purchase', 'manual']);
  });

  it('quotes event case values and names: quotes and SQL stay data', async () => {
    const file = path.join(dir, 'quotes.csv');
    await writeFile(file, `user_id,timestamp,kind\nu1,2024-05-01T10:00:00Z,O'Brien\nu2,2024-05-01T11:00:00Z,x'); DROP TABLE events; --\n`);
    const config = makeConfig([file], {
      events: {
        eventName: 'visit',
        eventCases: [
          { column: 'kind', startsWith: null, equals: "O'Brien", negative: false, event: `it's "quoted"` },
          { column: 'kind', startsWith: "x');", equals: null, negative: false, event: 'x' },
        ],
      },
    });
    await ingest(db, config, createContext(1), { now: NOW });
    expect(await db.all('SELECT user_id, event FROM events')).toEqual([
      { user_id: 'u1', event: `it's "quoted"` },
      { user_id: 'u2', event: 'x' },
    ]);
  });

  it('a configured event column wins over the constant name, which fills its blanks', async () => {
    const file = path.join(dir, 'blanks.csv');
    await writeFile(file, 'user_id,timestamp,action\nu1,2024-05-01T10:00:00Z,open\nu2,2024-05-01T11:00:00Z,\n');
    const config = makeConfig([file], { columns: { event: 'action' }, events: { eventName: 'unknown' } });
    const result = await ingest(db, config, createContext(1), { now: NOW });
    expect(result.events!.mapping.event).toBe('action');
    expect(await db.all('SELECT event FROM events')).toEqual([{ event: 'open' }, { event: 'unknown' }]);
  });
});

describe('value and event id columns', () => {
  it('a value column missing from the file is a one-line error naming it', async () => {
    const file = fixture('basic.csv');
    const config = makeConfig([file], { features: { values: [{ name: 'revenue', columns: ['amount'], aggregates: ['sum'] }] } });
    await expectCatalogError(
      ingest(db, config, createContext(1), { now: NOW }),
      errors.configuredColumnMissing(file, 'value', 'amount', ['user_id', 'event', 'timestamp']),
    );
  });

  it('a value column may not be named like an events column', async () => {
    const config = makeConfig([fixture('basic.csv')], { features: { values: [{ name: 'x', columns: ['ts'], aggregates: ['sum'] }] } });
    await expectCatalogError(
      ingest(db, config, createContext(1), { now: NOW }),
      errors.configInvalid('config', 'features.values[0].columns', 'numeric event columns (not user_id, event or ts)', 'ts'),
    );
  });

  it('infinite or NaN-like values are rejected, missing-value words are no value', async () => {
    const file = path.join(dir, 'inf.csv');
    await writeFile(file, 'user_id,event,timestamp,amount\nu1,a,2024-05-01T10:00:00Z,inf\nu1,a,2024-05-01T10:01:00Z,NaN\nu1,a,2024-05-01T10:02:00Z,1e3\n');
    const config = makeConfig([file], { maxRejectRate: 1, features: { values: [{ name: 'amount', columns: ['amount'], aggregates: ['sum'] }] } });
    const result = await ingest(db, config, createContext(1), { now: NOW });
    expect(result.rejects.map((r) => [r.line, r.value, r.reason])).toEqual([[2, 'inf', 'infinite or out-of-range number (column "amount", used by a value feature)']]);
    expect(await db.all('SELECT amount FROM events')).toEqual([{ amount: null }, { amount: 1000 }]);
  });

  it('a configured event id column drops repeated deliveries', async () => {
    const file = path.join(dir, 'ids.csv');
    await writeFile(file, 'user_id,event,timestamp,delivery\nu1,a,2024-05-01T10:00:00Z,d1\nu1,a,2024-05-01T10:00:00Z,d1\nu1,b,2024-05-01T10:01:00Z,d2\n');
    const result = await ingest(db, makeConfig([file], { columns: { eventId: 'delivery' } }), createContext(1), { now: NOW });
    expect(result.events!.mapping.eventId).toBe('delivery');
    expect(result.accounting[0]).toMatchObject({ read: 3, used: 2, duplicates: 1 });
  });

  it('with a preset, value columns are event property keys', async () => {
    const config = makeConfig([presetFixture('segment', 'messages.jsonl')], {
      maxRejectRate: 0.05,
      events: { preset: 'segment' },
      features: { values: [{ name: 'subscription', columns: ['value'], aggregates: ['sum'] }] },
    });
    await ingest(db, config, createContext(1), { now: NOW });
    expect(await db.all(`SELECT user_id, event, "value" FROM events WHERE "value" IS NOT NULL`)).toEqual([
      { user_id: 'u_alice', event: 'subscription_started', value: 49.5 },
      { user_id: 'u_chen', event: 'subscription_started', value: 120 },
    ]);
  });
});

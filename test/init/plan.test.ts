/** Deciding roles and settings from sniffed profiles (no files, no database). */
import { describe, expect, it } from 'vitest';
import { errors } from '../../src/core/messages.js';
import { eventNameFromFile, planConfig, rejectLimit, snakeName } from '../../src/init/plan.js';
import type { ColumnProfile, EventProfile, SniffedInput } from '../../src/init/sniff.js';

function column(name: string, present: number, distinct: number, extra: Partial<ColumnProfile> = {}): ColumnProfile {
  return { name, type: 'VARCHAR', present, distinct, numeric: 0, negative: 0, dateTimes: 0, ...extra };
}

function table(path: string, columns: ColumnProfile[], rows: number, events: EventProfile | null = null): SniffedInput {
  return { path, files: [path], format: 'csv', csv: null, keys: columns.map((c) => c.name), preset: null, vendor: null, rows, truncated: false, columns, events, sampleTable: 't' };
}

const EVENTS = table(
  '/d/events.csv',
  [column('user_id', 100, 10), column('event', 100, 4), column('timestamp', 100, 100, { dateTimes: 100 })],
  100,
  { userId: 'user_id', event: 'event', timestamp: 'timestamp', format: 'iso', first: '2024-01-01T00:00:00Z', last: '2024-03-01T00:00:00Z', missingUser: 0, missingEvent: 0, badTimestamp: 0 },
);

describe('planConfig', () => {
  it('a table keyed by a bare id is the users table when there is no other', () => {
    const people = table('/d/people.csv', [column('id', 10, 10), column('plan', 10, 2)], 10);
    const plan = planConfig([EVENTS, people], 'job');
    expect(plan.users?.key).toBe('id');
    expect(plan.accounts).toBeNull();
  });

  it('…and the accounts table when a users table links to it', () => {
    const users = table('/d/users.csv', [column('user_id', 10, 10), column('company_id', 10, 3)], 10);
    const companies = table('/d/companies.csv', [column('id', 3, 3), column('industry', 3, 2)], 3);
    const plan = planConfig([companies, EVENTS, users], 'job');
    expect(plan.users).toMatchObject({ key: 'user_id', accountKey: 'company_id' });
    expect(plan.accounts?.key).toBe('id');
  });

  it('a timestamped table with unique user ids and no event column is a users table', () => {
    const users = table('/d/users.csv', [column('user_id', 10, 10), column('created_at', 10, 10, { dateTimes: 10 })], 10, {
      ...EVENTS.events!,
      event: null,
      timestamp: 'created_at',
    });
    expect(planConfig([EVENTS, users], 'job').users?.key).toBe('user_id');
  });

  it('an accounts table with nothing to join it to is an error', () => {
    const accounts = table('/d/accounts.csv', [column('account_id', 3, 3)], 3);
    expect(() => planConfig([EVENTS, accounts], 'job')).toThrow(
      errors.initUnrecognised('/d/accounts.csv', 'it looks like an accounts table, but no users table links users to accounts (give init the users table too)').message,
    );
  });

  it('two export shapes in one config is an error', () => {
    const mixpanel: SniffedInput = { ...EVENTS, path: '/d/mp.jsonl', preset: 'mixpanel', columns: [], events: null };
    expect(() => planConfig([EVENTS, mixpanel], 'job')).toThrow(/one config reads one export shape/);
  });

  it('names columns only when every events input agrees', () => {
    const other = table('/d/more.csv', [column('userId', 50, 5), column('event', 50, 3), column('timestamp', 50, 50, { dateTimes: 50 })], 50, {
      ...EVENTS.events!,
      userId: 'userId',
    });
    const plan = planConfig([EVENTS, other], 'job');
    expect(plan.events?.columns).toEqual({ userId: null, event: 'event', timestamp: 'timestamp', eventId: null });
  });

  it('raises max_reject_rate only when the rejects expected would trip the default', () => {
    const some = (missingUser: number) => table('/d/e.csv', EVENTS.columns as ColumnProfile[], 1000, { ...EVENTS.events!, missingUser });
    expect(planConfig([some(4)], 'job').maxRejectRate).toBeNull();
    expect(planConfig([some(60)], 'job').maxRejectRate).toBe(0.1);
  });
});

describe('helpers', () => {
  it('rejectLimit leaves room above the measured share, in 5% steps', () => {
    expect(rejectLimit(0.254)).toBe(0.3);
    expect(rejectLimit(0.006)).toBe(0.05);
    expect(rejectLimit(0.2)).toBe(0.25);
    expect(rejectLimit(0.95)).toBe(1);
  });

  it('eventNameFromFile singularises a meaningful file name, else says event', () => {
    expect(eventNameFromFile('/x/logins.csv.gz')).toBe('login');
    expect(eventNameFromFile('/x/page_views.parquet')).toBe('page_view');
    expect(eventNameFromFile('/x/events.csv')).toBe('event');
    expect(eventNameFromFile('/x/2024-05-01.csv')).toBe('event');
  });

  it('snakeName makes valid value-feature names', () => {
    expect(snakeName('UnitPrice')).toBe('unit_price');
    expect(snakeName('Order Total')).toBe('order_total');
    expect(snakeName('2024 amount')).toBe('value_2024_amount');
  });
});

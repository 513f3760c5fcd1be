import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createContext } from '../../../src/core/context.js';
import { openDb, type Db } from '../../../src/core/duckdb.js';
import { errors } from '../../../src/core/messages.js';
import { warnings } from '../../../src/core/warnings.js';
import { excludedByName } from '../../../src/stages/ingest/attributes.js';
import { ingest } from '../../../src/stages/ingest/index.js';
import { expectCatalogError, fixture, makeConfig, tempDir } from './helpers.js';

let db: Db;
beforeEach(async () => {
  db = await openDb();
});
afterEach(() => db.close());

const withTables = (overrides: { exclude?: string[]; maxRejectRate?: number } = {}) =>
  makeConfig([fixture('basic.csv')], {
    users: { paths: [fixture('users.csv')], key: null, exclude: overrides.exclude ?? [], accountKey: null },
    accounts: { paths: [fixture('accounts.csv')], key: null, exclude: [] },
    maxRejectRate: overrides.maxRejectRate ?? 0.25,
  });

describe('ingest: users and accounts', () => {
  it('types attributes, leaves out identifiers and personal data, and detects the keys', async () => {
    const result = await ingest(db, withTables(), createContext(1));
    expect(result.users).toEqual({
      table: 'users',
      rows: 3,
      key: 'user_id',
      accountKey: 'account_id',
      source: 'table',
      attributes: [
        { column: 'plan', type: 'VARCHAR' },
        { column: 'seats', type: 'DOUBLE' },
        { column: 'is_paying', type: 'BOOLEAN' },
        { column: 'signup_date', type: 'DATE' },
      ],
      excluded: [
        { column: 'email', reason: 'personal data or free text' },
        { column: 'name', reason: 'personal data or free text' },
        { column: 'notes_id', reason: 'identifier' },
      ],
    });
    expect(result.accounts).toEqual({
      table: 'accounts',
      rows: 2,
      key: 'account_id',
      source: 'table',
      attributes: [
        { column: 'industry', type: 'VARCHAR' },
        { column: 'employees', type: 'DOUBLE' },
        { column: 'enterprise', type: 'BOOLEAN' },
        { column: 'founded', type: 'DATE' },
      ],
      excluded: [],
    });
    const types = await db.all(
      `SELECT table_name, column_name, data_type FROM information_schema.columns ` +
        `WHERE table_name IN ('users', 'accounts') ORDER BY table_name, ordinal_position`,
    );
    expect(types.map((t) => `${t.table_name}.${t.column_name}:${t.data_type}`)).toEqual([
      'accounts.account_id:VARCHAR',
      'accounts.industry:VARCHAR',
      'accounts.employees:DOUBLE',
      'accounts.enterprise:BOOLEAN',
      'accounts.founded:DATE',
      'users.user_id:VARCHAR',
      'users.account_id:VARCHAR',
      'users.plan:VARCHAR',
      'users.seats:DOUBLE',
      'users.is_paying:BOOLEAN',
      'users.signup_date:DATE',
    ]);
    const users = await db.all(`SELECT user_id, account_id, plan, seats, is_paying, strftime(signup_date, '%Y-%m-%d') AS signup FROM users`);
    expect(users).toEqual([
      { user_id: 'a', account_id: 'acc1', plan: 'pro', seats: 5, is_paying: true, signup: '2024-04-10' },
      { user_id: 'b', account_id: 'acc2', plan: 'free', seats: 1, is_paying: false, signup: '2024-05-01' },
      { user_id: 'd', account_id: 'acc3', plan: 'free', seats: 2.5, is_paying: false, signup: '2024-02-01' },
    ]);
  });

  it('keeps the first row of a repeated key, rejects a missing key, and says so', async () => {
    const ctx = createContext(1);
    const result = await ingest(db, withTables(), ctx);
    const users = fixture('users.csv');
    expect(result.accounting.slice(1)).toEqual([
      { role: 'users', files: [users], read: 5, used: 3, outOfWindow: 0, duplicates: 1, rejected: 1 },
      { role: 'accounts', files: [fixture('accounts.csv')], read: 2, used: 2, outOfWindow: 0, duplicates: 0, rejected: 0 },
    ]);
    expect(result.rejects).toEqual([{ file: users, line: 5, value: '', reason: 'missing user id (column "user_id")' }]);
    expect(ctx.warnings.filter((w) => w.code !== 'W_OUT_OF_WINDOW')).toEqual([
      {
        code: 'W_REJECTED_ROWS',
        stage: 'ingest',
        // Without a rejects file (validate, assign, rules apply), the warning names none.
        message: '1 of 5 users rows rejected (first: users.csv:5 missing user id (column "user_id"))',
      },
      {
        code: 'W_DUPLICATE_KEYS',
        stage: 'ingest',
        message: '1 users row repeats a user id already seen (e.g. "b"); the first row of each was kept',
      },
      warnings.detectedTypes('users', [{ column: 'notes_id', as: 'id', why: 'named like an id' }]),
      // Personal data is left out by name: said, so a missing column is no mystery.
      warnings.columnsLeftOut('users', [
        { column: 'email', reason: 'personal data or free text' },
        { column: 'name', reason: 'personal data or free text' },
      ]),
    ]);
    expect(ctx.warnings.at(-1)!.message).toBe(
      'users columns left out of the attributes: email, name (personal data or free text); to use one, set inputs.users.types, e.g. { email: category }',
    );
  });

  it('applies the reject-rate limit to attribute tables too', async () => {
    await expectCatalogError(
      ingest(db, withTables({ maxRejectRate: 0.1 }), createContext(1)),
      errors.rejectRateExceeded('users', 1, 5, 0.1, 'users.csv:5 missing user id (column "user_id")'),
    );
  });

  it('leaves out columns named in exclude, and does not tell the analyst what they chose', async () => {
    const ctx = createContext(1);
    const result = await ingest(db, withTables({ exclude: ['plan', 'email'] }), ctx);
    expect(result.users?.attributes?.map((a) => a.column)).toEqual(['seats', 'is_paying', 'signup_date']);
    expect(result.users?.excluded?.[0]).toEqual({ column: 'plan', reason: 'excluded in the config', chosen: true });
    expect(ctx.warnings).toContainEqual(warnings.columnsLeftOut('users', [{ column: 'name', reason: 'personal data or free text' }]));
  });

  it('finds the join column by name when the accounts key is named differently', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const users = path.join(dir, 'users.csv');
      const accounts = path.join(dir, 'orgs.csv');
      await writeFile(users, 'userId,org_id,tier\na,o1,gold\nb,o2,silver\n');
      await writeFile(accounts, 'id,region\no1,EU\no2,US\n');
      const result = await ingest(
        db,
        makeConfig([fixture('basic.csv')], {
          users: { paths: [users], key: null, exclude: [], accountKey: null },
          accounts: { paths: [accounts], key: null, exclude: [] },
        }),
        createContext(1),
      );
      expect(result.users).toMatchObject({ key: 'userId', accountKey: 'org_id' });
      expect(result.accounts).toMatchObject({ key: 'id' });
      expect(await db.all('SELECT u.user_id, a.region FROM users u JOIN accounts a USING (account_id) ORDER BY 1')).toEqual([
        { user_id: 'a', region: 'EU' },
        { user_id: 'b', region: 'US' },
      ]);
    } finally {
      await cleanup();
    }
  });

  it('leaves out text columns whose values are unique per row, keeps repeated categories', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const users = path.join(dir, 'users.jsonl');
      const lines = Array.from({ length: 30 }, (_, i) =>
        JSON.stringify({ user_id: `u${i}`, token: `tok-${i * 7919}`, country: ['DE', 'FR', 'UK'][i % 3], score: i / 2, vip: i % 2 === 0 }),
      );
      await writeFile(users, lines.join('\n') + '\n');
      const result = await ingest(
        db,
        makeConfig([fixture('basic.csv')], { users: { paths: [users], key: null, exclude: [], accountKey: null } }),
        createContext(1),
      );
      expect(result.users?.attributes).toEqual([
        { column: 'country', type: 'VARCHAR' },
        { column: 'score', type: 'DOUBLE' },
        { column: 'vip', type: 'BOOLEAN' },
      ]);
      expect(result.users?.excluded).toEqual([{ column: 'token', reason: 'unique per row (identifier or free text)' }]);
    } finally {
      await cleanup();
    }
  });

  it('reads a Parquet users table, keeping its types', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const users = path.join(dir, 'users.parquet');
      await db.run(
        `COPY (SELECT * FROM (VALUES ('a', 3.5, true, DATE '2024-01-02', TIMESTAMP '2024-03-04 05:06:07', 'x'), ` +
          `('b', 1.0, false, DATE '2023-01-02', TIMESTAMP '2023-03-04 05:06:07', 'y')) ` +
          `t(user_id, score, vip, signup, last_login, segment)) TO '${users.replace(/'/g, "''")}' (FORMAT parquet)`,
      );
      const result = await ingest(
        db,
        makeConfig([fixture('basic.csv')], { users: { paths: [users], key: null, exclude: [], accountKey: null } }),
        createContext(1),
      );
      expect(result.users?.attributes).toEqual([
        { column: 'score', type: 'DOUBLE' },
        { column: 'vip', type: 'BOOLEAN' },
        { column: 'signup', type: 'DATE' },
        { column: 'last_login', type: 'DATE' },
        { column: 'segment', type: 'VARCHAR' },
      ]);
      expect(await db.all(`SELECT user_id, score, vip, strftime(last_login, '%Y-%m-%d') AS last_login FROM users`)).toEqual([
        { user_id: 'a', score: 3.5, vip: true, last_login: '2024-03-04' },
        { user_id: 'b', score: 1, vip: false, last_login: '2023-03-04' },
      ]);
    } finally {
      await cleanup();
    }
  });

  it('a users table with no key column', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const users = path.join(dir, 'people.csv');
      await writeFile(users, 'who,plan\na,pro\n');
      await expectCatalogError(
        ingest(db, makeConfig([fixture('basic.csv')], { users: { paths: [users], key: null, exclude: [], accountKey: null } }), createContext(1)),
        errors.missingColumn(users, 'user id', [
          'user_id', 'userId', 'userid', 'distinct_id', 'customer_id', 'customerId', 'CustomerID', 'person_id', 'uid', 'anonymous_id', 'id',
        ], ['who', 'plan']),
      );
    } finally {
      await cleanup();
    }
  });
});

describe('excludedByName', () => {
  it.each([
    ['id', 'identifier'],
    ['customer_id', 'identifier'],
    ['CustomerID', 'identifier'],
    ['accountId', 'identifier'],
    ['uuid', 'identifier'],
    ['email', 'personal data or free text'],
    ['work_email', 'personal data or free text'],
    ['workEmail', 'personal data or free text'],
    ['Email_Address', 'personal data or free text'],
    ['email_opt_in', null],
    ['emails_sent', null],
    ['name', 'personal data or free text'],
    ['phone_number', 'personal data or free text'],
    ['plan', null],
    ['paid', null],
    ['valid', null],
    ['company_size', null],
  ])('%s → %s', (column, reason) => {
    expect(excludedByName(column)).toBe(reason);
  });
});

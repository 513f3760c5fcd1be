/**
 * Column types of users/accounts tables (issue 12): integer codes read as categories, ids left out
 * (by name, including `id_*`, or unique whole numbers), declared types winning over detection,
 * outcome columns kept out of the attributes, and the detections said in one warning.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ColumnTypeName } from '../../../src/config/types.js';
import { createContext } from '../../../src/core/context.js';
import { openDb, type Db } from '../../../src/core/duckdb.js';
import { errors } from '../../../src/core/messages.js';
import { warnings } from '../../../src/core/warnings.js';
import { excludedByName } from '../../../src/stages/ingest/attributes.js';
import { ingest } from '../../../src/stages/ingest/index.js';
import { expectCatalogError, makeConfig } from './helpers.js';
import { tempDir } from '../../helpers/tmp.js';

let db: Db;
beforeEach(async () => {
  db = await openDb();
});
afterEach(() => db.close());

/** 400 wholesale-like clients: coded Channel (1–2) and Region (1–3), counts from 0, a row index, spend. */
function clients(): string {
  const lines = ['key,CustomerNo,id_student,Channel,Region,visits,spend,stars,Revenue'];
  for (let i = 0; i < 400; i++) {
    lines.push([`k${i}`, 1000 + i, 7000 + 3 * i, 1 + (i % 2), 1 + (i % 3), i % 7, 100 + ((i * 37) % 211), 1 + (i % 5), i % 4 === 0 ? 1 : 0].join(','));
  }
  const file = path.join(tempDir('segmint-types-'), 'clients.csv');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

const users = (file: string, extra: { types?: Record<string, ColumnTypeName>; outcomes?: string[]; exclude?: string[] } = {}) =>
  makeConfig(null, { users: { paths: [file], key: 'key', exclude: [], accountKey: null, ...extra } });

describe('ingest: column types', () => {
  it('reads integer codes as categories, leaves ids out, keeps counts and amounts numbers, and says so once', async () => {
    const ctx = createContext(1);
    const result = await ingest(db, users(clients(), { outcomes: ['Revenue'] }), ctx);
    expect(result.users!.attributes).toEqual([
      { column: 'Channel', type: 'VARCHAR' },
      { column: 'Region', type: 'VARCHAR' },
      { column: 'visits', type: 'DOUBLE' },
      { column: 'spend', type: 'DOUBLE' },
      // 1–5 with 5 distinct values over 400 rows: a code by the rule (≤ 5% distinct, within 1..20).
      { column: 'stars', type: 'VARCHAR' },
    ]);
    expect(result.users!.excluded).toEqual([
      { column: 'id_student', reason: 'identifier' },
      { column: 'CustomerNo', reason: 'unique per row (identifier)' },
    ]);
    expect(result.outcomes).toEqual([{ source: 'users', table: 'users_outcomes', column: 'Revenue', type: 'BOOLEAN' }]);
    const described = await db.all<{ column_name: string }>('DESCRIBE users');
    expect(described.map((d) => d.column_name)).not.toContain('Revenue');
    expect(ctx.warnings).toContainEqual(
      warnings.detectedTypes('users', [
        { column: 'id_student', as: 'id', why: 'named like an id' },
        { column: 'CustomerNo', as: 'id', why: 'a different whole number in each of its 400 rows' },
        { column: 'Channel', as: 'category', why: 'whole numbers 1–2, 2 distinct' },
        { column: 'Region', as: 'category', why: 'whole numbers 1–3, 3 distinct' },
        { column: 'stars', as: 'category', why: 'whole numbers 1–5, 5 distinct' },
      ]),
    );
  });

  it('lets declared types win: number, category, date, id and ignore', async () => {
    const ctx = createContext(1);
    const result = await ingest(db, users(clients(), { types: { Channel: 'number', visits: 'category', CustomerNo: 'number', id_student: 'number', spend: 'id', stars: 'ignore', Region: 'date' } }), ctx);
    expect(result.users!.attributes).toEqual([
      { column: 'CustomerNo', type: 'DOUBLE' },
      { column: 'id_student', type: 'DOUBLE' },
      { column: 'Channel', type: 'DOUBLE' },
      { column: 'Region', type: 'DATE' },
      { column: 'visits', type: 'VARCHAR' },
      { column: 'Revenue', type: 'BOOLEAN' },
    ]);
    expect(result.users!.excluded).toEqual([
      { column: 'spend', reason: 'an id (inputs types)', chosen: true },
      { column: 'stars', reason: 'ignored (inputs types)', chosen: true },
    ]);
    expect(ctx.warnings.some((w) => w.code === 'W_COLUMN_TYPES')).toBe(false);
  });

  it('stops with one line on an outcome or a declared type naming a missing column', async () => {
    const file = clients();
    const columns = ['key', 'CustomerNo', 'id_student', 'Channel', 'Region', 'visits', 'spend', 'stars', 'Revenue'];
    await expectCatalogError(ingest(db, users(file, { outcomes: ['revenue'] }), createContext(1)), errors.configuredColumnMissing(file, 'inputs.users.outcomes', 'revenue', columns));
    await expectCatalogError(ingest(db, users(file, { types: { Chanel: 'category' } }), createContext(1)), errors.configuredColumnMissing(file, 'inputs.users.types', 'Chanel', columns));
  });

  it('stops with one line on an exclude naming a missing column, instead of clustering on the real one (QA)', async () => {
    const file = clients();
    const columns = ['key', 'CustomerNo', 'id_student', 'Channel', 'Region', 'visits', 'spend', 'stars', 'Revenue'];
    await expectCatalogError(ingest(db, users(file, { exclude: ['region'] }), createContext(1)), errors.configuredColumnMissing(file, 'inputs.users.exclude', 'region', columns));
    const members = path.join(path.dirname(file), 'members.csv');
    writeFileSync(members, `user_id,account\n${Array.from({ length: 400 }, (_, i) => `u${i},k${i}`).join('\n')}\n`);
    const accounts = makeConfig(null, {
      users: { paths: [members], key: 'user_id', accountKey: 'account', exclude: [] },
      accounts: { paths: [file], key: 'key', exclude: ['Spend'] },
    });
    await expectCatalogError(ingest(db, accounts, createContext(1)), errors.configuredColumnMissing(file, 'inputs.accounts.exclude', 'Spend', columns));
    const ok = await ingest(db, users(file, { exclude: ['Region'] }), createContext(1));
    expect(ok.users!.excluded).toContainEqual({ column: 'Region', reason: 'excluded in the config', chosen: true });
  });

  it('recognises id_-prefixed names as identifiers, not words that merely start with id', () => {
    expect(excludedByName('id_student')).toBe('identifier');
    expect(excludedByName('ID-card')).toBe('identifier');
    expect(excludedByName('identity_verified')).toBeNull();
    expect(excludedByName('idle_days')).toBeNull();
  });
});

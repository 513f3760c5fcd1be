/**
 * Input files from the hardening probe: other encodings, mixed line ends, a line over the limit,
 * very wide tables, impossible UTC offsets and non-finite numbers. Each ends in a correct run
 * whose accounting adds up, or in one catalog error.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { createContext } from '../../../src/core/context.js';
import type { Db } from '../../../src/core/duckdb.js';
import { errors } from '../../../src/core/messages.js';
import { ingest } from '../../../src/stages/ingest/index.js';
import { MAX_COLUMNS, MAX_LINE_BYTES } from '../../../src/stages/ingest/limits.js';
import type { IngestResult, RowAccounting } from '../../../src/stages/ingest/types.js';
import { expectCatalogError, fixture, makeConfig, useDbAndDir } from './helpers.js';

let db: Db;
let dir: string;
useDbAndDir('each', { db: (d) => (db = d), dir: (d) => (dir = d) });

const NOW = new Date('2024-06-01T00:00:00Z');
const corpus = (name: string) => fixture(path.join('hardening', name));
const adds = (a: RowAccounting) => a.used + a.outOfWindow + a.duplicates + a.rejected + (a.setAside ?? 0);

async function read(file: string, overrides: Parameters<typeof makeConfig>[1] = {}): Promise<IngestResult> {
  const result = await ingest(db, makeConfig([file], { maxRejectRate: 1, ...overrides }), createContext(1), { now: NOW });
  for (const a of result.accounting) expect(adds(a), `${a.role} accounting`).toBe(a.read);
  return result;
}
const rejects = (r: IngestResult) => r.rejects.map((x) => [x.line, x.value, x.reason]);
const events = async () => db.all<{ user_id: string; event: string }>('SELECT user_id, event FROM events ORDER BY user_id');

const TEXT = 'user_id,event,timestamp\nu1,open,2024-05-01T10:00:00Z\n\nu2,café,2024-05-01T10:05:00Z\n,open,2024-05-01T10:10:00Z\n';
const utf16be = (text: string) => {
  const le = Buffer.from(text, 'utf16le');
  for (let i = 0; i + 1 < le.length; i += 2) [le[i], le[i + 1]] = [le[i + 1], le[i]];
  return le;
};

describe('encodings', () => {
  const cases: [string, Buffer][] = [
    ['UTF-16 LE', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(TEXT, 'utf16le')])],
    ['UTF-16 BE', Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(TEXT)])],
    ['UTF-8 with a BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(TEXT, 'utf8')])],
  ];
  for (const [name, bytes] of cases) {
    it(`${name} with a byte-order mark is read as text, line numbers intact`, async () => {
      const file = path.join(dir, `${name.replace(/\W/g, '')}.csv`);
      await writeFile(file, bytes);
      const r = await read(file);
      expect(r.events!.mapping.userId).toBe('user_id');
      expect(r.accounting[0]).toMatchObject({ read: 3, used: 2, rejected: 1 });
      expect(rejects(r)).toEqual([[5, '', 'missing user id (column "user_id" is empty or absent)']]);
      expect(await events()).toEqual([
        { user_id: 'u1', event: 'open' },
        { user_id: 'u2', event: 'café' },
      ]);
    });
  }

  it('an Excel "Unicode text" export: UTF-16 LE, tab-separated, gzipped', async () => {
    const file = path.join(dir, 'excel.txt.gz');
    await writeFile(file, gzipSync(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(TEXT.replace(/,/g, '\t'), 'utf16le')])));
    const r = await read(file);
    expect(r.accounting[0]).toMatchObject({ read: 3, used: 2, rejected: 1 });
  });

  it('UTF-16 JSON lines', async () => {
    const file = path.join(dir, 'events.jsonl');
    const text = '{"user_id":"u1","event":"a","timestamp":"2024-05-01T10:00:00Z"}\n{"user_id":"u2","event":"b","timestamp":"2024-05-01T10:00:00Z"}\n';
    await writeFile(file, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    const r = await read(file);
    expect(r.accounting[0]).toMatchObject({ read: 2, used: 2 });
  });

  it('UTF-32 is one line naming the file and the encoding', async () => {
    const file = path.join(dir, 'utf32.csv');
    await writeFile(file, Buffer.from([0xff, 0xfe, 0, 0, 0x75, 0, 0, 0, 0x0a, 0, 0, 0]));
    await expectCatalogError(read(file), errors.unsupportedEncoding(file, 'UTF-32 LE'));
  });
});

describe('line ends and line length', () => {
  it('CRLF and LF mixed in one file: every row is read, no value keeps a CR', async () => {
    const r = await read(corpus('mixed-line-ends.csv'));
    expect(r.accounting[0]).toMatchObject({ read: 4, used: 4, rejected: 0 });
    expect(await db.all(`SELECT count(*) AS n FROM events WHERE ts IS NOT NULL AND NOT contains(event, chr(13))`)).toEqual([{ n: 4 }]);
  });

  it(`a line over ${MAX_LINE_BYTES / 1024 / 1024} MB is rejected alone; the rows around it are used and keep their lines`, async () => {
    const file = path.join(dir, 'long-line.csv');
    const long = `u9,${'x'.repeat(MAX_LINE_BYTES + 10)},2024-05-01T10:00:00Z`;
    const rows = ['u1,open,2024-05-01T10:00:00Z', long, 'u2,open,2024-05-01T10:05:00Z', ',open,2024-05-01T10:05:00Z'];
    // Mixed line ends as well, so both repairs happen in one copy.
    await writeFile(file, `user_id,event,timestamp\r\n${rows.join('\n')}\n`);
    const r = await read(file);
    expect(r.accounting[0]).toMatchObject({ read: 4, used: 2, rejected: 2 });
    expect(rejects(r)).toEqual([
      [3, `u9,${'x'.repeat(997)}…`, `line longer than ${MAX_LINE_BYTES / 1024 / 1024} MB, the most segmint reads in one line`],
      [5, '', 'missing user id (column "user_id" is empty or absent)'],
    ]);
    expect((await events()).map((e) => e.user_id)).toEqual(['u1', 'u2']);
  });
});

describe('wide tables', () => {
  const wide = async (name: string, columns: number) => {
    const file = path.join(dir, name);
    const header = ['user_id', ...Array.from({ length: columns - 1 }, (_, i) => `c${i}`)];
    await writeFile(file, `${header.join(',')}\n${header.map((_, i) => (i === 0 ? 'u1' : String(i))).join(',')}\n`);
    return file;
  };

  it(`a users table wider than ${MAX_COLUMNS} columns is refused before DuckDB reads it`, async () => {
    const file = await wide('users.csv', 20_000);
    const config = makeConfig(null, { users: { paths: [file], key: null, exclude: [], accountKey: null } });
    await expectCatalogError(ingest(db, config, createContext(1), { now: NOW }), errors.tooManyColumns(file, 20_000, MAX_COLUMNS));
  });

  it(`exactly ${MAX_COLUMNS} columns are read`, async () => {
    const file = await wide('users.csv', MAX_COLUMNS);
    const config = makeConfig(null, { users: { paths: [file], key: null, exclude: [], accountKey: null } });
    const r = await ingest(db, config, createContext(1), { now: NOW });
    expect(r.users!.attributes).toHaveLength(MAX_COLUMNS - 1);
  });

  it('the limit holds for events too, and counts quoted commas as part of a name', async () => {
    const file = path.join(dir, 'events.csv');
    const names = ['user_id', 'event', 'timestamp', '"a,b"', ...Array.from({ length: MAX_COLUMNS - 3 }, (_, i) => `p${i}`)];
    await writeFile(file, `${names.join(',')}\n`);
    await expectCatalogError(read(file), errors.tooManyColumns(file, MAX_COLUMNS + 1, MAX_COLUMNS));
  });
});

describe('UTC offsets', () => {
  it('offsets beyond ±14:00 are rejected with a reason, not shifted; ±14:00 and -12:00 convert', async () => {
    const r = await read(corpus('offsets.csv'), { window: { days: 20_000 } });
    const reason = 'UTC offset beyond ±14:00 (column "timestamp"); no time zone is that far from UTC';
    expect(rejects(r)).toEqual([
      [3, '2024-05-01T10:00:00+99:00', reason],
      [4, '2024-05-01T10:00:00-1430', reason],
    ]);
    expect(await db.all(`SELECT user_id, strftime(ts, '%Y-%m-%dT%H:%M') AS ts FROM events ORDER BY user_id`)).toEqual([
      { user_id: 'u1', ts: '2024-05-01T10:00' },
      { user_id: 'u4', ts: '2024-04-30T20:00' },
      { user_id: 'u5', ts: '2024-05-01T22:00' },
    ]);
  });
});

describe('non-finite numbers', () => {
  it('in a value column: the row is rejected as an infinite number', async () => {
    const r = await read(corpus('infinite-values.csv'), {
      features: { values: [{ name: 'amount', columns: ['amount'], aggregates: ['sum'] }] },
    });
    const reason = 'infinite or out-of-range number (column "amount", used by a value feature)';
    expect(rejects(r)).toEqual([
      [3, '1e309', reason],
      [4, '-inf', reason],
    ]);
    expect(await db.all('SELECT user_id, amount FROM events ORDER BY user_id')).toEqual([
      { user_id: 'u1', amount: 3 },
      { user_id: 'u4', amount: 2.5 },
    ]);
  });

  it('in a users attribute: read as missing, counted in a warning naming the first one', async () => {
    const file = corpus('infinite-users.csv');
    const ctx = createContext(1);
    const config = makeConfig(null, { users: { paths: [file], key: null, exclude: [], accountKey: null } });
    const r = await ingest(db, config, ctx, { now: NOW });
    expect(r.users!.attributes).toEqual([
      { column: 'plan', type: 'VARCHAR' },
      { column: 'score', type: 'DOUBLE' },
    ]);
    expect(await db.all('SELECT user_id, score FROM users ORDER BY user_id')).toEqual([
      { user_id: 'u1', score: 1.5 },
      { user_id: 'u2', score: null },
      { user_id: 'u3', score: 2 },
      { user_id: 'u4', score: null },
    ]);
    expect(ctx.warnings.filter((w) => w.code === 'W_NON_FINITE_VALUES')).toEqual([
      {
        code: 'W_NON_FINITE_VALUES',
        stage: 'ingest',
        message:
          '2 users value(s) in column "score" are not finite numbers (infinite, NaN or too large) (first: infinite-users.csv:3 "1e309"); they were read as missing',
      },
    ]);
  });
});

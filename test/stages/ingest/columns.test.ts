import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { createContext } from '../../../src/core/context.js';
import type { Db } from '../../../src/core/duckdb.js';
import { quoteLiteral } from '../../../src/core/sql.js';
import { EVENT_NAMES, TIMESTAMP_NAMES, USER_ID_NAMES } from '../../../src/stages/ingest/columns.js';
import { ingest } from '../../../src/stages/ingest/index.js';
import { timestampFormatWords } from '../../../src/stages/ingest/mapping.js';
import { fixture, makeConfig, useDbAndDir } from './helpers.js';

let db: Db;
let dir: string;
useDbAndDir('file', { db: (d) => (db = d), dir: (d) => (dir = d) });

const TS = '2024-05-01T12:00:00Z';

async function csv(name: string, header: string[], rows: string[][]): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, [header, ...rows].map((r) => r.join(',')).join('\n') + '\n');
  return file;
}

describe('column auto-detection', () => {
  // `name` as an event column would also look like a free-text attribute elsewhere; here it is fine.
  it.each(USER_ID_NAMES.map((n) => [n]))('user id column %s', async (name) => {
    const file = await csv(`uid-${name}.csv`, [name, 'event', 'timestamp'], [['u1', 'open', TS]]);
    const result = await ingest(db, makeConfig([file]), createContext(1));
    expect(result.events!.mapping.userId).toBe(name);
  });

  it.each(EVENT_NAMES.map((n) => [n]))('event column %s', async (name) => {
    const file = await csv(`ev-${name}.csv`, ['user_id', name, 'timestamp'], [['u1', 'open', TS]]);
    const result = await ingest(db, makeConfig([file]), createContext(1));
    expect(result.events!.mapping.event).toBe(name);
  });

  it.each(TIMESTAMP_NAMES.map((n) => [n]))('timestamp column %s', async (name) => {
    const file = await csv(`ts-${name}.csv`, ['user_id', 'event', name], [['u1', 'open', TS]]);
    const result = await ingest(db, makeConfig([file]), createContext(1));
    expect(result.events!.mapping.timestamp).toBe(name);
  });

  it('matches names case-insensitively and prefers the earlier candidate', async () => {
    const file = await csv('case.csv', ['USER_ID', 'Event_Type', 'event', 'TIME', 'Timestamp'], [['u1', 'a', 'b', TS, TS]]);
    const result = await ingest(db, makeConfig([file]), createContext(1));
    expect(result.events!.mapping).toMatchObject({ userId: 'USER_ID', event: 'event', timestamp: 'Timestamp' });
  });

  it('uses configured columns over the common names', async () => {
    const file = await csv('configured.csv', ['user_id', 'who', 'event', 'what', 'when'], [['x', 'u1', 'e', 'open', TS]]);
    const result = await ingest(
      db,
      makeConfig([file], { columns: { userId: 'who', event: 'what', timestamp: 'when' } }),
      createContext(1),
    );
    expect(result.events!.mapping).toMatchObject({ userId: 'who', event: 'what', timestamp: 'when' });
    expect(await db.all('SELECT user_id, event FROM events')).toEqual([{ user_id: 'u1', event: 'open' }]);
  });

  it.each([['event_id'], ['message_id'], ['messageId'], ['$insert_id'], ['insert_id'], ['uuid']])(
    'deduplicates on the id column %s, keeping the first',
    async (name) => {
      const file = await csv(`dedupe-${name.replace('$', '')}.csv`, [name, 'user_id', 'event', 'timestamp'], [
        ['m1', 'u1', 'open', TS],
        ['m1', 'u1', 'open', TS],
        ['m2', 'u1', 'open', TS],
      ]);
      const result = await ingest(db, makeConfig([file]), createContext(1));
      expect(result.accounting[0]).toMatchObject({ read: 3, used: 2, duplicates: 1 });
    },
  );

  it('keeps identical rows when there is no id column (they may be two real events)', async () => {
    const file = await csv('no-id.csv', ['user_id', 'event', 'timestamp'], [['u1', 'open', TS], ['u1', 'open', TS]]);
    const result = await ingest(db, makeConfig([file]), createContext(1));
    expect(result.accounting[0]).toMatchObject({ read: 2, used: 2, duplicates: 0 });
  });
});

describe('timestamp formats', () => {
  const utc = async () =>
    (await db.all<{ t: string }>(`SELECT strftime(ts, '%Y-%m-%dT%H:%M:%S.%g') AS t FROM events`)).map((r) => r.t);

  it('epoch seconds (and the uid / action / ts names)', async () => {
    const result = await ingest(db, makeConfig([fixture('epoch-s.csv')]), createContext(1));
    expect(result.events!.mapping).toEqual({ userId: 'uid', event: 'action', timestamp: 'ts', timestampFormat: 'epoch_s', eventId: null });
    expect(await utc()).toEqual(['2024-05-01T12:00:00.000', '2024-05-01T13:00:00.000']);
  });

  it('epoch milliseconds from JSON lines (and the distinct_id / event_name / time names)', async () => {
    const result = await ingest(db, makeConfig([fixture('epoch-ms.jsonl')]), createContext(1));
    expect(result.events!.mapping).toEqual({ userId: 'distinct_id', event: 'event_name', timestamp: 'time', timestampFormat: 'epoch_ms', eventId: null });
    expect(await utc()).toEqual(['2024-05-01T12:00:00.000', '2024-05-01T13:00:00.000']);
  });

  it('epoch microseconds', async () => {
    const file = await csv('epoch-us.csv', ['user_id', 'event', 'timestamp'], [['u1', 'open', '1714564800123456']]);
    const result = await ingest(db, makeConfig([file]), createContext(1));
    expect(result.events!.mapping.timestampFormat).toBe('epoch_us');
    expect(result.window.end).toBe('2024-05-01T12:00:00.123456Z');
  });

  it('ISO with offsets is converted to UTC; without a zone it is UTC', async () => {
    const result = await ingest(db, makeConfig([fixture('zones.csv')]), createContext(1));
    expect(result.events!.mapping).toEqual({ userId: 'userId', event: 'eventName', timestamp: 'eventTime', timestampFormat: 'iso', eventId: null });
    expect(await utc()).toEqual([
      '2024-05-01T12:00:00.000',
      '2024-05-01T12:00:00.000',
      '2024-05-01T12:00:00.000',
      '2024-05-01T12:00:00.250',
    ]);
  });

  it('a window ending at an event with milliseconds says them as the file wrote them', async () => {
    // QA: an input with 3 digits of fraction gave a window end of "…46.538000Z".
    const file = await csv('ms.csv', ['user_id', 'event', 'timestamp'], [['u1', 'open', '2024-05-01T12:00:46.538Z']]);
    const result = await ingest(db, makeConfig([file]), createContext(1));
    expect(result.window.end).toBe('2024-05-01T12:00:46.538Z');
    expect(result.window.start).toBe('2024-04-01T12:00:46.538Z'); // 30 days before: the test config's window
  });

  it('Parquet timestamps are read as native timestamps', async () => {
    const file = path.join(dir, 'events.parquet');
    await db.run(
      `COPY (SELECT 'u1' AS user_id, 'open' AS event, TIMESTAMP '2024-05-01 12:00:00' AS timestamp) TO ${quoteLiteral(file)} (FORMAT parquet)`,
    );
    const result = await ingest(db, makeConfig([file]), createContext(1));
    expect(result.events!.mapping.timestampFormat).toBe('timestamp');
    expect(await utc()).toEqual(['2024-05-01T12:00:00.000']);
  });
});

describe('files, folders, globs and formats', () => {
  it('reads gzip CSV and TSV', async () => {
    const gz = path.join(dir, 'a.csv.gz');
    await writeFile(gz, gzipSync(`user_id,event,timestamp\nu1,open,${TS}\n`));
    const tsv = path.join(dir, 'b.tsv');
    await writeFile(tsv, `user_id\tevent\ttimestamp\nu2\tclose\t${TS}\n`);
    const result = await ingest(db, makeConfig([gz, tsv]), createContext(1));
    expect(result.accounting[0]).toMatchObject({ files: [gz, tsv], read: 2, used: 2 });
    expect(await db.all('SELECT user_id, event FROM events')).toEqual([
      { user_id: 'u1', event: 'open' },
      { user_id: 'u2', event: 'close' },
    ]);
  });

  it('expands directories and globs into sorted files, each fingerprinted', async () => {
    const sub = path.join(dir, 'export');
    const { mkdir } = await import('node:fs/promises');
    await mkdir(path.join(sub, 'day2'), { recursive: true });
    await writeFile(path.join(sub, 'day2', 'b.csv'), `user_id,event,timestamp\nu2,open,${TS}\n`);
    await writeFile(path.join(sub, 'a.csv'), `user_id,event,timestamp\nu1,open,${TS}\n`);
    await writeFile(path.join(sub, '_SUCCESS'), '');
    await writeFile(path.join(sub, 'README.md'), '# not data');
    const byDir = await ingest(db, makeConfig([sub]), createContext(1));
    const expected = [path.join(sub, 'a.csv'), path.join(sub, 'day2', 'b.csv')];
    expect(byDir.accounting[0].files).toEqual(expected);
    expect(byDir.fingerprints.map((f) => f.path)).toEqual(expected);
    const byGlob = await ingest(db, makeConfig([path.join(sub, '**', '*.csv')]), createContext(1));
    expect(byGlob.accounting[0].files).toEqual(expected);
    const shallow = await ingest(db, makeConfig([path.join(sub, '*.csv')]), createContext(1));
    expect(shallow.accounting[0].files).toEqual([path.join(sub, 'a.csv')]);
  });

  it('files read differently are each recorded: the mapping says the first file, byFile every one', async () => {
    const iso = await csv('a-iso.csv', ['user_id', 'event', 'timestamp'], [['u1', 'open', TS]]);
    const epoch = await csv('b-epoch.csv', ['uid', 'event', 'timestamp'], [['u2', 'open', '1714564800000']]);
    const result = await ingest(db, makeConfig([iso, epoch]), createContext(1));
    const m = result.events!.mapping;
    expect(m).toMatchObject({ userId: 'user_id', timestampFormat: 'iso' });
    expect(m.byFile).toEqual([
      { file: iso, userId: 'user_id', event: 'event', timestamp: 'timestamp', timestampFormat: 'iso', eventId: null },
      { file: epoch, userId: 'uid', event: 'event', timestamp: 'timestamp', timestampFormat: 'epoch_ms', eventId: null },
    ]);
    expect(timestampFormatWords(m)).toBe('iso in a-iso.csv, epoch_ms in b-epoch.csv');
    const alike = await ingest(db, makeConfig([iso, await csv('c-iso.csv', ['user_id', 'event', 'timestamp'], [['u3', 'open', TS]])]), createContext(1));
    expect(alike.events!.mapping.byFile).toBeUndefined();
    expect(timestampFormatWords(alike.events!.mapping)).toBe('iso');
  });

  it('keeps line numbers (header = line 1) right around several malformed rows', async () => {
    const file = path.join(dir, 'ragged.csv');
    const rows = ['u1,open,bad1', 'u2,x,y,z', 'u3,only-two', `u4,open,${TS}`, `u5,open,${TS}`, 'u6,a,b,c,d', 'u7,open,bad7', `u8,open,${TS}`];
    await writeFile(file, ['user_id,event,timestamp', ...rows].join('\n') + '\n');
    const result = await ingest(db, makeConfig([file], { maxRejectRate: 1 }), createContext(1));
    expect(result.rejects.map((r) => [r.line, r.value])).toEqual([
      [2, 'bad1'],
      [3, 'u2,x,y,z'],
      [4, 'u3,only-two'],
      [7, 'u6,a,b,c,d'],
      [8, 'bad7'],
    ]);
    expect(result.accounting[0]).toMatchObject({ read: 8, used: 3, rejected: 5 });
  });

  it('counts rows per file and reports lines within each file', async () => {
    const a = await csv('multi-a.csv', ['user_id', 'event', 'timestamp'], [['u1', 'open', TS], ['', 'open', TS]]);
    const b = await csv('multi-b.csv', ['distinct_id', 'event', 'time'], [['', 'open', TS], ['u2', 'open', TS]]);
    const result = await ingest(db, makeConfig([a, b], { maxRejectRate: 0.5 }), createContext(1));
    expect(result.accounting[0]).toMatchObject({ files: [a, b], read: 4, used: 2, rejected: 2 });
    expect(result.rejects.map((r) => [path.basename(r.file), r.line, r.reason])).toEqual([
      ['multi-a.csv', 3, 'missing user id (column "user_id" is empty or absent)'],
      ['multi-b.csv', 2, 'missing user id (column "distinct_id" is empty or absent)'],
    ]);
  });
});

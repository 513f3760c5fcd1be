import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createContext } from '../../../src/core/context.js';
import { openDb, type Db } from '../../../src/core/duckdb.js';
import { errors } from '../../../src/core/messages.js';
import { ingest } from '../../../src/stages/ingest/index.js';
import { tempDir } from '../../helpers/tmp.js';
import { expectCatalogError, fixture, makeConfig } from './helpers.js';

let db: Db;
beforeEach(async () => {
  db = await openDb();
});
afterEach(() => db.close());

describe('ingest: events', () => {
  it('maps columns, windows by the latest event and leaves an events table', async () => {
    const ctx = createContext(1);
    const result = await ingest(db, makeConfig([fixture('basic.csv')]), ctx);
    expect(result.events!.mapping).toEqual({ userId: 'user_id', event: 'event', timestamp: 'timestamp', timestampFormat: 'iso', eventId: null });
    // The log begins three weeks into the 30-day window: the report says so beside its dates.
    expect(result.window).toEqual({ start: '2024-04-10T12:00:00Z', end: '2024-05-10T12:00:00Z', days: 30, firstEvent: '2024-05-01T08:00:00Z' });
    expect(result.accounting).toEqual([
      { role: 'events', files: [fixture('basic.csv')], read: 9, used: 8, outOfWindow: 1, duplicates: 0, rejected: 0 },
    ]);
    expect(result.events!.rows).toBe(8);
    const cols = await db.all(`SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'events' ORDER BY ordinal_position`);
    expect(cols).toEqual([
      { column_name: 'user_id', data_type: 'VARCHAR' },
      { column_name: 'event', data_type: 'VARCHAR' },
      { column_name: 'ts', data_type: 'TIMESTAMP' },
    ]);
    expect(ctx.warnings).toEqual([
      {
        code: 'W_OUT_OF_WINDOW',
        stage: 'ingest',
        message: '1 of 9 events fall outside the analysis window 2024-04-10T12:00:00Z to 2024-05-10T12:00:00Z and were not used',
      },
    ]);
  });

  it('names the users the window leaves out entirely, beside the events', async () => {
    // u3 and u4 were active only before the 30 days up to the latest event.
    const file = join(tempDir(), 'early-users.csv');
    writeFileSync(
      file,
      ['user_id,event,timestamp', 'u1,a,2024-05-01T00:00:00Z', 'u1,a,2024-03-01T00:00:00Z', 'u2,b,2024-05-02T00:00:00Z', 'u3,a,2024-03-02T00:00:00Z', 'u4,b,2024-02-01T00:00:00Z', 'u4,b,2024-02-02T00:00:00Z'].join('\n') + '\n',
    );
    const ctx = createContext(1);
    const result = await ingest(db, makeConfig([file], { window: { days: 30 } }), ctx);
    expect(result.accounting[0]).toMatchObject({ read: 6, used: 2, outOfWindow: 4, usersOutOfWindow: 2 });
    expect(ctx.warnings.find((w) => w.code === 'W_OUT_OF_WINDOW')!.message).toBe(
      '4 of 6 events fall outside the analysis window 2024-04-02T00:00:00Z to 2024-05-02T00:00:00Z and were not used; ' +
        '2 users have events only before it, so no behaviour of theirs is segmented (widen window.days, or --window-days all, to include them)',
    );
  });

  it('accounts for every row of a mixed file: read = used + outOfWindow + duplicates + rejected', async () => {
    const ctx = createContext(1);
    const file = fixture('mixed.csv');
    // As a run calls it: the rejected rows go to the run's rejects.csv, and the warning says so.
    const result = await ingest(db, makeConfig([file], { maxRejectRate: 0.6 }), ctx, { rejectsFile: 'rejects.csv' });
    const [acc] = result.accounting;
    expect(acc).toEqual({ role: 'events', files: [file], read: 11, used: 3, outOfWindow: 1, duplicates: 1, rejected: 6 });
    expect(acc.used + acc.outOfWindow + acc.duplicates + acc.rejected).toBe(acc.read);
    expect(result.rejects).toEqual([
      { file, line: 3, value: '', reason: 'missing user id (column "user_id" is empty or absent)' },
      { file, line: 4, value: 'NA', reason: 'missing user id (column "user_id" holds a missing-value marker like NA or null)' },
      { file, line: 5, value: '', reason: 'missing event name (column "event" is empty or absent)' },
      { file, line: 6, value: 'not-a-date', reason: 'unparseable timestamp (column "timestamp", read as ISO 8601)' },
      {
        file,
        line: 9,
        value: 'e7,u3,close,2024-05-02T10:00:00Z,extra',
        reason: 'malformed CSV row: too many columns (5 fields where the header has 4)',
      },
      { file, line: 11, value: '', reason: 'missing timestamp (column "timestamp" is empty or absent)' },
    ]);
    // The used rows keep their own lines even after the malformed line 9.
    expect(await db.all('SELECT user_id, event, strftime(ts, \'%Y-%m-%d %H:%M\') AS ts FROM events')).toEqual([
      { user_id: 'u1', event: 'open', ts: '2024-05-01 10:00' },
      { user_id: 'u3', event: 'close', ts: '2024-05-02 11:00' },
      { user_id: 'u2', event: 'open', ts: '2024-05-03 00:00' },
    ]);
    expect(ctx.warnings.map((w) => w.code)).toEqual(['W_REJECTED_ROWS', 'W_DUPLICATES', 'W_OUT_OF_WINDOW']);
    expect(ctx.warnings[0].message).toBe(
      '6 of 11 events rows rejected (first: mixed.csv:3 missing user id (column "user_id" is empty or absent)); they are listed in rejects.csv',
    );
  });

  it('takes a row for a duplicate only when it repeats an event id with the same user, event and time', async () => {
    // event_id counts per user (as Amplitude's per-device counter does): rows sharing an id are
    // different events. Only u1's second "1" row is a re-delivery of the same event.
    const file = join(tempDir(), 'counter-ids.csv');
    const rows = ['user_id,event,timestamp,event_id'];
    for (const u of ['u1', 'u2', 'u3']) {
      for (let i = 1; i <= 4; i++) rows.push(`${u},${i % 2 ? 'open' : 'search'},2024-05-0${i}T10:00:00Z,${i}`);
    }
    rows.push('u1,open,2024-05-01T10:00:00Z,1'); // re-delivered: same id, user, event, time
    rows.push('u1,open,2024-05-01T11:00:00Z,1'); // same id and user, another time: another event
    rows.push('u2,open,2024-05-01T10:00:00Z,1'); // u2's own first event again (same id, its content): re-delivered
    writeFileSync(file, rows.join('\n') + '\n');
    const result = await ingest(db, makeConfig([file]), createContext(1));
    expect(result.events!.mapping.eventId).toBe('event_id');
    expect(result.accounting[0]).toMatchObject({ read: 15, used: 13, duplicates: 2, rejected: 0, outOfWindow: 0 });
    const [{ n }] = await db.all<{ n: number }>(`SELECT count(*) AS n FROM events WHERE user_id = 'u1'`);
    expect(n).toBe(5);
  });

  it('fails when the reject rate passes the limit, naming the counts and first reasons', async () => {
    await expectCatalogError(
      ingest(db, makeConfig([fixture('mixed.csv')], { maxRejectRate: 0.5 }), createContext(1)),
      errors.rejectRateExceeded(
        'events',
        6,
        11,
        0.5,
        'mixed.csv:3 missing user id (column "user_id" is empty or absent); ' +
          'mixed.csv:4 missing user id (column "user_id" holds a missing-value marker like NA or null); ' +
          'mixed.csv:5 missing event name (column "event" is empty or absent)',
      ),
    );
  });

  it('honours window.end (a date means the end of that day) and counts later events as out of window', async () => {
    const result = await ingest(db, makeConfig([fixture('basic.csv')], { window: { days: 7, end: '2024-05-04' } }), createContext(1));
    expect(result.window).toEqual({ start: '2024-04-27T23:59:59.999999Z', end: '2024-05-04T23:59:59.999999Z', days: 7, firstEvent: '2024-05-01T08:00:00Z' });
    // In: a's four events on 05-01 and one on 05-04, b's on 05-02. Out: 04-01, 05-09, 05-10.
    expect(result.accounting[0]).toMatchObject({ read: 9, used: 6, outOfWindow: 3 });
  });

  it('accepts a date-time window end', async () => {
    const result = await ingest(
      db,
      makeConfig([fixture('basic.csv')], { window: { days: 1, end: '2024-05-02T03:00:00+02:00' } }),
      createContext(1),
    );
    expect(result.window).toEqual({ start: '2024-05-01T01:00:00Z', end: '2024-05-02T01:00:00Z', days: 1 });
    expect(result.accounting[0]).toMatchObject({ used: 5, outOfWindow: 4 });
  });

  it('keeps quotes, markup, unicode and SQL in values intact', async () => {
    const result = await ingest(db, makeConfig([fixture('unsafe.jsonl')]), createContext(1));
    expect(result.accounting[0]).toMatchObject({ read: 5, used: 5, rejected: 0 });
    const rows = await db.all<{ user_id: string; event: string }>('SELECT user_id, event FROM events');
    expect(rows.map((r) => r.event)).toEqual(['say "hi" it\'s', '<script>alert(1)</script>', 'café ☕ 日本', '日本', 'a,b']);
    expect(rows[4].user_id).toBe("u'; DROP TABLE events; --");
  });

  it('records a fingerprint (path, bytes, sha256) per input file', async () => {
    const result = await ingest(db, makeConfig([fixture('basic.csv')]), createContext(1));
    expect(result.fingerprints).toHaveLength(1);
    expect(result.fingerprints[0].path).toBe(fixture('basic.csv'));
    expect(result.fingerprints[0].bytes).toBeGreaterThan(0);
    expect(result.fingerprints[0].sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('is deterministic: the same input gives the same result and table', async () => {
    const config = makeConfig([fixture('mixed.csv')], { maxRejectRate: 0.6 });
    const a = await ingest(db, config, createContext(1));
    const rowsA = await db.all('SELECT * FROM events');
    const b = await ingest(db, config, createContext(1));
    expect(b).toEqual(a);
    expect(await db.all('SELECT * FROM events')).toEqual(rowsA);
  });
});

describe('ingest: bad input', () => {
  it('a missing file', async () => {
    const missing = fixture('nope.csv');
    await expectCatalogError(ingest(db, makeConfig([missing]), createContext(1)), errors.fileNotFound(missing, 'events'));
  });

  it('a glob that matches nothing', async () => {
    const pattern = fixture('*.nothing.csv');
    await expectCatalogError(ingest(db, makeConfig([pattern]), createContext(1)), errors.noMatchingFiles(pattern, 'events'));
  });

  it('no user id column', async () => {
    const file = fixture('no-user.csv');
    await expectCatalogError(
      ingest(db, makeConfig([file]), createContext(1)),
      errors.missingColumn(
        file,
        'user id',
        ['user_id', 'userId', 'userid', 'distinct_id', 'customer_id', 'customerId', 'CustomerID', 'person_id', 'uid', 'anonymous_id'],
        ['person', 'event', 'timestamp'],
      ),
    );
  });

  it('a configured column that does not exist', async () => {
    const file = fixture('basic.csv');
    await expectCatalogError(
      ingest(db, makeConfig([file], { columns: { event: 'Event' } }), createContext(1)),
      errors.configuredColumnMissing(file, 'event', 'Event', ['user_id', 'event', 'timestamp']),
    );
  });

  it('a header-only events file', async () => {
    const file = fixture('header-only.csv');
    await expectCatalogError(ingest(db, makeConfig([file]), createContext(1)), errors.emptyInput(file, 'events'));
  });

  it('an empty JSON lines file', async () => {
    const file = fixture('empty.jsonl');
    await expectCatalogError(ingest(db, makeConfig([file]), createContext(1)), errors.emptyInput(file, 'events'));
  });

  it('a file the reader cannot parse at all', async () => {
    const file = join(tempDir(), 'cut.json');
    writeFileSync(file, '[{"user_id": "u1", "event": "open", "timestamp": "2024-05-01T10:00:00Z"}, {"user_id": "u2", "event": ');
    const error = await ingest(db, makeConfig([file]), createContext(1)).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: errors.unreadableFile(file, '').code, subject: file, stage: 'ingest' });
    expect((error as Error).message).toMatch(/^cannot read .*cut\.json: .*Malformed JSON/);
  });

  it('a timestamp column that does not parse', async () => {
    const file = fixture('bad-ts.csv');
    await expectCatalogError(ingest(db, makeConfig([file]), createContext(1)), errors.timestampUnparseable(file, 'timestamp', 'soon'));
  });

  it('a window end that is not a date', async () => {
    await expectCatalogError(
      ingest(db, makeConfig([fixture('basic.csv')], { window: { end: 'last tuesday' } }), createContext(1)),
      errors.configInvalid('config', 'window.end', 'an ISO date or date-time', 'last tuesday'),
    );
  });
});

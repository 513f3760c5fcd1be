/**
 * Events files read in place (the staging query reads DuckDB's reader directly) must give what
 * the careful read (`loadRaw`) gives: the same events, accounting and rejects on the same lines.
 * Files the in-place read cannot take — a malformed record, quotes — fall back to the careful read.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createContext } from '../../../src/core/context.js';
import type { Db } from '../../../src/core/duckdb.js';
import { ingest } from '../../../src/stages/ingest/index.js';
import { lineAt, openInPlace } from '../../../src/stages/ingest/inPlace.js';
import { scanFile } from '../../../src/stages/ingest/scan.js';
import type { IngestResult } from '../../../src/stages/ingest/types.js';
import { makeConfig, useDbAndDir } from './helpers.js';

let db: Db;
let dir: string;
useDbAndDir('each', { db: (d) => (db = d), dir: (d) => (dir = d) });

const NOW = new Date('2024-06-01T00:00:00Z');

async function run(file: string): Promise<{ result: IngestResult; events: unknown[] }> {
  const result = await ingest(db, makeConfig([file], { maxRejectRate: 1 }), createContext(1), { now: NOW });
  const events = await db.all(`SELECT user_id, event, strftime(ts, '%Y-%m-%dT%H:%M:%S.%f') AS ts FROM events`);
  return { result, events };
}

/** Whether `file` is read in place: opened, and its rows trusted once read. */
async function readInPlace(file: string): Promise<boolean> {
  const scan = scanFile(file, 'csv').then((s) => s.text);
  const source = await openInPlace(db, file, scan);
  if (source === null) return false;
  // A strict read fails on a record it cannot parse; ingest then reads the file the careful way.
  const counted = await db.all<{ n: number }>(`SELECT count(*) AS n FROM ${source.from}`).catch(() => null);
  return counted !== null && (await source.settle(Number(counted[0].n))) !== null;
}

describe('lineAt', () => {
  it('is the p-th line that is not skipped', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: 60 }), { maxLength: 30 }), fc.integer({ min: 1, max: 40 }), (lines, p) => {
        const skipped = [...lines].sort((a, b) => a - b);
        const kept: number[] = [];
        for (let l = 1; kept.length < p; l++) if (!skipped.includes(l)) kept.push(l);
        expect(lineAt(skipped)(p)).toBe(kept[p - 1]);
      }),
    );
  });
});

/** A row of an events CSV: valid, or broken in one of the ways the judge rejects. */
const rowArb = fc.oneof(
  fc.record({ kind: fc.constant('valid'), user: fc.constantFrom('u1', 'u2', 'u3', ' u4 '), day: fc.integer({ min: 1, max: 28 }) }),
  fc.record({ kind: fc.constantFrom('no_user', 'na_user', 'bad_ts', 'old_ts', 'blank', 'no_event'), user: fc.constant('u9'), day: fc.constant(1) }),
);

function csvLine(r: { kind: string; user: string; day: number }): string {
  const ts = `2024-05-${String(r.day).padStart(2, '0')}T10:00:00Z`;
  switch (r.kind) {
    case 'no_user':
      return `,open,${ts}`;
    case 'na_user':
      return `NA,open,${ts}`;
    case 'bad_ts':
      return `${r.user},open,not-a-time`;
    case 'old_ts':
      return `${r.user},open,1970-01-01T00:00:00Z`;
    case 'blank':
      return '';
    case 'no_event':
      return `${r.user},,${ts}`;
    default:
      return `${r.user},open,${ts}`;
  }
}

describe('events read in place', () => {
  it('give the same events, accounting and reject lines as the careful read', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(rowArb, { minLength: 1, maxLength: 25 }), fc.boolean(), async (rows, trailingBlank) => {
        const lines = rows.map(csvLine);
        if (!rows.some((r) => r.kind === 'valid')) lines.push('u1,open,2024-05-02T10:00:00Z');
        const body = lines.join('\n') + '\n' + (trailingBlank ? '\n' : '');
        const plain = path.join(dir, 'plain.csv');
        // The header alone ends in CRLF (mixed line ends): the same rows, read the careful way.
        const careful = path.join(dir, 'careful.csv');
        await writeFile(plain, 'user_id,event,timestamp\n' + body);
        await writeFile(careful, 'user_id,event,timestamp\r\n' + body);
        expect(await readInPlace(plain)).toBe(true);
        expect(await readInPlace(careful)).toBe(false);

        const a = await run(plain).catch((e: unknown) => e as Error);
        const b = await run(careful).catch((e: unknown) => e as Error);
        // Mostly unparseable timestamps stop the run (not a timestamp column): the same way both.
        if (a instanceof Error || b instanceof Error) {
          expect(a instanceof Error && b instanceof Error).toBe(true);
          expect((a as Error).message).toBe((b as Error).message.replace(careful, plain));
          return;
        }
        expect(a.events).toEqual(b.events);
        expect(a.result.accounting[0]).toEqual({ ...b.result.accounting[0], files: [plain] });
        expect(a.result.rejects).toEqual(b.result.rejects.map((r) => ({ ...r, file: plain })));
        // Each reject's line is the line an editor shows, with the rejected value on it.
        const fileLines = ['user_id,event,timestamp', ...lines];
        for (const r of a.result.rejects) expect(fileLines[r.line - 1]).toContain(r.value);
      }),
      { numRuns: 20 },
    );
  });

  it('fall back to the careful read for a malformed record, listing it on its line and using the rest', async () => {
    const file = path.join(dir, 'events.csv');
    const rows = ['user_id,event,timestamp', 'u1,open,2024-05-01T10:00:00Z', '', 'u2,open,2024-05-02T10:00:00Z,extra', 'u3,open,2024-05-03T10:00:00Z'];
    await writeFile(file, rows.join('\n') + '\n');
    expect(await readInPlace(file)).toBe(false);
    const { result, events } = await run(file);
    expect(events).toHaveLength(2);
    expect(result.accounting[0]).toMatchObject({ read: 3, used: 2, rejected: 1 });
    expect(result.rejects).toEqual([expect.objectContaining({ line: 4, reason: expect.stringContaining('too many columns') })]);
  });

  it('take quoted values with commas in place, and fall back for a quoted value over two lines', async () => {
    const quoted = path.join(dir, 'quoted.csv');
    const rows = ['user_id,event,timestamp', 'u1,"open, then close",2024-05-01T10:00:00Z', '"",open,2024-05-02T10:00:00Z', 'u2,"say ""hi""",2024-05-03T10:00:00Z'];
    await writeFile(quoted, rows.join('\n') + '\n');
    expect(await readInPlace(quoted)).toBe(true);
    const { result, events } = await run(quoted);
    expect(events).toEqual([
      { user_id: 'u1', event: 'open, then close', ts: '2024-05-01T10:00:00.000000' },
      { user_id: 'u2', event: 'say "hi"', ts: '2024-05-03T10:00:00.000000' },
    ]);
    expect(result.rejects).toEqual([expect.objectContaining({ line: 3, reason: expect.stringContaining('missing user id') })]);

    const spanning = path.join(dir, 'spanning.csv');
    await writeFile(spanning, ['user_id,event,timestamp', 'u1,"two', 'lines",2024-05-01T10:00:00Z', ',open,2024-05-02T10:00:00Z'].join('\n') + '\n');
    expect(await readInPlace(spanning)).toBe(false);
    const span = await run(spanning);
    expect(span.events).toEqual([{ user_id: 'u1', event: 'two\nlines', ts: '2024-05-01T10:00:00.000000' }]);
    expect(span.result.rejects).toEqual([expect.objectContaining({ line: 4, reason: expect.stringContaining('missing user id') })]);
  });

  it('fall back when quotes turn up past the rows the sniffer samples (a gzip file is only scanned after the read)', async () => {
    const file = path.join(dir, 'events.csv.gz');
    const plain = Array.from({ length: 25_000 }, (_, i) => `u${i % 50},open,2024-05-01T10:00:00Z`);
    const rows = ['user_id,event,timestamp', ...plain, 'u2,"open, then close",2024-05-02T10:00:00Z', ',open,2024-05-03T10:00:00Z'];
    await writeFile(file, gzipSync(rows.join('\n') + '\n'));
    expect(await readInPlace(file)).toBe(false);
    const { result, events } = await run(file);
    expect(events).toHaveLength(25_000);
    // The careful read's sniffer did not see the quote either: the record is rejected as it reads.
    expect(result.rejects).toEqual([
      expect.objectContaining({ line: 25_002, reason: expect.stringContaining('too many columns') }),
      expect.objectContaining({ line: 25_003, reason: expect.stringContaining('missing user id') }),
    ]);
  });

  it('read JSON lines and Parquet in place with the rows on their lines', async () => {
    const jsonl = path.join(dir, 'events.jsonl');
    await writeFile(jsonl, ['{"user_id":"u1","event":"open","timestamp":"2024-05-01T10:00:00Z"}', '', '{"user_id":"","event":"open","timestamp":"2024-05-01T10:00:00Z"}'].join('\n') + '\n');
    expect(await readInPlace(jsonl)).toBe(true);
    const { result } = await run(jsonl);
    expect(result.rejects).toEqual([expect.objectContaining({ line: 3, reason: expect.stringContaining('missing user id') })]);

    const parquet = path.join(dir, 'events.parquet');
    await db.run(`COPY (SELECT * FROM read_json('${jsonl}')) TO '${parquet}' (FORMAT parquet)`);
    const source = await openInPlace(db, parquet, Promise.resolve(null));
    expect(source).not.toBeNull();
    const parquetRun = await run(parquet);
    expect(parquetRun.result.rejects).toEqual([expect.objectContaining({ line: 2, reason: expect.stringContaining('missing user id') })]);
  });

  it('leave `events` a view of the staged rows, replaced whole by the next ingest into the same database', async () => {
    const first = path.join(dir, 'first.csv');
    await writeFile(first, 'user_id,event,timestamp\nu1,open,2024-05-01T10:00:00Z\n');
    await run(first);
    const [kind] = await db.all<{ n: number }>(`SELECT count(*) AS n FROM duckdb_views() WHERE view_name = 'events'`);
    expect(Number(kind.n)).toBe(1);
    // An event id column: duplicates are searched, so `events` becomes a table — and must not be
    // hidden by the first ingest's view.
    const second = path.join(dir, 'second.csv');
    await writeFile(second, 'user_id,event,timestamp,event_id\nu2,open,2024-05-01T10:00:00Z,e1\nu2,open,2024-05-01T10:00:00Z,e1\n');
    const { result, events } = await run(second);
    expect(result.accounting[0]).toMatchObject({ read: 2, used: 1, duplicates: 1 });
    expect(events).toEqual([{ user_id: 'u2', event: 'open', ts: '2024-05-01T10:00:00.000000' }]);
  });
});

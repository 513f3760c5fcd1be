/**
 * The rule for line numbers in rejects: a reject's line is the line an editor shows for it. A CSV
 * header is line 1 (so the first row of a CSV with a header is line 2); blank lines and the extra
 * lines of a quoted value over several lines count; JSON lines and a header-less CSV start at 1.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { createContext } from '../../../src/core/context.js';
import type { Db } from '../../../src/core/duckdb.js';
import { ingest } from '../../../src/stages/ingest/index.js';
import type { IngestResult } from '../../../src/stages/ingest/types.js';
import { makeConfig, useDbAndDir } from './helpers.js';

let db: Db;
let dir: string;
useDbAndDir('each', { db: (d) => (db = d), dir: (d) => (dir = d) });

const NOW = new Date('2024-06-01T00:00:00Z');
const TS = '2024-05-01T10:00:00Z';

async function read(name: string, lines: readonly string[], overrides: Parameters<typeof makeConfig>[1] = {}): Promise<IngestResult> {
  const file = path.join(dir, name);
  await writeFile(file, lines.join('\n') + '\n');
  return ingest(db, makeConfig([file], { maxRejectRate: 1, ...overrides }), createContext(1), { now: NOW });
}

/** The text an editor shows on each reject's line holds the reject's value. */
function expectOnTheirLines(result: IngestResult, lines: readonly string[]): void {
  for (const r of result.rejects) expect(lines[r.line - 1], `line ${r.line}`).toContain(r.value);
}

describe('reject lines are the lines an editor shows', () => {
  for (const [name, end] of [
    ['LF', '\n'],
    ['CRLF', '\r\n'],
  ]) {
    it(`CSV with a header, blank lines and a quoted value over two lines (${name})`, async () => {
      const lines = [
        'user_id,event,timestamp', // 1: the header
        `u1,open,${TS}`, // 2: the first row
        'u2,open', // 3: too few columns
        '', // 4: blank
        `,open,${TS}`, // 5: no user id
        'u3,"a note', // 6: a quoted value …
        `over two lines",${TS}`, // 7: … over two lines
        'u4,open,not-a-time', // 8: unparseable timestamp
        '', // 9: blank
        `u5,open,${TS},extra`, // 10: too many columns (DuckDB alone would say line 9)
        `u6,open,${TS}`, // 11
      ];
      const file = path.join(dir, `editor-${name}.csv`);
      await writeFile(file, lines.join(end) + end);
      const r = await ingest(db, makeConfig([file], { maxRejectRate: 1 }), createContext(1), { now: NOW });
      expect(r.rejects.map((x) => [x.line, x.value])).toEqual([
        [3, 'u2,open'],
        [5, ''],
        [8, 'not-a-time'],
        [10, `u5,open,${TS},extra`],
      ]);
      expectOnTheirLines(r, lines);
      expect(r.accounting[0]).toMatchObject({ read: 7, used: 3, rejected: 4 });
    });
  }

  it('gzipped CSV with a byte-order mark: the same lines', async () => {
    const lines = ['user_id,event,timestamp', 'u1,"two', `lines",${TS}`, '', 'u2,open', `u3,open,${TS}`, 'u4,open,not-a-time'];
    const file = path.join(dir, 'editor.csv.gz');
    await writeFile(file, gzipSync(Buffer.from(`\ufeff${lines.join('\n')}\n`)));
    const r = await ingest(db, makeConfig([file], { maxRejectRate: 1 }), createContext(1), { now: NOW });
    expect(r.rejects.map((x) => [x.line, x.value])).toEqual([
      [5, 'u2,open'],
      [7, 'not-a-time'],
    ]);
  });

  it('CSV with blank lines before its header: those count too', async () => {
    const lines = ['', '', 'user_id,event,timestamp', `u1,open,${TS}`, 'u2,open', '', `u3,open,${TS}`, 'u4,open,not-a-time'];
    const r = await read('late-header.csv', lines);
    expect(r.rejects.map((x) => [x.line, x.value])).toEqual([
      [5, 'u2,open'],
      [8, 'not-a-time'],
    ]);
    expectOnTheirLines(r, lines);
  });

  it('JSON lines: line 1 is the first record', async () => {
    const row = (user: string, ts: string) => JSON.stringify({ user_id: user, event: 'open', timestamp: ts });
    const lines = [row('', TS), row('u1', TS), '', row('u2', 'not-a-time'), row('u3', TS)];
    const r = await read('editor.jsonl', lines);
    expect(r.rejects.map((x) => [x.line, x.value])).toEqual([
      [1, ''],
      [4, 'not-a-time'],
    ]);
    expectOnTheirLines(r, lines);
  });

  it('a CSV without a header: line 1 is the first row', async () => {
    // Every row's third field is a time, so DuckDB sees no header (a text there would look like one).
    const lines = ['u1,open,1980-01-01T00:00:00Z', `u2,open,${TS}`, '', `u3,open,${TS}`, `,open,${TS}`];
    const r = await read('headless.csv', lines, { columns: { userId: 'column0', event: 'column1', timestamp: 'column2' } });
    expect(r.rejects.map((x) => [x.line, x.value])).toEqual([
      [1, '1980-01-01T00:00:00Z'],
      [5, ''],
    ]);
    expectOnTheirLines(r, lines);
  });

  it('a vendor export as CSV (PostHog) counts its header and blank lines the same way', async () => {
    const fixture = path.resolve(import.meta.dirname, '../../fixtures/presets/posthog-csv/events.csv');
    const [header, first, second] = (await readFile(fixture, 'utf8')).split('\n');
    // The second row with its timestamp (the next-to-last field) unreadable.
    const broken = second.replace(/,[^,]+,([^,]+)$/, ',not-a-time,$1');
    expect(broken).not.toBe(second);
    const lines = [header, first, '', broken];
    const r = await read('posthog.csv', lines, { events: { preset: 'posthog' } });
    expect(r.rejects.map((x) => [x.line, x.value])).toEqual([[4, 'not-a-time']]);
    expectOnTheirLines(r, lines);
  });
});

/** Time: implausibly old and future events are rejected against the run's (injectable) clock. */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createContext } from '../../../src/core/context.js';
import type { Db } from '../../../src/core/duckdb.js';
import { ingest } from '../../../src/stages/ingest/index.js';
import { makeConfig, useDbAndDir } from './helpers.js';

let db: Db;
let dir: string;
useDbAndDir('each', { db: (d) => (db = d), dir: (d) => (dir = d) });

const NOW = new Date('2024-06-01T12:00:00Z');

async function csv(name: string, rows: readonly string[]): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, ['user_id,event,timestamp', ...rows].join('\n') + '\n');
  return file;
}

describe('plausible times', () => {
  it('rejects events before 1990 and more than a day after now, each with its reason', async () => {
    const file = await csv('range.csv', [
      'u1,a,1970-01-01T00:00:00Z', // an epoch-zero placeholder
      'u1,a,1989-12-31T23:59:59Z',
      'u1,a,1990-01-01T00:00:00Z',
      'u1,a,2024-06-02T11:59:59Z', // within a day of now: clocks drift, zones differ
      'u1,a,2024-06-02T12:00:01Z',
      'u1,a,2099-01-01T00:00:00Z',
    ]);
    const result = await ingest(db, makeConfig([file], { maxRejectRate: 1, window: { days: 20000 } }), createContext(1), { now: NOW });
    const old = 'implausible timestamp before 1990-01-01 (column "timestamp")';
    const future = 'timestamp in the future, after 2024-06-02T12:00:00Z (column "timestamp")';
    expect(result.rejects.map((r) => [r.line, r.value, r.reason])).toEqual([
      [2, '1970-01-01T00:00:00Z', old],
      [3, '1989-12-31T23:59:59Z', old],
      [6, '2024-06-02T12:00:01Z', future],
      [7, '2099-01-01T00:00:00Z', future],
    ]);
    // The window ends at the latest plausible event, not at 2099.
    expect(result.window.end).toBe('2024-06-02T11:59:59Z');
    expect(result.accounting[0]).toMatchObject({ read: 6, used: 2, rejected: 4 });
  });

  it('applies to epoch timestamps too (0 is a placeholder, not 1970)', async () => {
    const file = await csv('epoch.csv', ['u1,a,0', 'u1,a,1714557600', 'u1,a,1714561200']);
    const result = await ingest(db, makeConfig([file], { maxRejectRate: 1 }), createContext(1), { now: NOW });
    expect(result.events!.mapping.timestampFormat).toBe('epoch_s');
    expect(result.rejects.map((r) => [r.line, r.reason])).toEqual([[2, 'implausible timestamp before 1990-01-01 (column "timestamp")']]);
  });

  it('the clock defaults to the wall clock', async () => {
    const file = await csv('wall.csv', ['u1,a,2024-05-01T10:00:00Z', 'u1,a,2999-01-01T00:00:00Z']);
    const result = await ingest(db, makeConfig([file], { maxRejectRate: 1 }), createContext(1));
    expect(result.rejects.map((r) => r.line)).toEqual([3]);
    expect(result.rejects[0].reason).toMatch(/^timestamp in the future, after \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z \(column "timestamp"\)$/);
  });

  it('offsets and zones end up in UTC before the checks and the window', async () => {
    const file = await csv('zones.csv', ['u1,a,2024-06-02T13:30:00+02:00', 'u1,a,2024-06-02 07:00:00-05:00']);
    const result = await ingest(db, makeConfig([file], { maxRejectRate: 1 }), createContext(1), { now: NOW });
    // 13:30+02:00 is 11:30Z (accepted); 07:00-05:00 is 12:00Z (exactly the limit, accepted).
    expect(result.rejects).toEqual([]);
    expect(result.window.end).toBe('2024-06-02T12:00:00Z');
  });
});

/**
 * Generated usage logs for the scale benchmark (bench/scale.ts): `users` users in five behaviour
 * GROUPS of unequal size (40/25/17/12/6%) that differ in volume, event mix, hour of day and
 * recency — about 100 events per user on average — as a plain CSV (user_id, event, timestamp).
 *
 * Written by DuckDB from `range()` with hash-based draws, so the same size gives the same bytes
 * on every machine and 100M rows take minutes, not hours. Written under a temporary name and
 * renamed, so an interrupted run never leaves a short file that looks finished.
 *
 *   node --import tsx bench/scale-data.ts USERS   # prints the file's path
 */
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { quoteLiteral } from '../src/core/sql.js';

export const SCALE_DIR = join('.tmp', 'bench-scale');

// Group g: share of users, mean events, mix skew (higher = more of its favourite events),
// favourite event offset, hour centre, days active back from the end (90 = the whole window).
const GROUPS = [
  { share: 40, volume: 60, skew: 1.0, offset: 0, hour: 10, days: 90 },
  { share: 25, volume: 110, skew: 2.5, offset: 2, hour: 14, days: 90 },
  { share: 17, volume: 160, skew: 3.0, offset: 6, hour: 2, days: 90 },
  { share: 12, volume: 40, skew: 1.5, offset: 1, hour: 19, days: 35 },
  { share: 6, volume: 260, skew: 2.0, offset: 4, hour: 8, days: 60 },
];

/**
 * SQL: each user number u in 0…users − 1 with its planted group g (0…4), drawn from the hash of
 * u against the groups' cumulative shares. The generator and bench/k-by-seed.ts (which scores
 * fits against the groups) both read it.
 */
export function plantedGroupsSql(users: number): string {
  let cut = 0;
  const groupOf = `CASE ${GROUPS.map((g, i) => `WHEN h < ${(cut += g.share)} THEN ${i}`).join(' ')} END`;
  return `SELECT u, ${groupOf} AS g FROM (SELECT u, hash(u, 7) % 100 AS h FROM range(${users}) t(u))`;
}

const EVENTS = ['page_view', 'search', 'report_viewed', 'chart_edited', 'export', 'invite_sent', 'api_call', 'settings_changed'];

/** A uniform draw in [0, 1) from the hash of its arguments (deterministic, thread-safe). */
const draw = (...parts: string[]) => `((hash(${parts.join(', ')}) % 1000003) / 1000003.0)`;

/** The events file for `users` users, generated on first use; resolves to its path. */
export async function scaleEvents(users: number): Promise<string> {
  mkdirSync(SCALE_DIR, { recursive: true });
  const file = join(SCALE_DIR, `events-${users}.csv`);
  if (existsSync(file)) return file;
  const partial = `${file}.partial`;
  rmSync(partial, { force: true });
  const instance = await DuckDBInstance.create(':memory:', { threads: '2', memory_limit: '2GB', preserve_insertion_order: 'false' });
  const db = await instance.connect();
  const events = `[${EVENTS.map(quoteLiteral).join(', ')}]`;
  const pick = (field: keyof (typeof GROUPS)[number]) => `[${GROUPS.map((g) => g[field]).join(', ')}][g + 1]`;
  try {
    await db.run(
      `COPY (
        WITH p AS (${plantedGroupsSql(users)}),
        n AS (SELECT u, g, greatest(1, CAST(${pick('volume')} * (0.4 + 1.2 * ${draw('u', '11')}) AS BIGINT)) AS n FROM p)
        SELECT 'u' || lpad(CAST(u AS VARCHAR), 8, '0') AS user_id,
          ${events}[1 + (CAST(floor(pow(${draw('u', 'i', '1')}, ${pick('skew')}) * 8) AS INTEGER) + ${pick('offset')}) % 8] AS event,
          strftime(TIMESTAMP '2026-11-30 00:00:00'
            - to_days(CAST(floor(${draw('u', 'i', '2')} * ${pick('days')}) AS INTEGER))
            + to_hours((${pick('hour')} + CAST(floor(${draw('u', 'i', '3')} * 6) AS INTEGER)) % 24)
            + to_seconds(CAST(floor(${draw('u', 'i', '4')} * 3600) AS INTEGER)), '%Y-%m-%dT%H:%M:%SZ') AS timestamp
        FROM n, LATERAL (SELECT unnest(range(n.n)) AS i)
      ) TO ${quoteLiteral(partial)} (FORMAT csv, HEADER)`,
    );
  } finally {
    db.closeSync();
    instance.closeSync();
  }
  renameSync(partial, file);
  return file;
}

/** The same events as Parquet or JSON lines (converted from the CSV on first use). */
export async function scaleEventsAs(users: number, format: 'parquet' | 'jsonl'): Promise<string> {
  const csv = await scaleEvents(users);
  const file = csv.replace(/\.csv$/, `.${format}`);
  if (existsSync(file)) return file;
  const partial = `${file}.partial`;
  const instance = await DuckDBInstance.create(':memory:', { threads: '2', memory_limit: '2GB' });
  const db = await instance.connect();
  try {
    // Timestamps stay ISO text in JSON lines (as exports write them) and become real
    // TIMESTAMPs in Parquet (as warehouse extracts store them).
    const select = format === 'parquet'
      ? `SELECT user_id, event, CAST(timestamp AS TIMESTAMP) AS timestamp FROM read_csv(${quoteLiteral(csv)}, all_varchar = true)`
      : `SELECT * FROM read_csv(${quoteLiteral(csv)}, all_varchar = true)`;
    await db.run(`COPY (${select}) TO ${quoteLiteral(partial)} (FORMAT ${format === 'parquet' ? 'parquet' : 'json'})`);
  } finally {
    db.closeSync();
    instance.closeSync();
  }
  renameSync(partial, file);
  return file;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write((await scaleEvents(Number(process.argv[2] ?? 10_000))) + '\n');
}

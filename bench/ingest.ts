/**
 * Ingest: segmint's ingest stage (read, map, validate, window, account for every row) on
 * generated events as CSV and as Parquet, beside papaparse streaming the same CSV. Each
 * measurement runs in its own process so its peak resident memory (maxRSS) is its own.
 *
 * The events (user_id, event, timestamp, country, amount; 20 events per user over 89 days) are
 * generated once by DuckDB from `range()` into .tmp/bench-ingest/ (git-ignored) and reused.
 *
 *   node --import tsx bench/ingest.ts [rows…]        # default 1000000 10000000
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { openDb } from '../src/core/duckdb.js';
import { quoteLiteral } from '../src/core/sql.js';

const DIR = join('.tmp', 'bench-ingest');

interface Measured {
  rows: number;
  read: number;
  ms: number;
  maxRssMb: number;
}

export interface IngestCase {
  format: 'csv' | 'parquet';
  rows: number;
  bytes: number;
  segmint: Measured & { eventsPerSecond: number };
  /** papaparse streaming the CSV of the same events (it does not read Parquet). */
  papaparse: Measured & { eventsPerSecond: number };
  /** segmint events/s ÷ papaparse events/s. */
  ratio: number;
}

export interface IngestFigures {
  cases: IngestCase[];
  /** The largest segmint peak RSS at the largest size, against the 2 GB budget. */
  maxRssMbAtLargest: number;
  withinBudget: boolean;
}

const BUDGET_MB = 2048;

export async function runIngestBench(sizes: readonly number[] = [1_000_000, 10_000_000]): Promise<IngestFigures> {
  mkdirSync(DIR, { recursive: true });
  const cases: IngestCase[] = [];
  for (const rows of sizes) {
    const csv = await generate(rows, 'csv');
    const parquet = await generate(rows, 'parquet');
    const papa = withRate(child('papaparse', csv));
    for (const [format, file] of [['csv', csv], ['parquet', parquet]] as const) {
      const ours = withRate(child('segmint', file));
      if (ours.read !== rows || ours.rows !== rows) throw new Error(`segmint read ${ours.read} and used ${ours.rows} of ${rows} rows in ${file}`);
      cases.push({ format, rows, bytes: statSync(file).size, segmint: ours, papaparse: papa, ratio: ours.eventsPerSecond / papa.eventsPerSecond });
    }
  }
  const largest = Math.max(...sizes);
  const maxRssMbAtLargest = Math.max(...cases.filter((c) => c.rows === largest).map((c) => c.segmint.maxRssMb));
  return { cases, maxRssMbAtLargest, withinBudget: maxRssMbAtLargest <= BUDGET_MB };
}

function withRate(m: Measured): Measured & { eventsPerSecond: number } {
  return { ...m, eventsPerSecond: Math.round(m.rows / (m.ms / 1000)) };
}

function child(engine: 'segmint' | 'papaparse', file: string): Measured {
  process.stderr.write(`ingest bench: ${engine} on ${file} …\n`);
  const out = execFileSync(process.execPath, ['--import', 'tsx', 'bench/ingest-child.ts', engine, file], { encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(out.trim().split('\n').at(-1)!) as Measured;
}

/**
 * The events file for `rows` rows in `format`, generated on first use. Written under a temporary
 * name and renamed, so an interrupted run never leaves a short file that looks finished.
 */
async function generate(rows: number, format: 'csv' | 'parquet'): Promise<string> {
  const file = join(DIR, `events-${rows}.${format}`);
  if (existsSync(file)) return file;
  process.stderr.write(`ingest bench: generating ${rows.toLocaleString('en-US')} events as ${format} in ${DIR} …\n`);
  const users = Math.max(1, Math.round(rows / 20));
  const db = await openDb();
  try {
    // Deterministic pseudo-random columns from the row number: hash() spreads users, events and
    // times; timestamps fall within 89 days so the default 90-day window keeps every row.
    const select =
      `SELECT 'u' || lpad(CAST(hash(i) % ${users} AS VARCHAR), 7, '0') AS user_id, ` +
      `['page_viewed', 'search', 'project_created', 'report_exported', 'invite_sent', 'login', 'settings_changed', 'comment_added'][1 + CAST(hash(i * 31) % 8 AS INTEGER)] AS event, ` +
      `strftime(TIMESTAMP '2024-02-01' + to_seconds(CAST(hash(i * 17) % ${89 * 86_400} AS BIGINT)), '%Y-%m-%dT%H:%M:%SZ') AS timestamp, ` +
      `['US', 'GB', 'DE', 'FR', 'IN', 'BR'][1 + CAST(hash(i * 13) % 6 AS INTEGER)] AS country, ` +
      `round(CAST(hash(i * 7) % 100000 AS DOUBLE) / 100, 2) AS amount ` +
      `FROM range(${rows}) t(i) ORDER BY i`;
    const tmp = `${file}.partial`;
    const options = format === 'csv' ? '(FORMAT csv, HEADER true)' : '(FORMAT parquet)';
    await db.run(`COPY (${select}) TO ${quoteLiteral(tmp)} ${options}`);
    renameSync(tmp, file);
  } finally {
    db.close();
  }
  return file;
}

export function printIngest(f: IngestFigures): string {
  const n = (x: number) => x.toLocaleString('en-US');
  const mb = (x: number) => `${n(x)} MB`;
  const rows = f.cases.map((c) => [
    c.format === 'csv' ? 'CSV' : 'Parquet',
    n(c.rows),
    mb(Math.round(c.bytes / 1_048_576)),
    n(c.segmint.eventsPerSecond),
    mb(c.segmint.maxRssMb),
    `${n(c.papaparse.eventsPerSecond)}${c.format === 'parquet' ? '¹' : ''}`,
    mb(c.papaparse.maxRssMb),
    `${c.ratio.toFixed(2)}×`,
  ]);
  const head = ['format', 'rows', 'file', 'segmint events/s', 'segmint peak RSS', 'papaparse events/s', 'papaparse peak RSS', 'ratio²'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  return [
    'ingest: read, map, validate, window and account for every event (each measurement in its own process)',
    line(head),
    `| ${widths.map((w, i) => (i === 0 ? '-'.repeat(w) : '-'.repeat(w - 1) + ':')).join(' | ')} |`,
    ...rows.map(line),
    `segmint peak RSS at ${n(Math.max(...f.cases.map((c) => c.rows)))} events: ${mb(f.maxRssMbAtLargest)} (budget 2,048 MB: ${f.withinBudget ? 'within' : 'OVER'})`,
    '¹ papaparse on the CSV of the same events (it does not read Parquet)',
    '² segmint events/s ÷ papaparse events/s; papaparse only splits rows into objects, segmint also validates, types, dedupes and windows them',
    '',
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const sizes = process.argv.slice(2).map(Number).filter((x) => x > 0);
  process.stdout.write(printIngest(await runIngestBench(sizes.length ? sizes : undefined)));
}

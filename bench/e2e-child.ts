/**
 * One measurement of the scale benchmark in its own process, so its peak resident memory is
 * its own. Prints one JSON line. Used by bench/e2e.ts.
 *
 *   node --import tsx bench/e2e-child.ts floor EVENTS.csv          # DuckDB alone: read + group by user
 *   node --import tsx bench/e2e-child.ts features EVENTS.csv       # segmint's ingest + features stages
 *   node --import tsx bench/e2e-child.ts run EVENTS.csv OUT_DIR    # the whole segmint run
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { resolveConfig } from '../src/config/resolve.js';
import { createContext } from '../src/core/context.js';
import { openDb } from '../src/core/duckdb.js';
import { quoteLiteral } from '../src/core/sql.js';
import { runPipeline } from '../src/pipeline.js';
import { buildFeatures } from '../src/stages/features/build.js';
import { ingest } from '../src/stages/ingest/index.js';

const [mode, file, outDir] = process.argv.slice(2);

/**
 * DuckDB's floor: the file read with DuckDB's own type detection and grouped per user with six
 * aggregates, in the same memory limit and threads segmint gives DuckDB.
 */
async function floor(): Promise<Record<string, number>> {
  const instance = await DuckDBInstance.create(':memory:', { threads: '2', memory_limit: process.env.SEGMINT_DUCKDB_MEMORY ?? '1GB' });
  const db = await instance.connect();
  const read = file.endsWith('.parquet') ? 'read_parquet' : file.endsWith('.jsonl') ? 'read_json' : 'read_csv';
  const reader = await db.runAndReadAll(
    `SELECT count(*) AS users, sum(n) AS events FROM (SELECT user_id, count(*) AS n, min(timestamp) AS first, max(timestamp) AS last, ` +
      `min(event) AS a, max(event) AS b, count_if(hour(CAST(timestamp AS TIMESTAMP)) < 12) AS am FROM ${read}(${quoteLiteral(file)}) GROUP BY user_id)`,
  );
  const [row] = reader.getRowObjectsJS();
  db.closeSync();
  instance.closeSync();
  return { users: Number(row.users), events: Number(row.events) };
}

function config(out?: string) {
  return resolveConfig({ inputs: { events: { path: file } }, ...(out ? { output: { dir: out } } : {}) }, { file: 'bench', baseDir: process.cwd(), source: null });
}

async function features(): Promise<Record<string, number>> {
  const cfg = config();
  const db = await openDb();
  try {
    const ctx = createContext(cfg.seed);
    const ingested = await ingest(db, cfg, ctx);
    const table = await buildFeatures(db, ingested, cfg, ctx);
    return { users: table.userIds.length, events: ingested.events?.rows ?? 0 };
  } finally {
    db.close();
  }
}

async function run(): Promise<Record<string, unknown>> {
  const cfg = config(outDir);
  const outcome = await runPipeline(cfg, createContext(cfg.seed));
  const events = outcome.documents.manifest.accounting.find((a) => a.role === 'events');
  return { users: outcome.documents.segments.users, events: events?.used ?? 0, k: outcome.documents.segments.k, timings: outcome.documents.manifest.timings };
}

const t0 = performance.now();
const figures = mode === 'floor' ? await floor() : mode === 'features' ? await features() : await run();
const ms = Math.round(performance.now() - t0);
process.stdout.write(JSON.stringify({ mode, ...figures, ms, maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024) }) + '\n');

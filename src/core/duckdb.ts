/**
 * A thin wrapper over `@duckdb/node-api`: one in-memory database per run, and helpers that read
 * results as plain objects or as typed columns.
 */
import { DuckDBInstance, DuckDBTypeId, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import { createSpillDir, removeSpillDir } from './spill.js';
import { runningStage } from './stage.js';

export interface Db {
  readonly connection: DuckDBConnection;
  /** This database's private spill folder (removed by `close`). */
  readonly spillDir: string;
  /** Run a statement with optional bound parameters ($1, $2, …). */
  run(sql: string, params?: readonly DuckDBValue[]): Promise<void>;
  /** Rows as objects; BIGINT becomes number when it is safe, else string. */
  all<T = Record<string, unknown>>(sql: string, params?: readonly DuckDBValue[]): Promise<T[]>;
  /** Column-major result: column name → values. */
  columns(sql: string, params?: readonly DuckDBValue[]): Promise<Map<string, unknown[]>>;
  /**
   * Column-major result of DOUBLE and VARCHAR columns only: DOUBLE as a Float64Array (NULL →
   * NaN), VARCHAR as strings (or null). Read straight from DuckDB's vectors: a wide numeric result
   * (100,000 users × 35 features) reads in a third of the time `columns` takes.
   */
  numericColumns(sql: string): Promise<Map<string, Float64Array | (string | null)[]>>;
  close(): void;
}

/**
 * DuckDB's default memory limit is 80% of RAM, and an in-memory database keeps whole tables
 * resident: 10M events then took ~4.8 GB. A 1 GB limit with a spill folder keeps a 10M-event run
 * near 1.5 GB at the same speed (measured by `npm run bench -- ingest`).
 * `SEGMINT_DUCKDB_MEMORY` overrides the limit (e.g. `4GB`).
 */
export async function openDb(threads = 2): Promise<Db> {
  // A private spill folder per database (see spill.ts), removed on close: a fixed shared folder
  // made two runs spilling at once overwrite each other's files and crash, and left a killed
  // run's files world-readable in the way of the next.
  const spillDir = createSpillDir();
  let instance: DuckDBInstance;
  try {
    instance = await DuckDBInstance.create(':memory:', {
      threads: String(threads),
      memory_limit: process.env.SEGMINT_DUCKDB_MEMORY ?? '1GB',
      temp_directory: spillDir,
    });
  } catch (e) {
    removeSpillDir(spillDir);
    throw e;
  }
  const connection = await instance.connect();
  const watched = progressWatcher(connection);
  return {
    connection,
    spillDir,
    async run(sql, params) {
      await watched(() => connection.run(sql, params ? [...params] : undefined));
    },
    async all<T>(sql: string, params?: readonly DuckDBValue[]) {
      const reader = await watched(() => connection.runAndReadAll(sql, params ? [...params] : undefined));
      return reader.getRowObjectsJS().map(normaliseRow) as T[];
    },
    async columns(sql, params) {
      const reader = await watched(() => connection.runAndReadAll(sql, params ? [...params] : undefined));
      const names = reader.columnNames();
      const cols = reader.getColumnsJS();
      const out = new Map<string, unknown[]>();
      // An empty result has names but no column chunks.
      names.forEach((n, i) => out.set(n, (cols[i] ?? []).map(normaliseValue)));
      return out;
    },
    async numericColumns(sql) {
      const result = await watched(() => connection.run(sql));
      const names = result.columnNames();
      const types = result.columnTypes();
      const rows = Number(result.rowCount);
      const out = names.map((name, i) => {
        if (types[i].typeId === DuckDBTypeId.DOUBLE) return new Float64Array(rows);
        if (types[i].typeId === DuckDBTypeId.VARCHAR) return new Array<string | null>(rows);
        throw new Error(`numericColumns reads DOUBLE and VARCHAR columns only; ${name} is ${types[i].toString()}`);
      });
      let offset = 0;
      for (let c = 0; c < result.chunkCount; c++) {
        const chunk = result.getChunk(c);
        const length = chunk.rowCount;
        out.forEach((column, i) => {
          const vector = chunk.getColumnVector(i);
          if (column instanceof Float64Array) {
            for (let r = 0; r < length; r++) column[offset + r] = (vector.getItem(r) as number | null) ?? NaN;
          } else {
            for (let r = 0; r < length; r++) column[offset + r] = vector.getItem(r) as string | null;
          }
        });
        offset += length;
      }
      return new Map(names.map((name, i) => [name, out[i]]));
    },
    close() {
      connection.closeSync();
      instance.closeSync();
      removeSpillDir(spillDir);
    },
  };
}

/** How often a running query's progress is read (DuckDB computes it on request). */
export const PROGRESS_POLL_MS = 200;

/**
 * Runs queries through `watched` so that, inside a timed stage whose progress is shown
 * (core/stage.ts `runningStage`), DuckDB's progress of each query is read every
 * PROGRESS_POLL_MS and reported as rows processed: the stage's finished queries' rows plus the
 * current one's, with the current query's percentage. DuckDB counts a row once per pipeline it
 * passes through (a 6M-row CSV copied into a table counts about 13M), so it is work done, not
 * rows read. Elsewhere — tests, `--quiet`, stderr not a terminal — it only runs the query, and
 * DuckDB's progress tracking stays off (it is switched on, without DuckDB's own printed bar, on
 * the first watched query).
 */
function progressWatcher(connection: DuckDBConnection): <T>(query: () => Promise<T>) => Promise<T> {
  let tracking = false;
  let stageName = '';
  let stageRows = 0;
  let polling = false;
  return async (query) => {
    const stage = runningStage();
    // One poller per connection: a query started while another runs is covered by its poller.
    if (!stage?.progress.enabled || polling) return query();
    polling = true;
    let rows = 0;
    let timer: ReturnType<typeof setInterval> | undefined;
    try {
      if (!tracking) {
        await connection.run('SET enable_progress_bar = true; SET enable_progress_bar_print = false');
        tracking = true;
      }
      if (stage.name !== stageName) {
        stageName = stage.name;
        stageRows = 0;
      }
      const before = stageRows;
      timer = setInterval(() => {
        const p = connection.progress;
        if (p.percentage < 0) return;
        rows = Number(p.rows_processed);
        stage.progress.update({ stage: stage.name, done: before + rows, unit: 'rows processed', percent: p.percentage });
      }, PROGRESS_POLL_MS);
      return await query();
    } finally {
      clearInterval(timer);
      stageRows += rows;
      polling = false;
    }
  };
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);

function normaliseValue(v: unknown): unknown {
  if (typeof v === 'bigint') return v <= MAX_SAFE && v >= MIN_SAFE ? Number(v) : v.toString();
  return v;
}

function normaliseRow(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) out[k] = normaliseValue(v);
  return out;
}

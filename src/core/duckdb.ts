/**
 * A thin wrapper over `@duckdb/node-api`: one in-memory database per run, and helpers that read
 * results as plain objects or as typed columns.
 */
import { DuckDBInstance, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import { createSpillDir, removeSpillDir } from './spill.js';

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
  return {
    connection,
    spillDir,
    async run(sql, params) {
      await connection.run(sql, params ? [...params] : undefined);
    },
    async all<T>(sql: string, params?: readonly DuckDBValue[]) {
      const reader = await connection.runAndReadAll(sql, params ? [...params] : undefined);
      return reader.getRowObjectsJS().map(normaliseRow) as T[];
    },
    async columns(sql, params) {
      const reader = await connection.runAndReadAll(sql, params ? [...params] : undefined);
      const names = reader.columnNames();
      const cols = reader.getColumnsJS();
      const out = new Map<string, unknown[]>();
      // An empty result has names but no column chunks.
      names.forEach((n, i) => out.set(n, (cols[i] ?? []).map(normaliseValue)));
      return out;
    },
    close() {
      connection.closeSync();
      instance.closeSync();
      removeSpillDir(spillDir);
    },
  };
}

function normaliseValue(v: unknown): unknown {
  if (typeof v === 'bigint') {
    return v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(v) : v.toString();
  }
  return v;
}

function normaliseRow(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) out[k] = normaliseValue(v);
  return out;
}

/** Read a numeric column as a Float64Array (nulls become NaN). */
export function toFloat64(values: readonly unknown[]): Float64Array {
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    out[i] = v === null || v === undefined ? NaN : typeof v === 'boolean' ? (v ? 1 : 0) : Number(v);
  }
  return out;
}

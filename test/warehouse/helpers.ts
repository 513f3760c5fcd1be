/**
 * The bundled sample loaded into a throwaway PostgreSQL (test/helpers/postgres.ts) as a warehouse
 * holds it: schema `analytics`, tables events(event_id, user_id, event, timestamp TIMESTAMP),
 * users and accounts with the column types DuckDB's CSV reader gives them.
 */
import { join, resolve } from 'node:path';
import type pg from 'pg';
import { openDb } from '../../src/core/duckdb.js';
import { copyTableToPostgres } from '../helpers/postgres.js';
import { parse as parseYaml } from 'yaml';
import { readFileSync } from 'node:fs';

export const REPO = resolve(import.meta.dirname, '../..');
export const SAMPLE = resolve(REPO, 'data/sample');
export const DEFAULT_YAML = resolve(REPO, 'pipeline/default.yaml');

/**
 * Create `schema`.events / users / accounts from the sample files (or a generated sample's folder,
 * as bench/warehouse.ts does); rows sent as text arrays through unnest.
 */
export async function loadSample(client: pg.Client, schema = 'analytics', dir = SAMPLE): Promise<void> {
  const db = await openDb();
  try {
    await db.run(
      `CREATE TABLE events AS SELECT event_id, user_id, event, strptime("timestamp", '%Y-%m-%dT%H:%M:%SZ') AS "timestamp" ` +
        `FROM read_csv('${join(dir, 'events.csv.gz')}', all_varchar = true)`,
    );
    await db.run(`CREATE TABLE users AS SELECT * FROM read_csv('${join(dir, 'users.csv')}')`);
    await db.run(`CREATE TABLE accounts AS SELECT * FROM read_csv('${join(dir, 'accounts.csv')}')`);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    for (const table of ['events', 'users', 'accounts']) await copyTableToPostgres(db, client, table, `${schema}.${table}`);
    await client.query('ANALYZE');
  } finally {
    db.close();
  }
}

/** pipeline/default.yaml as parsed YAML, its file inputs replaced by `warehouse`. */
export function warehouseYaml(warehouse: Record<string, unknown>): Record<string, unknown> {
  const raw = parseYaml(readFileSync(DEFAULT_YAML, 'utf8')) as Record<string, unknown>;
  return { ...raw, inputs: { warehouse } };
}

/** The sample's tables in `schema`, as a warehouse block. */
export function sampleWarehouse(url: string, schema = 'analytics'): Record<string, unknown> {
  return {
    url,
    events: `${schema}.events`,
    users: { table: `${schema}.users`, key: 'user_id', account_key: 'account_id' },
    accounts: { table: `${schema}.accounts`, key: 'account_id', exclude: ['name'] },
  };
}

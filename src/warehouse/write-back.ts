/**
 * `--write-assignments TABLE`: every user's segment written back into the warehouse, so a
 * dashboard or a reverse-ETL job can join on it without a file in between.
 *
 * The rows are the run's own placement (assignments.csv's rows: user_id, segment, segment_name,
 * distance, confidence), sent in batches of array parameters (`INSERT … SELECT FROM unnest(…)`)
 * inside one transaction: readers see the old table or the new one, never half of it. A table of
 * that name that segmint did not write is never replaced.
 */
import type { WarehouseInput } from '../config/types.js';
import { warehouseErrors } from '../core/messages.js';
import { toAssignments, type Assignment } from '../run/assignments.js';
import type { Analysis } from '../run/documents.js';
import { quotedTable } from './catalog.js';
import { connectWarehouse, type Warehouse } from './connection.js';
import { literal } from './pgsql.js';

const BATCH = 50_000;
/** The comment segmint puts on tables it writes: only those may be replaced. */
const MARKER = 'segmint assignments';

/**
 * @example await writeBack(config.inputs.warehouse!, analysis); // 5000
 */
export async function writeBack(input: WarehouseInput, a: Pick<Analysis, 'features' | 'cluster' | 'profiles'>): Promise<number> {
  const target = input.writeAssignments!;
  const assignments = toAssignments(a.features.userIds, a.cluster.placement, a.profiles.map((p) => p.name), a.features.usersWithoutEvents);
  const wh = await connectWarehouse(input.url);
  const table = quotedTable(target);
  try {
    await checkWriteTarget(wh, target);
    await wh.run('BEGIN');
    try {
      await wh.run(`DROP TABLE IF EXISTS ${table}`);
      await wh.run(
        `CREATE TABLE ${table} (user_id TEXT NOT NULL PRIMARY KEY, segment INTEGER NOT NULL, segment_name TEXT NOT NULL, distance DOUBLE PRECISION, confidence DOUBLE PRECISION)`,
      );
      await wh.run(`COMMENT ON TABLE ${table} IS ${literal(MARKER)}`);
      for (let from = 0; from < assignments.length; from += BATCH) await insert(wh, table, assignments.slice(from, from + BATCH));
      await wh.run('COMMIT');
    } catch (e) {
      await wh.run('ROLLBACK').catch(() => {});
      throw e;
    }
    return assignments.length;
  } finally {
    await wh.close();
  }
}

/**
 * Refuse a target table segmint did not write (checked again before writing, and first thing in
 * a warehouse run, so a run that cannot be written back is not computed first).
 */
export async function checkWriteTarget(wh: Warehouse, target: readonly string[]): Promise<void> {
  const [existing] = await wh.query<{ comment: string | null }>(
    `SELECT obj_description(to_regclass($1), 'pg_class') AS comment WHERE to_regclass($1) IS NOT NULL`,
    [quotedTable(target)],
  );
  if (existing && existing.comment !== MARKER) throw warehouseErrors.notOurTable(target.join('.'), wh.url);
}

async function insert(wh: Warehouse, table: string, rows: readonly Assignment[]): Promise<void> {
  await wh.run(
    `INSERT INTO ${table} SELECT * FROM unnest($1::text[], $2::integer[], $3::text[], $4::double precision[], $5::double precision[])`,
    [rows.map((r) => r.userId), rows.map((r) => r.segment), rows.map((r) => r.segmentName), rows.map((r) => r.distance), rows.map((r) => r.confidence)],
  );
}

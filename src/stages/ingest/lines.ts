/**
 * Line numbers for rows DuckDB reads without them. Readers skip blank lines (and rejected CSV
 * records), so a row's position among the rows read is not its line in the file. Given the
 * sorted data lines that hold no row, a row's line follows from its position: with L_j the j-th
 * skipped line (1-based j), k_j = L_j - j rows come before it, so the row at position p sits at
 * line p + #{j : k_j < p}. One ASOF join against a small table of (k, count) finds that count.
 */
import type { Db } from '../../core/duckdb.js';
import { quoteIdent } from '../../core/sql.js';

/**
 * Create `table(k BIGINT, c BIGINT)` for `skipped` (sorted, unique data lines holding no row).
 * Join it as `ASOF LEFT JOIN table s ON position > s.k` and add `coalesce(s.c, 0)`.
 *
 * @example
 * await createLineShift(db, 'shift', [2, 3]); // rows at positions 1, 2, 3 → lines 1, 4, 5
 */
export async function createLineShift(db: Db, table: string, skipped: readonly number[]): Promise<void> {
  const counts = new Map<number, number>();
  // k_j is non-decreasing; keep the last (largest) count for each k.
  skipped.forEach((line, j) => counts.set(line - (j + 1), j + 1));
  await db.run(`CREATE OR REPLACE TEMP TABLE ${quoteIdent(table)} (k BIGINT, c BIGINT)`);
  const pairs = [...counts];
  for (let i = 0; i < pairs.length; i += 10_000) {
    const chunk = pairs.slice(i, i + 10_000);
    await db.run(
      `INSERT INTO ${quoteIdent(table)} SELECT unnest([${chunk.map(([k]) => Math.trunc(k)).join(', ')}]::BIGINT[]), ` +
        `unnest([${chunk.map(([, c]) => c).join(', ')}]::BIGINT[])`,
    );
  }
}

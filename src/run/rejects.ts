/** rejects.csv: every input row that was rejected, with where it came from and why. */
import Papa from 'papaparse';
import { FORMULA_CELL } from '../core/csvCells.js';
import type { RejectedRow } from '../stages/ingest/types.js';

export function rejectsCsv(rejects: readonly RejectedRow[]): string {
  return (
    Papa.unparse(
      { fields: ['file', 'line', 'value', 'reason'], data: rejects.map((r) => [r.file, r.line, r.value, r.reason]) },
      { newline: '\n', escapeFormulae: FORMULA_CELL },
    ) + '\n'
  );
}

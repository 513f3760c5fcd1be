/**
 * transitions.csv: every user whose segment key changed since the previous run of the job —
 * entering a segment (from empty: not in the previous run), leaving one (to empty: not in this
 * run), or moving between keys; `-1` is the no-events group. Users who kept their key are not
 * listed (assignments.csv has them).
 */
import Papa from 'papaparse';
import { FORMULA_CELL } from '../core/csvCells.js';
import { NO_EVENTS_KEY, type Transition } from './lineage.js';

/** The no-events group's key as the number assignments.csv writes (a string "-1" would be formula-escaped). */
const cell = (key: string): string | number => (key === NO_EVENTS_KEY ? Number(key) : key);

/**
 * @example
 * transitionsCsv([{ userId: 'u1', from: 'seg-3f9a2c', to: 'seg-77d012' }]);
 * // 'user_id,from_key,to_key\nu1,seg-3f9a2c,seg-77d012\n'
 */
export function transitionsCsv(transitions: readonly Transition[]): string {
  return (
    Papa.unparse(
      { fields: ['user_id', 'from_key', 'to_key'], data: transitions.map((t) => [t.userId, cell(t.from), cell(t.to)]) },
      // User ids come from data: a spreadsheet must never run them as formulas.
      { newline: '\n', escapeFormulae: FORMULA_CELL },
    ) + '\n'
  );
}

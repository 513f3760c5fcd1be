/**
 * A warehouse connection held from the features to the write-back: the features relation the
 * model is pushed down over lives in that connection's temporary tables, so `--write-assignments`
 * reads the very rows the model was fitted on (no second pass over the events, no drift when
 * the events table grows meanwhile).
 *
 * Held by the feature table it produced (a WeakMap: nothing global outlives the run's objects),
 * and unref'd while idle, so a run that fails between the two never hangs the process; the
 * server drops the temporary tables when the connection goes.
 */
import type { FeatureTable } from '../stages/features/types.js';
import type { Warehouse } from './connection.js';

const held = new WeakMap<FeatureTable, Warehouse>();

/** Keep `wh` open for the write-back of the run whose features are `features`. */
export function holdSession(features: FeatureTable, wh: Warehouse): void {
  wh.unrefWhenIdle();
  held.set(features, wh);
}

/** The connection held for `features` (then no longer held: the caller closes it), or null. */
export function takeSession(features: FeatureTable): Warehouse | null {
  const wh = held.get(features) ?? null;
  held.delete(features);
  return wh;
}

/**
 * Value features: the monetary side of recency / frequency / monetary segmentation. Each
 * configured value is the product of numeric event columns (revenue = Quantity × UnitPrice),
 * aggregated per user over the events in the window:
 *   value_<name>_sum  — total (0 for a user none of whose events carry the value);
 *   value_<name>_mean — mean over the user's events that carry it (NaN when none do);
 *   value_<name>_max  — largest single event (NaN when none do).
 * Ingest carried the columns into `events` as DOUBLE (rows with non-numeric values were
 * rejected there), so a NULL here means "no value on this event".
 */
import type { ValueFeature } from '../../config/types.js';
import { quoteIdent } from '../../core/sql.js';
import type { Namer } from './names.js';
import type { FeatureSpec } from './spec.js';

export interface ValueSpecs {
  /** Aggregates for relation `b`. */
  readonly aggregates: readonly string[];
  readonly specs: readonly FeatureSpec[];
}


/**
 * @example
 * valueSpecs([{ name: 'revenue', columns: ['Quantity', 'UnitPrice'], aggregates: ['sum', 'mean'] }], namer).specs
 *   .map((s) => [s.name, s.label]);
 * // [['value_revenue_sum', 'total revenue (Quantity × UnitPrice)'], ['value_revenue_mean', 'mean revenue per event with revenue (Quantity × UnitPrice)']]
 */
export function valueSpecs(values: readonly ValueFeature[], namer: Namer): ValueSpecs {
  const aggregates: string[] = [];
  const specs: FeatureSpec[] = [];
  values.forEach((v, i) => {
    const product = `(${v.columns.map((c) => `CAST(${quoteIdent(c)} AS DOUBLE)`).join(' * ')})`;
    for (const agg of v.aggregates) {
      const alias = `val_${i}_${agg}`;
      const sql = agg === 'sum' ? `coalesce(sum(${product}), 0)` : agg === 'mean' ? `avg(${product})` : `max(${product})`;
      aggregates.push(`${sql} AS ${alias}`);
      specs.push({
        name: namer.unique(`value_${v.name}_${agg}`),
        meaning: { kind: 'value', name: v.name, columns: v.columns, aggregate: agg },
        kind: 'numeric',
        integer: false,
        sql: `b.${alias}`,
      });
    }
  });
  return { aggregates, specs };
}

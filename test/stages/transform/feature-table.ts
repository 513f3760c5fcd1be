/**
 * A tiny local builder for FeatureTables in transform and profile tests (independent of the
 * shared helper another engineer is writing).
 */
import type { ResolvedConfig } from '../../../src/config/types.js';
import { familyOf, labelOf, type FeatureMeaning } from '../../../src/core/meaning.js';
import { meaningFor } from '../../helpers/meanings.js';
import type {
  BooleanFeature,
  CategoricalFeature,
  Feature,
  FeatureFamily,
  FeatureTable,
  NumericFeature,
} from '../../../src/stages/features/types.js';

interface Opts {
  /** Defaults to a representative meaning of the family (see helpers/meanings.ts). */
  readonly meaning?: FeatureMeaning;
  readonly family?: FeatureFamily;
  readonly label?: string;
  readonly integer?: boolean;
  readonly evidence?: NumericFeature['evidence'];
  readonly describeOnly?: boolean;
}

/** Meaning, family and label: given ones win; a label defaults to the meaning's when one is given. */
function describe(o: Opts, family: FeatureFamily, kind: 'numeric' | 'boolean' | 'categorical', name: string) {
  const fam = o.family ?? (o.meaning ? familyOf(o.meaning) : family);
  const meaning = o.meaning ?? meaningFor(fam, kind, name);
  return { meaning, family: fam, label: o.label ?? (o.meaning ? labelOf(o.meaning) : name) };
}

const floats = (values: readonly (number | null)[]) => Float64Array.from(values, (v) => (v === null ? NaN : v));

export function num(name: string, values: readonly (number | null)[], o: Opts = {}): NumericFeature {
  return {
    kind: 'numeric',
    name,
    ...describe(o, 'volume', 'numeric', name),
    values: floats(values),
    integer: o.integer ?? false,
    ...(o.evidence ? { evidence: o.evidence } : {}),
    ...(o.describeOnly ? { describeOnly: true } : {}),
  };
}

export function bool(name: string, values: readonly (number | null)[], o: Opts = {}): BooleanFeature {
  return { kind: 'boolean', name, ...describe(o, 'attribute', 'boolean', name), values: floats(values) };
}

export function cat(name: string, values: readonly (string | null)[], o: Opts = {}): CategoricalFeature {
  return { kind: 'categorical', name, ...describe(o, 'attribute', 'categorical', name), values: values.slice() };
}

/** Users u000, u001, … (sorted, unique), one per value. */
export function table(columns: readonly Feature[], users?: number): FeatureTable {
  const n = users ?? (columns.length > 0 ? columns[0].values.length : 0);
  const userIds = Array.from({ length: n }, (_, i) => `u${String(i).padStart(4, '0')}`);
  return { table: 'features', userIds, columns, usersWithoutEvents: [], usersTable: null };
}

export const ALL_FAMILIES: readonly FeatureFamily[] = [
  'volume', 'sessions', 'recency', 'frequency', 'event_mix', 'breadth', 'time', 'trend', 'value', 'attribute',
];

export function transformConfig(over: Partial<ResolvedConfig['transform']> = {}): ResolvedConfig['transform'] {
  const weights = Object.fromEntries(ALL_FAMILIES.map((f) => [f, 1])) as Record<FeatureFamily, number>;
  return {
    log1pSkew: 1,
    winsorize: [0, 1],
    scaling: 'standard',
    topCategories: 8,
    nearDuplicate: 0.98,
    shrinkage: 0,
    weights,
    attributeFallback: null,
    ...over,
  };
}

/** A deep, comparable snapshot of a table (typed arrays as plain arrays, NaN kept as 'NaN'). */
export function snapshot(t: FeatureTable): unknown {
  return JSON.parse(
    JSON.stringify(t, (_k, v) => (v instanceof Float64Array ? Array.from(v, (x) => (Number.isNaN(x) ? 'NaN' : x)) : v)),
  );
}

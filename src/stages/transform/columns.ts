/**
 * Turning one raw feature into one model column through a fitted step. Fitting and scoring both
 * go through `writeStepColumn`, so applying a model to its training table reproduces the fitted
 * matrix bit for bit.
 */
import type { Feature } from '../features/types.js';
import type { Shrinkage, TransformStep } from './types.js';

/** Matrix column name of the "other" bucket of a one-hot feature. */
export const OTHER_LABEL = '(other)';

/**
 * Writes `step` applied to `feature` into column `col` of a row-major matrix with `cols` columns,
 * scaled by `weight` (pass 1 for the unweighted column). `lookup` finds the feature a shrunk
 * step's evidence is counted in.
 */
export function writeStepColumn(
  step: TransformStep,
  feature: Feature,
  out: Float64Array,
  col: number,
  cols: number,
  weight: number,
  lookup: (name: string) => Feature | undefined = () => undefined,
): void {
  if (step.kind === 'numeric') {
    if (feature.kind === 'categorical') throw new TypeError(`feature ${feature.name} is categorical, the model expects numbers`);
    const values = step.shrink ? shrunkValues(step.shrink, feature.values, lookup) : feature.values;
    for (let i = 0; i < values.length; i++) out[i * cols + col] = numericValue(step, values[i], weight);
  } else {
    if (feature.kind !== 'categorical') throw new TypeError(`feature ${feature.name} is ${feature.kind}, the model expects categories`);
    const { values } = feature;
    const excluded = step.category === null ? new Set(step.others ?? []) : null;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      const hit = excluded === null ? v === step.category : v === null || !excluded.has(v);
      out[i * cols + col] = ((hit ? 1 : 0) - step.center) / step.scale * weight;
    }
  }
}

/** The values pulled toward the prior by how little evidence each rests on (see `Shrinkage`). */
export function shrunkValues(shrink: Shrinkage, values: Float64Array, lookup: (name: string) => Feature | undefined): Float64Array {
  const source = lookup(shrink.observations);
  if (source === undefined || source.kind === 'categorical') {
    throw new TypeError(`the evidence feature ${shrink.observations} is missing or not numeric`);
  }
  const counts = source.values;
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const x = values[i];
    const c = counts[i] + shrink.offset;
    const m = Number.isFinite(x) && Number.isFinite(c) && c > 0 ? c : 0;
    out[i] = m === 0 ? shrink.prior : (m * x + shrink.strength * shrink.prior) / (m + shrink.strength);
  }
  return out;
}

function numericValue(step: Extract<TransformStep, { kind: 'numeric' }>, x: number, weight: number): number {
  let v: number;
  if (!Number.isFinite(x)) v = step.fill;
  // max(x, 0): log1p is only chosen for non-negative training data; a negative value in new
  // data must not turn into NaN (it is winsorised to the lower bound anyway).
  else v = step.log1p ? Math.log1p(Math.max(x, 0)) : x;
  if (v < step.lower) v = step.lower;
  else if (v > step.upper) v = step.upper;
  return ((v - step.center) / step.scale) * weight;
}

/** "feature", "feature=category" or "feature=(other)", made unique in step order. */
export function stepColumnNames(steps: readonly TransformStep[]): string[] {
  const seen = new Set<string>();
  return steps.map((s) => {
    const base = s.kind === 'numeric' ? s.feature : `${s.feature}=${s.category ?? OTHER_LABEL}`;
    let name = base;
    for (let n = 2; seen.has(name); n++) name = `${base}#${n}`;
    seen.add(name);
    return name;
  });
}

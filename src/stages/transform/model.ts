/**
 * The fitted transform as versioned JSON: scoring new users with it, and loading a saved one
 * with a check that it is one.
 */
import { createMatrix, type Matrix } from '../../core/matrix.js';
import { errors } from '../../core/messages.js';
import type { Feature, FeatureFamily, FeatureTable } from '../features/types.js';
import { writeStepColumn } from './columns.js';
import type { Shrinkage, TransformModel, TransformStep } from './types.js';

const KIND = 'segmint.transform';

/**
 * Scores users with a fitted transform: same fill, log1p, winsorising, scaling and weights as
 * at fit time, so applying a model to its training table reproduces the fitted matrix exactly.
 * Unseen categories fall into the "other" column. Throws `E_INVALID_MODEL` when the table
 * lacks a feature the model needs or holds it with another kind.
 *
 * @example
 * const matrix = applyTransform(model, newUsersFeatures); // newUsers × model.steps.length
 */
export function applyTransform(model: TransformModel, features: FeatureTable): Matrix {
  const n = features.userIds.length;
  const byName = new Map<string, Feature>(features.columns.map((f) => [f.name, f]));
  const cols = model.steps.length;
  const matrix = createMatrix(n, cols);
  model.steps.forEach((step, j) => {
    const feature = byName.get(step.feature);
    if (feature === undefined) throw errors.invalidModel(KIND, `the feature table has no feature ${JSON.stringify(step.feature)}`);
    const expected = step.kind === 'onehot' ? 'categorical' : 'numeric or boolean';
    if ((step.kind === 'onehot') !== (feature.kind === 'categorical')) {
      throw errors.invalidModel(KIND, `feature ${JSON.stringify(step.feature)} is ${feature.kind}, the model expects ${expected}`);
    }
    if (feature.values.length !== n) throw new RangeError(`feature ${feature.name} has ${feature.values.length} values for ${n} users`);
    if (step.kind === 'numeric' && step.shrink && byName.get(step.shrink.observations)?.kind !== 'numeric') {
      throw errors.invalidModel(KIND, `the feature table has no numeric feature ${JSON.stringify(step.shrink.observations)} (evidence of ${step.feature})`);
    }
    writeStepColumn(step, feature, matrix.data, j, cols, step.weight, (name) => byName.get(name));
  });
  return matrix;
}

const FAMILIES: ReadonlySet<string> = new Set<FeatureFamily>([
  'volume', 'sessions', 'recency', 'frequency', 'event_mix', 'breadth', 'time', 'trend', 'value', 'attribute',
]);

/**
 * Validates parsed JSON (e.g. `segments.json`'s `model.transform`) as a transform model of this
 * kind and version, and returns a fresh copy. Throws `E_INVALID_MODEL` for anything else.
 *
 * @example
 * const model = loadTransformModel(JSON.parse(text).model.transform);
 */
export function loadTransformModel(json: unknown): TransformModel {
  const fail = (reason: string) => errors.invalidModel(KIND, reason);
  const o = record(json, 'the model', fail);
  if (o.kind !== KIND) throw fail(`kind is ${JSON.stringify(o.kind)}`);
  if (o.version !== 1) throw fail(`version ${JSON.stringify(o.version)} is not supported (expected 1)`);
  if (!Array.isArray(o.steps)) throw fail('steps is not an array');
  if (!Array.isArray(o.dropped)) throw fail('dropped is not an array');
  const steps = o.steps.map((s, i) => loadStep(s, `steps[${i}]`, fail));
  const dropped = o.dropped.map((d, i) => {
    const r = record(d, `dropped[${i}]`, fail);
    return { feature: str(r.feature, `dropped[${i}].feature`, fail), reason: str(r.reason, `dropped[${i}].reason`, fail) };
  });
  return { kind: KIND, version: 1, steps, dropped };
}

function loadStep(json: unknown, at: string, fail: (reason: string) => Error): TransformStep {
  const s = record(json, at, fail);
  const feature = str(s.feature, `${at}.feature`, fail);
  const family = str(s.family, `${at}.family`, fail);
  if (!FAMILIES.has(family)) throw fail(`${at}.family ${JSON.stringify(family)} is not a feature family`);
  const num = (key: string) => finite(s[key], `${at}.${key}`, fail);
  const scale = num('scale');
  if (!(scale > 0)) throw fail(`${at}.scale must be positive`);
  const common = { feature, family: family as FeatureFamily, center: num('center'), scale, weight: num('weight') };
  if (s.kind === 'numeric') {
    if (typeof s.log1p !== 'boolean') throw fail(`${at}.log1p is not a boolean`);
    const lower = num('lower');
    const upper = num('upper');
    if (lower > upper) throw fail(`${at}.lower is above ${at}.upper`);
    const shrink = s.shrink === undefined ? undefined : loadShrinkage(s.shrink, `${at}.shrink`, fail);
    return { kind: 'numeric', ...common, ...(shrink ? { shrink } : {}), log1p: s.log1p, lower, upper, fill: num('fill') };
  }
  if (s.kind === 'onehot') {
    const category = s.category === null ? null : str(s.category, `${at}.category`, fail);
    let others: string[] | null = null;
    if (s.others !== null) {
      if (!Array.isArray(s.others) || !s.others.every((x) => typeof x === 'string')) throw fail(`${at}.others is not a list of strings`);
      others = s.others.slice();
    }
    return { kind: 'onehot', ...common, category, others };
  }
  throw fail(`${at}.kind is ${JSON.stringify(s.kind)}`);
}

function loadShrinkage(json: unknown, at: string, fail: (reason: string) => Error): Shrinkage {
  const r = record(json, at, fail);
  const strength = finite(r.strength, `${at}.strength`, fail);
  if (!(strength > 0)) throw fail(`${at}.strength must be positive`);
  return {
    observations: str(r.observations, `${at}.observations`, fail),
    offset: finite(r.offset, `${at}.offset`, fail),
    prior: finite(r.prior, `${at}.prior`, fail),
    strength,
  };
}

function record(v: unknown, at: string, fail: (reason: string) => Error): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw fail(`${at} is not an object`);
  return v as Record<string, unknown>;
}

function str(v: unknown, at: string, fail: (reason: string) => Error): string {
  if (typeof v !== 'string') throw fail(`${at} is not a string`);
  return v;
}

function finite(v: unknown, at: string, fail: (reason: string) => Error): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw fail(`${at} is not a finite number`);
  return v;
}

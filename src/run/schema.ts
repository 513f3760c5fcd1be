/**
 * Schemas of the documents in a run folder, checked whenever a run is read back (`report`,
 * `assign`, `rules list`, `runs list|show|diff`). A run folder is plain files that anyone can
 * edit, truncate or half-copy, so nothing read from it is trusted: a value of the wrong type stops
 * with one line naming the file and the field instead of a TypeError deep inside a renderer, and a
 * segment id can only ever be the integer the report's markup expects.
 *
 * One source of truth: the written shapes are the types in `types.ts` (what the pipeline builds).
 * The checks at the bottom of this file make the compiler hold the two together in both
 * directions — whatever the writer can write passes these schemas, and whatever passes them has
 * every field the types promise — so a field added to or changed in `types.ts` without its schema
 * here fails `tsc`. Objects are loose (unknown keys are kept, not rejected), so a newer writer's
 * extra fields pass through to the renderers untouched.
 *
 * The fitted models inside segments.json (transform, PCA, centroids) are checked for their kind
 * and version, and PCA and centroids for their shapes against each other and `k` (a tampered
 * model would otherwise score every user into the first segments); the transform's own loader
 * checks its steps when `assign` uses it.
 */
import { PRESET_NAMES } from '../core/presets.js';
import { z } from 'zod';
import { COLUMN_TYPE_NAMES, type ResolvedConfig } from '../config/types.js';
import type { FeatureMeaning } from '../core/meaning.js';
import type { WarningCode } from '../core/messages.js';
import type { ClusterModel } from '../stages/cluster/types.js';
import type { PcaModel } from '../stages/reduce/types.js';
import type { TransformModel } from '../stages/transform/types.js';
import type { RuleSet } from '../stages/rules/types.js';
import { distributionSchema } from '../ruleset/schema.js';
import { ENDED_STATUSES, LINEAGE_STATUSES } from './match.js';
import type { Manifest, SegmentsDoc } from './types.js';

const int = z.number().int();
const count = int.min(0);
const str = z.string();
const obj = z.looseObject;
const list = <T extends z.ZodType>(item: T) => z.array(item).readonly();

const FAMILIES = ['volume', 'sessions', 'recency', 'frequency', 'event_mix', 'breadth', 'time', 'trend', 'value', 'attribute'] as const;
const family = z.enum(FAMILIES);
const TIMESTAMP_FORMAT = z.enum(['timestamp', 'iso', 'epoch_s', 'epoch_ms', 'epoch_us', 'yyyymmdd']);

// ---------------------------------------------------------------- manifest.json

const eventsInput = obj({
  paths: list(str),
  columns: obj({ userId: str.nullable(), event: str.nullable(), timestamp: str.nullable(), eventId: str.nullable() }),
  preset: z.enum(PRESET_NAMES).nullable(),
  eventName: str.nullable(),
  eventCases: list(obj({ column: str, startsWith: str.nullable(), equals: str.nullable(), negative: z.boolean(), event: str })),
});
const tableInput = obj({
  paths: list(str),
  key: str.nullable(),
  exclude: list(str),
  outcomes: list(str).optional(),
  types: z.record(str, z.enum(COLUMN_TYPE_NAMES)).readonly().optional(),
});
const pair = z.tuple([z.number(), z.number()]).readonly();

const configSchema = obj({
  name: str,
  source: str.nullable(),
  seed: z.number(),
  inputs: obj({
    events: eventsInput.nullable(),
    users: tableInput.extend({ accountKey: str.nullable() }).nullable(),
    accounts: tableInput.nullable(),
  }),
  window: obj({ days: z.number(), end: str.nullable() }),
  features: obj({
    sessionGapMinutes: z.number(),
    topEvents: z.number(),
    trendDays: z.number(),
    values: list(obj({ name: str, columns: list(str), aggregates: list(z.enum(['sum', 'mean', 'max'])) })),
    includeInternalEvents: z.boolean(),
  }),
  transform: obj({
    log1pSkew: z.number(),
    winsorize: pair,
    scaling: z.enum(['robust', 'standard']),
    topCategories: z.number(),
    nearDuplicate: z.number(),
    shrinkage: z.number(),
    weights: z.record(family, z.number()).readonly(),
    attributeFallback: z.number().nullable(),
  }),
  reduce: obj({ components: z.number().nullable(), variance: z.number() }),
  cluster: obj({
    k: int.nullable(),
    kRange: pair,
    restarts: z.number(),
    maxIterations: z.number(),
    sampleSize: z.number(),
    stabilityRuns: z.number(),
    minShare: z.number(),
    minSize: z.number(),
    unstableBelow: z.number(),
    // Runs written before warm starts had none.
    warmStart: z.enum(['none', 'previous']).default('none'),
  }),
  profile: obj({ traits: z.number() }),
  rules: obj({ maxConditions: z.number() }),
  output: obj({ dir: str, maxRejectRate: z.number() }),
});

// Codes grow with the pipeline and the reports only show the message, so any W_ code passes.
const warningCode = z.custom<WarningCode>((v) => typeof v === 'string' && /^W_[A-Z0-9_]+$/.test(v), { message: 'expected a warning code like W_…' });

export const manifestSchema = obj({
  kind: z.literal('segmint.manifest'),
  version: z.literal(1),
  runId: str,
  startedAt: str,
  finishedAt: str,
  seed: z.number(),
  config: configSchema,
  configHash: str,
  inputs: list(obj({ path: str, bytes: z.number(), sha256: str })),
  mapping: obj({
    userId: str,
    event: str,
    timestamp: str,
    timestampFormat: TIMESTAMP_FORMAT,
    preset: z.enum(PRESET_NAMES).optional(),
    eventId: str.nullable().optional(),
    byFile: list(obj({ file: str, userId: str, event: str, timestamp: str, timestampFormat: TIMESTAMP_FORMAT, eventId: str.nullable() })).optional(),
  }).nullable(),
  keys: obj({ users: obj({ key: str, accountKey: str.nullable() }).nullable(), accounts: obj({ key: str }).nullable() }).optional(),
  window: obj({ start: str, end: str, days: z.number(), firstEvent: str.optional() }),
  accounting: list(obj({
    role: z.enum(['events', 'users', 'accounts']),
    files: list(str),
    read: count,
    used: count,
    outOfWindow: count,
    duplicates: count,
    rejected: count,
    setAside: count.optional(),
  })),
  timings: list(obj({ stage: str, ms: z.number() })),
  versions: z.record(str, str).readonly(),
  warnings: list(obj({ code: warningCode, stage: str, message: str })),
  users: count,
  features: count,
  peakDays: list(str).optional(),
  job: str.optional(),
});

// ---------------------------------------------------------------- segments.json

const trait = obj({
  feature: str,
  label: str,
  family,
  kind: z.enum(['numeric', 'category']),
  category: str.optional(),
  segmentValue: z.number(),
  populationValue: z.number(),
  segmentMedian: z.number().optional(),
  populationMedian: z.number().optional(),
  effect: z.number(),
  lift: z.number().nullable(),
  strength: z.number().optional(),
  direction: z.enum(['over', 'under']),
  phrase: str,
});

const kScore = obj({
  k: int,
  inertia: z.number(),
  silhouette: z.number().nullable(),
  calinskiHarabasz: z.number().nullable(),
  daviesBouldin: z.number().nullable(),
  stability: z.number().nullable(),
  minShare: z.number(),
  smallestUsers: z.number(),
  weakestSegment: z.number().nullable(),
  weakestShare: z.number().optional(),
  smallStable: z.number(),
  gap: z.number().optional(),
  gates: obj({ size: z.boolean(), share: z.boolean(), stable: z.boolean() }),
  eligible: z.boolean(),
});

/** A fitted model: kind and version here, the rest in its own loader. */
function model<M extends { kind: string; version: 1 }>(kind: M['kind']) {
  return z.custom<M>(
    (v) => typeof v === 'object' && v !== null && (v as { kind?: unknown }).kind === kind && (v as { version?: unknown }).version === 1,
    { message: `expected a ${kind} model (version 1)` },
  );
}

/** A feature's meaning: its kind here; the features stage reads the rest when `assign` rebuilds it. */
const meaning = z.custom<FeatureMeaning>(
  (v) => typeof v === 'object' && v !== null && typeof (v as { kind?: unknown }).kind === 'string',
  { message: 'expected a feature meaning (an object with a kind)' },
);

const outcomeStat = { n: count, value: z.number().nullable(), low: z.number().nullable(), high: z.number().nullable() };
const outcomeMeasure = obj({
  outcome: str,
  source: z.enum(['users', 'accounts']),
  kind: z.enum(['rate', 'mean']),
  level: str.nullable(),
  label: str,
  everyone: obj(outcomeStat),
  // Segment ids are written into the report as they are: integers only (-1: no events).
  segments: list(obj({ segment: int.min(-1), ...outcomeStat, lift: z.number().nullable() })),
});

const status = z.enum(LINEAGE_STATUSES);
const segmentLineage = obj({
  previousRun: str.nullable(),
  inheritedKey: str.nullable(),
  matchedKey: str.nullable(),
  score: z.number().nullable(),
  status,
  from: list(str),
  previousName: str.nullable(),
});
const runLineage = obj({
  job: str,
  previousRun: str.nullable(),
  previousJob: str.optional(),
  previousEnd: str.nullable(),
  ended: list(obj({
    key: str,
    name: str,
    previousId: int,
    size: count,
    status: z.enum(ENDED_STATUSES),
    into: list(str),
    score: z.number().nullable(),
  })),
  transitions: list(obj({ from: str, to: str, users: count })),
  sharedUsers: count,
  keptKey: count,
  drift: list(obj({ feature: str, label: str, psi: z.number() })),
  warmStart: z.boolean(),
});
const historyRun = obj({
  runId: str.nullable(),
  end: str,
  users: count,
  segments: list(obj({ key: str, name: str, size: count, share: z.number() })),
});

export const segmentsSchema = obj({
  kind: z.literal('segmint.segments'),
  version: z.literal(1),
  k: int.min(1),
  users: count,
  usersWithoutEvents: count.optional(),
  selection: obj({ method: z.enum(['fixed', 'auto']), reason: str, strongStructure: z.boolean() }),
  scores: list(kScore),
  explainedVariance: list(z.number()),
  outcomes: list(outcomeMeasure).optional(),
  segments: list(obj({
    // Segment ids are written into report.html as they are: only an integer may pass.
    id: count,
    size: count,
    share: z.number(),
    name: str,
    description: str,
    traits: list(trait),
    overIndexedEvents: list(str),
    underIndexedEvents: list(str),
    stability: z.number().nullable(),
    key: str.optional(),
    lineage: segmentLineage.optional(),
  })),
  lineage: runLineage.optional(),
  history: list(historyRun).optional(),
  distributions: z.record(str, distributionSchema).readonly().optional(),
  model: obj({
    features: list(str),
    meanings: z.record(str, meaning).readonly().optional(),
    transform: model<TransformModel>('segmint.transform'),
    pca: model<PcaModel>('segmint.pca'),
    kmeans: model<ClusterModel>('segmint.kmeans'),
  }),
  map: list(z.tuple([z.number(), z.number(), count]).readonly()),
}).superRefine((doc, ctx) => {
  // Readers index segments by id (diff, assign, the report's colours): ids are 0..k-1 in order.
  if (doc.segments.length !== doc.k) {
    ctx.addIssue({ code: 'custom', path: ['segments'], message: `expected ${doc.k} segments (k), found ${doc.segments.length}` });
  }
  const keys = new Set<string>();
  doc.segments.forEach((s, i) => {
    if (s.key !== undefined && keys.has(s.key)) ctx.addIssue({ code: 'custom', path: ['segments', i, 'key'], message: `expected a key no other segment has, got ${JSON.stringify(s.key)} twice` });
    if (s.key !== undefined) keys.add(s.key);
    if (s.id !== i) ctx.addIssue({ code: 'custom', path: ['segments', i, 'id'], message: `expected ${i} (segments are numbered in order), got ${s.id}` });
  });
  const { meanings } = doc.model;
  for (const name of meanings === undefined ? [] : doc.model.features) {
    if (!Object.hasOwn(meanings!, name)) {
      ctx.addIssue({ code: 'custom', path: ['model', 'meanings', name], message: `expected the meaning of model feature ${JSON.stringify(name)}, found none` });
    }
  }
  doc.map.forEach((p, i) => {
    if (p[2] >= doc.k) ctx.addIssue({ code: 'custom', path: ['map', i, 2], message: `expected a segment id below k = ${doc.k}, got ${p[2]}` });
  });
  checkModelShapes(doc.model, doc.k, (path, message) => ctx.addIssue({ code: 'custom', path: ['model', ...path], message }));
});

/**
 * PCA and centroids against each other and k: one centroid per segment, each with one coordinate
 * per PCA component, each component with one loading per input column (`mean`). Stops at the
 * first problem; a reader shows only one.
 */
function checkModelShapes(model: { readonly pca: unknown; readonly kmeans: unknown }, k: number, issue: (path: (string | number)[], message: string) => void): void {
  const numbers = (v: unknown): v is readonly number[] => Array.isArray(v) && v.every((x) => typeof x === 'number' && Number.isFinite(x));
  /** A list of lists of finite numbers, or null after naming the first entry that is not. */
  const vectors = (v: unknown, path: (string | number)[]): readonly (readonly number[])[] | null => {
    if (!Array.isArray(v)) {
      issue(path, 'expected a list of lists of numbers');
      return null;
    }
    const bad = v.findIndex((row) => !numbers(row));
    if (bad < 0) return v as number[][];
    issue([...path, bad], 'expected a list of finite numbers');
    return null;
  };
  // Each model's kind is checked above; a missing one is already an issue, and zod may still refine.
  const pca = (model.pca ?? {}) as Record<string, unknown>;
  if (!numbers(pca.mean)) return issue(['pca', 'mean'], 'expected a list of finite numbers');
  const components = vectors(pca.components, ['pca', 'components']);
  if (components === null) return;
  const columns = pca.mean.length;
  const wrongWidth = components.findIndex((c) => c.length !== columns);
  if (wrongWidth >= 0) return issue(['pca', 'components', wrongWidth], `expected ${columns} loadings (one per entry of model.pca.mean), found ${components[wrongWidth].length}`);
  const ratios = pca.explainedVarianceRatio;
  if (!numbers(ratios)) return issue(['pca', 'explainedVarianceRatio'], 'expected a list of finite numbers');
  if (ratios.length !== components.length) return issue(['pca', 'explainedVarianceRatio'], `expected ${components.length} ratios (one per model.pca.components), found ${ratios.length}`);
  const centroids = vectors(((model.kmeans ?? {}) as Record<string, unknown>).centroids, ['kmeans', 'centroids']);
  if (centroids === null) return;
  if (centroids.length !== k) return issue(['kmeans', 'centroids'], `expected ${k} centroids (k), found ${centroids.length}`);
  const dims = components.length;
  const wrongDims = centroids.findIndex((c) => c.length !== dims);
  if (wrongDims >= 0) issue(['kmeans', 'centroids', wrongDims], `expected ${dims} coordinates (one per model.pca.components), found ${centroids[wrongDims].length}`);
}

// ---------------------------------------------------------------- rules.json

const condition = z.union([
  obj({ feature: str, op: z.enum(['>=', '<']), value: z.number(), label: str }),
  obj({ feature: str, op: z.enum(['=', '!=']), value: z.union([str, z.boolean()]), label: str }),
]);

export const rulesSchema = obj({
  kind: z.literal('segmint.rules'),
  version: z.literal(1),
  table: str,
  rules: list(obj({
    id: str,
    segment: count,
    segmentName: str,
    conditions: list(condition),
    text: str,
    metrics: obj({
      truePositives: count,
      selected: count,
      segmentSize: count,
      precision: z.number(),
      recall: z.number(),
      f1: z.number(),
      support: z.number(),
      lift: z.number(),
    }),
    sql: str,
    jsonLogic: z.unknown(),
    verified: z.boolean(),
  })),
  noEvents: obj({
    segment: z.literal(-1),
    segmentName: str,
    text: str,
    users: count,
    sql: str,
    verified: z.boolean(),
  }).optional(),
});

// ---------------------------------------------------------------- assignments.csv

/** A segment id as assignments.csv writes it: a whole number, or -1 for the no-events group. */
export const SEGMENT_ID = /^(\d+|-1)$/;

/** One row of assignments.csv as papaparse reads it (every cell a string). */
export const assignmentRowSchema = obj({
  user_id: str,
  segment: str.regex(SEGMENT_ID, 'expected a segment id (a whole number, or -1 for users with no events in the window)'),
});

// ---------------------------------------------------------------- one source of truth

/** The type with index signatures (from loose objects) removed, all the way down. */
type Declared<T> = T extends readonly (infer E)[]
  ? T extends readonly [unknown, ...unknown[]]
    ? { readonly [I in keyof T]: Declared<T[I]> }
    : readonly Declared<E>[]
  : T extends object
    ? { readonly [K in keyof T as string extends K ? never : K]: Declared<T[K]> }
    : T;

/** true only when every written `Written` passes `S` and everything `S` passes is a `Written`. */
type Agrees<Written, S extends z.ZodType> = [Written] extends [Declared<z.output<S>>]
  ? [z.output<S>] extends [Written]
    ? true
    : 'the schema lets through documents the type does not describe'
  : 'the schema rejects documents the writer can write';

const agree = <T extends true>(value: T): T => value;
// Each line fails to compile when `types.ts` and the schema above disagree; the error says how.
export const SCHEMAS_MATCH_TYPES = [
  agree<Agrees<ResolvedConfig, typeof configSchema>>(true),
  agree<Agrees<Manifest, typeof manifestSchema>>(true),
  agree<Agrees<SegmentsDoc, typeof segmentsSchema>>(true),
  agree<Agrees<RuleSet, typeof rulesSchema>>(true),
] as const;

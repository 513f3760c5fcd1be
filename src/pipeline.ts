/**
 * The segmint pipeline, top to bottom:
 *
 *   ingest → features → transform → reduce → cluster → profile → rules → report
 *
 * Each stage takes the previous stage's typed artifact and the resolved config, and returns its
 * own artifact; none mutates its input. This file only sequences them: every stage, the report
 * included, runs through a timed stage runner (core/stage.ts), and the run folder is written by
 * run/write.ts, which never leaves a half-written run behind.
 */
import type { ResolvedConfig } from './config/types.js';
import { configHash } from './config/resolve.js';
import type { RunContext } from './core/context.js';
import { openDb, type Db } from './core/duckdb.js';
import { errors } from './core/messages.js';
import { warnings } from './core/warnings.js';
import { timedStages, type StageRunner } from './core/stage.js';
import { segmentUsers } from './segment.js';
import { segmentationOf, withNames } from './stages/cluster/segmentation.js';
import { ingest } from './stages/ingest/index.js';
import { buildFeatures } from './stages/features/index.js';
import { profileSegments } from './stages/profile/index.js';
import { apart } from './stages/profile/apart.js';
import { suggestRules } from './stages/rules/index.js';
import { outcomesBySegment } from './stages/outcomes/index.js';
import type { RuleSet } from './stages/rules/types.js';
import type { Assignment } from './run/assignments.js';
import type { Analysis } from './run/documents.js';
import type { RunDocuments } from './run/types.js';
import { writeRun } from './run/write.js';
import { AUTO_PREVIOUS, findPrevious, type PreviousChoice } from './run/previous.js';
import { previousCentreMatrix, type PreviousRun } from './run/lineage.js';
import type { Matrix } from './core/matrix.js';
import { fromWarehouse, writeBack } from './warehouse/index.js';
import { timestampFormatWords } from './stages/ingest/mapping.js';

export type { Analysis } from './run/documents.js';

export interface RunOutcome {
  readonly runDir: string;
  readonly documents: RunDocuments;
  readonly assignments: readonly Assignment[];
}

/**
 * Run the whole job and write its run folder under `config.output.dir`.
 * @example const outcome = await runPipeline(loadConfigFile('pipeline/default.yaml'), createContext(42));
 */
export async function runPipeline(
  config: ResolvedConfig,
  ctx: RunContext,
  now: () => Date = () => new Date(),
  options: { readonly previous?: PreviousChoice } = {},
): Promise<RunOutcome> {
  const startedAt = now();
  const { stage, timings } = timedStages(ctx);
  // 0. The run this one is compared with: the job's latest in the output folder, unless chosen.
  const previous = findPrevious(config, options.previous ?? AUTO_PREVIOUS, ctx);
  const db = await openDb();
  try {
    // 1–7. Analyse: every stage, in order, in memory.
    const analysis = { ...(await analyse(db, config, ctx, stage, previous)), previous };
    // 7b. A warehouse run may write every user's segment back to a table there (src/warehouse).
    const warehouse = config.inputs.warehouse;
    if (warehouse?.writeAssignments) await stage('write-back', () => writeBack(warehouse, analysis), (n) => `${n.toLocaleString('en-US')} users written to ${warehouse.writeAssignments!.join('.')}`);
    // 8. Report: documents and files, written atomically into a run folder of its own.
    const written = await stage(
      'report',
      () => writeRun({ ...analysis, timings: [...timings] }, config, ctx, { startedAt, configHash: configHash(config), now }),
      (w) => `${w.files} files`,
    );
    return { runDir: written.runDir, documents: written.documents, assignments: written.assignments };
  } finally {
    db.close();
  }
}

/** Stages 1–7, in memory (tests call it directly; `runPipeline` adds the report). */
export async function analyse(
  db: Db,
  config: ResolvedConfig,
  ctx: RunContext,
  stage: StageRunner = timedStages(ctx).stage,
  previous: PreviousRun | null = null,
): Promise<Omit<Analysis, 'timings'>> {
  // 1–2. Ingest and features: from files into DuckDB, or — a warehouse run — as SQL in the
  //      warehouse, from which only one row of features per user comes back (src/warehouse).
  const { ingested, features } = config.inputs.warehouse ? await fromWarehouse(db, config, ctx, stage) : await fromFiles(db, config, ctx, stage);
  // One user cannot be segmented: say so before the transform reports "identical features".
  if (features.userIds.length < 2) throw errors.tooFewUsers(features.userIds.length, 2);
  // An attribute-only run whose every column was left out (identifiers, free text, empty): say
  // which and why, not "identical features" (the warning naming them is never printed by a
  // failed run).
  if (ingested.events === null && features.columns.every((c) => c.describeOnly)) {
    const users = ingested.accounting.find((a) => a.role === 'users');
    throw errors.noAttributesLeft(users?.files.join(', ') || 'the users table', ingested.users?.excluded ?? []);
  }
  // 3–5. Transform (log1p, winsorise, scale, one-hot, weights), reduce (PCA), cluster (k-means,
  //      choosing k unless it is fixed) — on behaviour, then with attributes if behaviour alone
  //      has no strong structure and `transform.weights.attribute` is auto.
  //      With cluster.warm_start: previous, the final fit starts from the previous run's centres.
  const warm = previous && config.cluster.warmStart === 'previous' ? (points: Matrix) => previousCentreMatrix(features.userIds, points, previous) : undefined;
  const { transform, reduce, cluster } = await segmentUsers(features, config, ctx, stage, { warmStart: warm, previousK: previous?.docs.segments.k });
  const segmentation = segmentationOf(features, cluster.labels, cluster.k);
  // 6. Profile: traits, names, descriptions.
  const profiles = await stage('profile', () => profileSegments(features, segmentation, config.profile), (p) => p.map((s) => s.name).join(', '));
  //    Neighbours with no gap between them, with what sets them apart (profile/apart.ts).
  for (const pair of cluster.noGapPairs) {
    const { differences, byStageOnly } = apart(features, segmentation, pair.a, pair.b);
    ctx.warn(warnings.noGapBetween(pair.a, pair.b, pair.ratio, differences.map((d) => d.label), byStageOnly));
  }
  // 7. Rules: a short rule per segment, verified in DuckDB.
  const named = withNames(segmentation, profiles.map((p) => p.name));
  const rules = await stage('rules', () => suggestRules(db, features, named, config.rules, ctx), (r) => `mean F1 ${meanF1(r).toFixed(2)}`);

  // 7b. Outcomes: each outcome column's rate or mean per segment (read, never clustered on).
  const outcomes = ingested.outcomes ? await stage('outcomes', () => outcomesBySegment(db, ingested, features, segmentation), (o) => o.map((m) => m.label).join(', ')) : [];

  return { ingest: ingested, features, transform, reduce, cluster, profiles, rules, ...(outcomes.length > 0 ? { outcomes } : {}) };
}

/** Stages 1–2 from files. */
async function fromFiles(db: Db, config: ResolvedConfig, ctx: RunContext, stage: StageRunner) {
  // 1. Ingest: read inputs into DuckDB, map columns, window, account for every row.
  const ingested = await stage('ingest', () => ingest(db, config, ctx, { rejectsFile: 'rejects.csv' }), (r) =>
    r.events ? `${r.events.rows.toLocaleString('en-US')} events in window` : `${(r.users?.rows ?? 0).toLocaleString('en-US')} users (attributes only)`);
  const m = ingested.events?.mapping;
  if (m) ctx.log.info(`columns   user_id <- ${m.userId}, event <- ${m.event}, timestamp <- ${m.timestamp} (${timestampFormatWords(m)}${m.preset ? `, ${m.preset} preset` : ''})`);
  // 2. Features: one row per user, in SQL, joined with attributes.
  const features = await stage('features', () => buildFeatures(db, ingested, config, ctx), (f) => `${f.userIds.length.toLocaleString('en-US')} users × ${f.columns.length} features`);
  return { ingested, features };
}

export function meanF1(rules: RuleSet): number {
  return rules.rules.length ? rules.rules.reduce((s, r) => s + r.metrics.f1, 0) / rules.rules.length : 0;
}

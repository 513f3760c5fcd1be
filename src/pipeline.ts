/**
 * The segmint pipeline, top to bottom:
 *
 *   ingest → features → transform → reduce → cluster → profile → rules → report
 *
 * Each stage takes the previous stage's typed artifact and the resolved config, and returns its
 * own artifact; none mutates its input. This file only sequences them, times them, and hands the
 * results to the run writer. A failure at any step removes the temporary run folder, so no
 * half-written run is ever left behind.
 */
import type { ResolvedConfig } from './config/types.js';
import { configHash } from './config/resolve.js';
import type { RunContext } from './core/context.js';
import { segmentUsers } from './segment.js';
import { segmentationOf, withNames } from './stages/cluster/segmentation.js';
import { openDb, type Db } from './core/duckdb.js';
import { createRng, sampleIndices } from './core/rng.js';
import { errors } from './core/messages.js';
import { ingest } from './stages/ingest/index.js';
import { buildFeatures } from './stages/features/index.js';
import { profileSegments } from './stages/profile/index.js';
import { suggestRules, renderRulesSql } from './stages/rules/index.js';
import { renderHtml, renderMarkdown } from './stages/report/index.js';
import type { ClusterResult } from './stages/cluster/types.js';
import type { ReduceResult } from './stages/reduce/types.js';
import type { FeatureTable } from './stages/features/types.js';
import type { TransformResult } from './stages/transform/types.js';
import type { SegmentProfile } from './stages/profile/types.js';
import type { RuleSet } from './stages/rules/types.js';
import type { IngestResult } from './stages/ingest/types.js';
import type { Manifest, RunDocuments, SegmentsDoc } from './run/types.js';
import { toAssignments, assignmentsCsv, type Assignment } from './run/assignments.js';
import { rejectsCsv } from './run/rejects.js';
import { abandonRun, finishRun, prepareRunDir, reserveRunId, writeRunFiles, type RunFile } from './run/output.js';
import { toolVersions } from './run/versions.js';
import { stableJson } from './run/json.js';

export interface RunOutcome {
  readonly runDir: string;
  readonly documents: RunDocuments;
  readonly assignments: readonly Assignment[];
}

/** Everything the stages produced, before it is written. */
export interface Analysis {
  readonly ingest: IngestResult;
  readonly features: FeatureTable;
  readonly transform: TransformResult;
  readonly reduce: ReduceResult;
  readonly cluster: ClusterResult;
  readonly profiles: readonly SegmentProfile[];
  readonly rules: RuleSet;
  readonly timings: { stage: string; ms: number }[];
}

/**
 * Run the whole job and write its run folder under `config.output.dir`.
 * @example const outcome = await runPipeline(loadConfigFile('pipeline/default.yaml'), createContext(42));
 */
export async function runPipeline(config: ResolvedConfig, ctx: RunContext, now: () => Date = () => new Date()): Promise<RunOutcome> {
  const startedAt = now();
  const hash = configHash(config);
  const db = await openDb();
  try {
    // 1–7. Analyse: every stage, in order, in memory.
    const analysis = await analyse(db, config, ctx);

    // 8. Report: documents, then the run folder written atomically (its id claimed first).
    const runId = await reserveRunId(startedAt, hash, config.output.dir);
    let documents: RunDocuments;
    let assignments: readonly Assignment[];
    try {
      documents = buildDocuments(runId, startedAt, now(), hash, config, ctx, analysis);
      assignments = toAssignments(analysis.features.userIds, analysis.cluster.placement, analysis.profiles.map((p) => p.name));
    } catch (e) {
      await abandonRun(config.output.dir, runId);
      throw e;
    }
    const runDir = await writeRun(config.output.dir, runId, documents, assignments, analysis, ctx);
    return { runDir, documents, assignments };
  } finally {
    db.close();
  }
}

/** Stages 1–7. Exposed for `segmint validate` (which stops after ingest) and for tests. */
export async function analyse(db: Db, config: ResolvedConfig, ctx: RunContext): Promise<Analysis> {
  const timings: { stage: string; ms: number }[] = [];
  const stage = async <T>(name: string, run: () => T | Promise<T>, summary: (r: T) => string): Promise<T> => {
    ctx.log.stageStart(name);
    const t0 = performance.now();
    const result = await run();
    const ms = performance.now() - t0;
    timings.push({ stage: name, ms: Math.round(ms) });
    ctx.log.stageEnd(name, summary(result), ms);
    return result;
  };

  // 1. Ingest: read inputs into DuckDB, map columns, window, account for every row.
  const ingested = await stage('ingest', () => ingest(db, config, ctx), (r) =>
    r.events ? `${r.events.rows.toLocaleString('en-US')} events in window` : `${(r.users?.rows ?? 0).toLocaleString('en-US')} users (attributes only)`);
  const m = ingested.events?.mapping;
  if (m) ctx.log.info(`columns   user_id <- ${m.userId}, event <- ${m.event}, timestamp <- ${m.timestamp} (${m.timestampFormat}${m.preset ? `, ${m.preset} preset` : ''})`);
  // 2. Features: one row per user, in SQL, joined with attributes.
  const features = await stage('features', () => buildFeatures(db, ingested, config, ctx), (f) => `${f.userIds.length.toLocaleString('en-US')} users × ${f.columns.length} features`);
  // One user cannot be segmented: say so before the transform reports "identical features".
  if (features.userIds.length < 2) throw errors.tooFewUsers(features.userIds.length, 2);
  // 3–5. Transform (log1p, winsorise, scale, one-hot, weights), reduce (PCA), cluster (k-means,
  //      choosing k unless it is fixed) — on behaviour, then with attributes if behaviour alone
  //      has no strong structure and `transform.weights.attribute` is auto.
  const { transform, reduce, cluster } = await segmentUsers(features, config, ctx, stage);
  // 6. Profile: traits, names, descriptions.
  const segmentation = segmentationOf(features, cluster.labels, cluster.k);
  const profiles = await stage('profile', () => profileSegments(features, segmentation, config.profile), (p) => p.map((s) => s.name).join(', '));
  // 7. Rules: a short rule per segment, verified in DuckDB.
  const rules = await stage('rules', () => suggestRules(db, features, withNames(segmentation, profiles.map((p) => p.name)), config.rules, ctx), (r) => `mean F1 ${meanF1(r).toFixed(2)}`);

  return { ingest: ingested, features, transform, reduce, cluster, profiles, rules, timings };
}

function buildDocuments(
  runId: string,
  startedAt: Date,
  finishedAt: Date,
  hash: string,
  config: ResolvedConfig,
  ctx: RunContext,
  a: Analysis,
): RunDocuments {
  const segments: SegmentsDoc = {
    kind: 'segmint.segments',
    version: 1,
    k: a.cluster.k,
    users: a.features.userIds.length,
    selection: a.cluster.selection,
    scores: a.cluster.scores,
    explainedVariance: a.reduce.model.explainedVarianceRatio,
    segments: a.profiles.map((p) => ({ ...p, stability: a.cluster.segmentStability[p.id] ?? null })),
    model: {
      features: a.features.columns.map((c) => c.name),
      meanings: Object.fromEntries(a.features.columns.map((c) => [c.name, c.meaning])),
      transform: a.transform.model,
      pca: a.reduce.model,
      kmeans: a.cluster.model,
    },
    map: mapPoints(a.reduce, a.cluster.labels, config.seed),
  };
  const manifest: Manifest = {
    kind: 'segmint.manifest',
    version: 1,
    runId,
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    seed: config.seed,
    config,
    configHash: hash,
    inputs: a.ingest.fingerprints,
    mapping: a.ingest.events?.mapping ?? null,
    window: a.ingest.window,
    accounting: a.ingest.accounting,
    timings: a.timings,
    versions: toolVersions(),
    warnings: [...ctx.warnings],
    users: a.features.userIds.length,
    features: a.features.columns.length,
  };
  return { manifest, segments, rules: a.rules };
}

/** At most 2,000 users' first two PCA coordinates, chosen by the seed, for the report's map. */
function mapPoints(reduce: ReduceResult, labels: Int32Array, seed: number): [number, number, number][] {
  const { projected } = reduce;
  const picked = sampleIndices(projected.rows, 2000, createRng(seed ^ 0x5eed));
  const round = (v: number) => Math.round(v * 1e4) / 1e4;
  return Array.from(picked, (i) => [
    round(projected.data[i * projected.cols]),
    projected.cols > 1 ? round(projected.data[i * projected.cols + 1]) : 0,
    labels[i],
  ]);
}

async function writeRun(
  outDir: string,
  runId: string,
  docs: RunDocuments,
  assignments: readonly Assignment[],
  a: Analysis,
  ctx: RunContext,
): Promise<string> {
  const tmp = await prepareRunDir(outDir, runId);
  try {
    ctx.log.stageStart('report');
    const t0 = performance.now();
    const files: RunFile[] = [
      { name: 'manifest.json', content: stableJson(docs.manifest) },
      { name: 'segments.json', content: stableJson(docs.segments) },
      { name: 'rules.json', content: stableJson(docs.rules) },
      { name: 'rules.sql', content: renderRulesSql(docs.rules) },
      { name: 'assignments.csv', content: assignmentsCsv(assignments) },
      { name: 'report.md', content: renderMarkdown(docs) },
      { name: 'report.html', content: renderHtml(docs) },
    ];
    if (a.ingest.rejects.length > 0) files.push({ name: 'rejects.csv', content: rejectsCsv(a.ingest.rejects) });
    await writeRunFiles(tmp, files);
    const finalDir = await finishRun(outDir, runId);
    ctx.log.stageEnd('report', `${files.length} files`, performance.now() - t0);
    return finalDir;
  } catch (e) {
    await abandonRun(outDir, runId);
    throw e;
  }
}

function sum(xs: readonly number[]): number {
  return xs.reduce((s, x) => s + x, 0);
}

export function meanF1(rules: RuleSet): number {
  return rules.rules.length ? sum(rules.rules.map((r) => r.metrics.f1)) / rules.rules.length : 0;
}

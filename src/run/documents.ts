/**
 * The run's JSON documents (manifest.json, segments.json, rules.json) from what the stages
 * produced. Everything the report renders and later commands read comes from these.
 */
import type { ResolvedConfig } from '../config/types.js';
import type { RunContext } from '../core/context.js';
import { createRng, sampleIndices } from '../core/rng.js';
import type { StageTiming } from '../core/stage.js';
import type { ClusterResult } from '../stages/cluster/types.js';
import type { FeatureTable } from '../stages/features/types.js';
import type { IngestResult } from '../stages/ingest/types.js';
import type { SegmentProfile } from '../stages/profile/types.js';
import type { OutcomeMeasure } from '../stages/outcomes/types.js';
import type { ReduceResult } from '../stages/reduce/types.js';
import type { RuleSet } from '../stages/rules/types.js';
import type { TransformResult } from '../stages/transform/types.js';
import { jobOfManifest } from './jobs.js';
import { historyOf, type Lineage, type PreviousRun } from './lineage.js';
import { featureDistributions, featureDrift } from './psi.js';
import type { Manifest, RunDocuments, SegmentsDoc, TableKeys } from './types.js';
import { toolVersions } from './versions.js';

/** Everything the stages produced, before it is written. */
export interface Analysis {
  readonly ingest: IngestResult;
  readonly features: FeatureTable;
  readonly transform: TransformResult;
  readonly reduce: ReduceResult;
  readonly cluster: ClusterResult;
  readonly profiles: readonly SegmentProfile[];
  readonly rules: RuleSet;
  readonly timings: readonly StageTiming[];
  /** Outcome columns per segment (stages/outcomes); absent without outcome columns. */
  readonly outcomes?: readonly OutcomeMeasure[];
  /** The previous run of the job this run is compared with (null: none). */
  readonly previous?: PreviousRun | null;
}

/** The run's place in its job: its job, its segments' keys and lineage (lineage.ts). */
export interface JobPlace {
  readonly job: string;
  readonly lineage: Lineage;
}

/** Identity and clock of the run the documents describe. */
export interface RunStamp {
  readonly runId: string;
  readonly startedAt: Date;
  readonly finishedAt: Date;
  readonly configHash: string;
}

export function buildDocuments(stamp: RunStamp, config: ResolvedConfig, ctx: RunContext, a: Analysis, place: JobPlace): RunDocuments {
  const { job, lineage } = place;
  const previous = a.previous ?? null;
  const prevDistributions = previous?.docs.segments.distributions;
  const keyed = a.profiles.map((p, i) => ({ ...p, name: lineage.names[i], stability: a.cluster.segmentStability[p.id] ?? null, key: lineage.keys[i], lineage: lineage.segments[i] }));
  const segments: SegmentsDoc = {
    kind: 'segmint.segments',
    version: 1,
    k: a.cluster.k,
    users: a.features.userIds.length,
    usersWithoutEvents: a.features.usersWithoutEvents.length,
    selection: a.cluster.selection,
    scores: a.cluster.scores,
    explainedVariance: a.reduce.model.explainedVarianceRatio,
    ...(a.outcomes?.length ? { outcomes: a.outcomes } : {}),
    segments: keyed,
    model: {
      features: a.features.columns.map((c) => c.name),
      meanings: Object.fromEntries(a.features.columns.map((c) => [c.name, c.meaning])),
      transform: a.transform.model,
      pca: a.reduce.model,
      kmeans: a.cluster.model,
    },
    map: mapPoints(a.reduce, a.cluster.labels, config.seed),
    lineage: {
      job,
      previousRun: previous?.docs.manifest.runId ?? null,
      ...(previous && jobOfManifest(previous.docs.manifest) !== job ? { previousJob: jobOfManifest(previous.docs.manifest) } : {}),
      previousEnd: previous?.docs.manifest.window.end ?? null,
      ended: lineage.ended,
      transitions: lineage.counts,
      sharedUsers: lineage.sharedUsers,
      keptKey: lineage.keptKey,
      drift: prevDistributions ? featureDrift(prevDistributions, a.features) : [],
      warmStart: a.cluster.warmStarted ?? false,
    },
    history: historyOf(previous, job, {
      runId: null,
      end: a.ingest.window.end,
      users: a.features.userIds.length,
      segments: keyed.map((s) => ({ key: s.key, name: s.name, size: s.size, share: s.share })),
    }),
    distributions: featureDistributions(a.features),
  };
  const manifest: Manifest = {
    kind: 'segmint.manifest',
    version: 1,
    runId: stamp.runId,
    startedAt: stamp.startedAt.toISOString(),
    finishedAt: stamp.finishedAt.toISOString(),
    seed: config.seed,
    config,
    configHash: stamp.configHash,
    inputs: a.ingest.fingerprints,
    mapping: a.ingest.events?.mapping ?? null,
    keys: keysOf(a.ingest),
    window: a.ingest.window,
    accounting: a.ingest.accounting,
    timings: [...a.timings],
    versions: toolVersions(),
    warnings: [...ctx.warnings],
    users: a.features.userIds.length,
    features: a.features.columns.length,
    ...(a.features.peakDays ? { peakDays: a.features.peakDays } : {}),
    job,
  };
  // Names follow keys (lineage.ts), so the rules carry the names the segments now have.
  const rules: RuleSet = { ...a.rules, rules: a.rules.rules.map((r) => ({ ...r, segmentName: lineage.names[r.segment] })) };
  return { manifest, segments, rules };
}

/** At most 2,000 users' first two PCA coordinates, chosen by the seed, for the report's map. */
/** The keys the users and accounts tables were read by; tables made from event properties have none of their own. */
function keysOf(ingested: IngestResult): TableKeys {
  const { users, accounts } = ingested;
  return {
    users: users && users.source !== 'events' ? { key: users.key, accountKey: users.accountKey } : null,
    accounts: accounts && accounts.source !== 'events' ? { key: accounts.key } : null,
  };
}

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

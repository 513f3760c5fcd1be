/**
 * A realistic, fully-typed set of run documents (manifest, segments.json, rules.json) for tests
 * of anything that reads a finished run: the report renderers, `segmint report`, run diffs.
 * Three segments over 1,200 users, k tried from 2 to 6, traits, rules, row accounting,
 * warnings and timings. Deterministic: the map points come from a fixed seed.
 */
import { DEFAULT_CONFIG, clusterConfig } from './config.js';
import type { ResolvedConfig } from '../../src/config/types.js';
import { createRng } from '../../src/core/rng.js';
import type { Manifest, RunDocuments, SegmentsDoc } from '../../src/run/types.js';
import type { KScore } from '../../src/stages/cluster/types.js';
import type { Trait } from '../../src/stages/profile/types.js';
import type { Rule, RuleSet } from '../../src/stages/rules/types.js';

export interface RunDocumentsOverrides {
  readonly manifest?: Partial<Manifest>;
  readonly segments?: Partial<SegmentsDoc>;
  readonly rules?: Partial<RuleSet>;
}

export const FIXTURE_RUN_ID = '2024-06-01T06-00-00Z-3f9a1c';

export function makeConfig(overrides: Partial<ResolvedConfig> = {}): ResolvedConfig {
  return {
    name: 'weekly',
    source: '/repo/pipeline/weekly.yaml',
    seed: 42,
    inputs: {
      events: {
        paths: ['/repo/data/events.csv'],
        columns: { userId: null, event: null, timestamp: null, eventId: null },
        preset: null,
        eventName: null,
        eventCases: [],
      },
      users: { paths: ['/repo/data/users.csv'], key: null, exclude: ['email'], accountKey: null },
      accounts: null,
    },
    window: { days: 90, end: null },
    features: { sessionGapMinutes: 30, topEvents: 12, trendDays: 14, values: [], includeInternalEvents: false },
    transform: {
      ...DEFAULT_CONFIG.transform,
      nearDuplicate: 0.95,
      weights: { ...DEFAULT_CONFIG.transform.weights, event_mix: 1, breadth: 1, time: 0.5, attribute: 0.5 },
    },
    reduce: { components: null, variance: 0.8 },
    cluster: clusterConfig({ kRange: [2, 6], stabilityRuns: 10, minShare: 0.05, unstableBelow: 0.6 }),
    profile: DEFAULT_CONFIG.profile,
    rules: DEFAULT_CONFIG.rules,
    output: { dir: '/repo/reports', maxRejectRate: 0.05 },
    ...overrides,
  };
}

const numeric = (
  feature: string, label: string, family: Trait['family'],
  segmentValue: number, populationValue: number, effect: number, phrase: string,
): Trait => ({
  feature, label, family, kind: 'numeric', segmentValue, populationValue, effect,
  lift: populationValue === 0 ? null : segmentValue / populationValue,
  direction: effect >= 0 ? 'over' : 'under', phrase,
});

const category = (
  feature: string, label: string, cat: string, segmentValue: number, populationValue: number, phrase: string,
): Trait => ({
  feature, label, family: 'attribute', kind: 'category', category: cat, segmentValue, populationValue,
  effect: Math.log2(segmentValue / populationValue), lift: segmentValue / populationValue,
  direction: segmentValue >= populationValue ? 'over' : 'under', phrase,
});

const SEGMENTS: SegmentsDoc['segments'] = [
  {
    id: 0, size: 612, share: 0.51, name: 'Casual browsers', stability: 0.91,
    description: 'Visit a few times a month and mostly browse dashboards without creating anything.',
    traits: [
      numeric('sessions', 'sessions', 'sessions', 4.2, 9.8, -0.81, '57% fewer sessions (4.2 vs 9.8)'),
      numeric('share_dashboard_viewed', 'share of dashboard_viewed events', 'event_mix', 0.61, 0.38, 0.74, '1.6x more dashboard_viewed share'),
      numeric('distinct_events', 'distinct event types', 'breadth', 3.1, 5.4, -0.66, 'use 3.1 event types (vs 5.4)'),
      category('plan', 'plan', 'free', 0.72, 0.48, '72% on the free plan (vs 48%)'),
    ],
    overIndexedEvents: ['dashboard_viewed', 'page_viewed'],
    underIndexedEvents: ['report_created', 'export_clicked'],
  },
  {
    id: 1, size: 324, share: 0.27, name: 'Dormant trialists', stability: 0.52,
    description: 'Signed up recently, tried the product once or twice and have not been back for weeks.',
    traits: [
      numeric('days_since_last', 'days since last event', 'recency', 41.3, 12.6, 1.92, 'last seen 41 days ago (vs 13)'),
      numeric('events', 'events', 'volume', 8.4, 96.2, -1.24, '91% fewer events (8 vs 96)'),
      numeric('tenure_days', 'days since first event', 'recency', 22.5, 61.0, -0.95, 'first seen 23 days ago (vs 61)'),
      category('plan', 'plan', 'trial', 0.64, 0.21, '64% on the trial plan (vs 21%)'),
      numeric('trend', 'recent vs earlier activity', 'trend', 0.08, 0.93, -0.7, 'almost no recent activity'),
    ],
    overIndexedEvents: ['signup_completed', 'onboarding_skipped'],
    underIndexedEvents: ['dashboard_viewed', 'report_viewed', 'report_created'],
  },
  {
    id: 2, size: 264, share: 0.22, name: 'Power reporters', stability: 0.84,
    description: 'Daily users who build and export reports, mostly on paid plans at larger accounts.',
    traits: [
      numeric('share_report_created', 'share of report_created events', 'event_mix', 0.19, 0.05, 2.31, '3.8x more report_created share'),
      numeric('events', 'events', 'volume', 312.7, 96.2, 1.48, '3.3x more events (313 vs 96)'),
      numeric('active_days', 'active days', 'frequency', 48.2, 17.9, 1.37, 'active on 48 days (vs 18)'),
      numeric('revenue_sum', 'revenue (sum)', 'value', 1840.5, 512.25, 1.02, '3.6x more revenue'),
      category('plan', 'plan', 'enterprise', 0.41, 0.12, '41% on the enterprise plan (vs 12%)'),
      numeric('days_since_last', 'days since last event', 'recency', 1.4, 12.6, -0.88, 'last seen 1 day ago (vs 13)'),
    ],
    overIndexedEvents: ['report_created', 'export_clicked', 'report_viewed'],
    underIndexedEvents: ['onboarding_skipped'],
  },
];

const SCORES: readonly KScore[] = [
  { k: 2, inertia: 5321.4, silhouette: 0.312, calinskiHarabasz: 402.1, daviesBouldin: 1.214, stability: 0.88, minShare: 0.31, gap: 0.412, smallestUsers: 124, weakestSegment: 0.91, smallStable: 0, gates: { size: true, share: true, stable: true }, eligible: true },
  { k: 3, inertia: 3980.2, silhouette: 0.356, calinskiHarabasz: 455.8, daviesBouldin: 0.987, stability: 0.82, minShare: 0.22, gap: 0.583, smallestUsers: 88, weakestSegment: 0.86, smallStable: 0, gates: { size: true, share: true, stable: true }, eligible: true },
  { k: 4, inertia: 3512.9, silhouette: 0.298, calinskiHarabasz: 421.3, daviesBouldin: 1.102, stability: 0.64, minShare: 0.09, gap: 0.551, smallestUsers: 36, weakestSegment: 0.58, smallStable: 0, gates: { size: true, share: true, stable: false }, eligible: false },
  { k: 5, inertia: 3201.7, silhouette: 0.271, calinskiHarabasz: 388.0, daviesBouldin: 1.187, stability: 0.58, minShare: 0.04, gap: 0.518, smallestUsers: 16, weakestSegment: 0.41, smallStable: 0, gates: { size: true, share: false, stable: false }, eligible: false },
  { k: 6, inertia: 2987.3, silhouette: 0.254, calinskiHarabasz: 360.6, daviesBouldin: 1.241, stability: null, minShare: 0.02, gap: 0.487, smallestUsers: 8, weakestSegment: null, smallStable: 0, gates: { size: true, share: false, stable: true }, eligible: false },
];

const rule = (
  segment: number, segmentName: string, text: string, where: string,
  tp: number, selected: number, segmentSize: number, verified = true,
): Rule => {
  const precision = tp / selected;
  const recall = tp / segmentSize;
  return {
    id: `r${segment}`, segment, segmentName,
    conditions: [{ feature: 'events', op: '>=', value: 120, label: 'events ≥ 120' }],
    text,
    metrics: {
      truePositives: tp, selected, segmentSize, precision, recall,
      f1: (2 * precision * recall) / (precision + recall),
      support: selected / 1200, lift: precision / (segmentSize / 1200),
    },
    sql: `SELECT user_id FROM "features" WHERE ${where}`,
    jsonLogic: { '>=': [{ var: 'events' }, 120] },
    verified,
  };
};

const RULES: readonly Rule[] = [
  rule(0, 'Casual browsers', 'sessions < 7 AND share of dashboard_viewed >= 0.45', '"sessions" < 7 AND "share_dashboard_viewed" >= 0.45', 498, 571, 612),
  rule(1, 'Dormant trialists', 'days since last event >= 30 AND events < 20', '"days_since_last" >= 30 AND "events" < 20', 271, 305, 324, false),
  rule(2, 'Power reporters', 'share of report_created >= 0.1 AND events >= 150 AND plan != \'free\'', '"share_report_created" >= 0.1 AND "events" >= 150 AND "plan" <> \'free\'', 229, 251, 264),
];

/** Deterministic map points: three blobs, segment sizes in proportion to the segments. */
function mapPoints(): SegmentsDoc['map'] {
  const rng = createRng(7);
  const centres: readonly [number, number, number, number][] = [
    [-1.2, -0.4, 0.9, 0.7], [2.1, 1.6, 0.8, 0.9], [1.4, -2.3, 1.0, 0.6],
  ];
  const counts = [306, 162, 132];
  const round = (v: number) => Math.round(v * 1e4) / 1e4;
  const out: [number, number, number][] = [];
  counts.forEach((n, seg) => {
    const [cx, cy, sx, sy] = centres[seg];
    for (let i = 0; i < n; i++) out.push([round(cx + sx * rng.normal()), round(cy + sy * rng.normal()), seg]);
  });
  return out;
}

/**
 * Builds run documents; `overrides` replace whole top-level fields of each document.
 *
 * @example
 * const docs = makeRunDocuments({ segments: { selection: { method: 'auto', reason: 'x', strongStructure: false } } });
 */
export function makeRunDocuments(overrides: RunDocumentsOverrides = {}): RunDocuments {
  const config = makeConfig();
  const manifest: Manifest = {
    kind: 'segmint.manifest',
    version: 1,
    runId: FIXTURE_RUN_ID,
    startedAt: '2024-06-01T06:00:00.000Z',
    finishedAt: '2024-06-01T06:00:07.412Z',
    seed: 42,
    config,
    configHash: 'sha256:9c1d4e7a2b3f60a18e5d77c0f4b2a9e6d1c3b5a7f9e2d4c6b8a0f1e3d5c7b9a1',
    inputs: [
      { path: '/repo/data/events.csv', bytes: 3_482_113, sha256: 'a1b2c3d4e5f60718293a4b5c6d7e8f90112233445566778899aabbccddeeff00' },
      { path: '/repo/data/users.csv', bytes: 88_410, sha256: '00ffeeddccbbaa99887766554433221109f8e7d6c5b4a3928170f6e5d4c3b2a1' },
    ],
    mapping: { userId: 'user_id', event: 'event', timestamp: 'timestamp', timestampFormat: 'iso' },
    window: { start: '2024-03-03T00:00:00.000Z', end: '2024-05-31T23:59:59.000Z', days: 90 },
    accounting: [
      { role: 'events', files: ['/repo/data/events.csv'], read: 48_210, used: 46_980, outOfWindow: 950, duplicates: 240, rejected: 40 },
      { role: 'users', files: ['/repo/data/users.csv'], read: 1_250, used: 1_200, outOfWindow: 0, duplicates: 12, rejected: 38 },
    ],
    timings: [
      { stage: 'ingest', ms: 1840 }, { stage: 'features', ms: 1210 }, { stage: 'transform', ms: 95 },
      { stage: 'reduce', ms: 41 }, { stage: 'cluster', ms: 3620 }, { stage: 'profile', ms: 180 },
      { stage: 'rules', ms: 402 }, { stage: 'report', ms: 24 },
    ],
    versions: { segmint: '0.1.0', node: 'v20.19.0', duckdb: '1.5.6', 'ml-pca': '4.1.1', 'ml-kmeans': '7.0.1' },
    warnings: [
      { code: 'W_REJECTED_ROWS', stage: 'ingest', message: '40 event rows rejected (0.08%); see rejects.csv' },
      { code: 'W_DROPPED_FEATURE', stage: 'transform', message: 'dropped "sessions_per_week": near-duplicate of "sessions" (r = 0.97)' },
      { code: 'W_UNSTABLE_SEGMENT', stage: 'cluster', message: 'segment 1 (Dormant trialists) has stability 0.52 < 0.60' },
      { code: 'W_RULE_WEAK', stage: 'rules', message: 'rule r1 (Dormant trialists): SQL selected 303 users but the metrics count 305' },
    ],
    users: 1200,
    features: 38,
    ...overrides.manifest,
  };
  const segments: SegmentsDoc = {
    kind: 'segmint.segments',
    version: 1,
    k: 3,
    users: 1200,
    selection: {
      method: 'auto',
      reason: 'k = 3 has the best silhouette (0.356) and Davies–Bouldin (0.987) among eligible k, with stability 0.82',
      strongStructure: true,
    },
    scores: SCORES,
    explainedVariance: [0.312, 0.184, 0.121, 0.087, 0.061, 0.043],
    segments: SEGMENTS,
    model: {
      features: ['events', 'sessions', 'active_days'],
      meanings: { events: { kind: 'events' }, sessions: { kind: 'sessions', gapMinutes: 30 }, active_days: { kind: 'activeDays' } },
      transform: { kind: 'segmint.transform', version: 1, steps: [], dropped: [{ feature: 'sessions_per_week', reason: 'near-duplicate of sessions' }] },
      pca: { kind: 'segmint.pca', version: 1, mean: [0, 0, 0], components: [[1, 0, 0], [0, 1, 0]], explainedVarianceRatio: [0.312, 0.184] },
      kmeans: { kind: 'segmint.kmeans', version: 1, centroids: [[-1.2, -0.4], [2.1, 1.6], [1.4, -2.3]] },
    },
    map: mapPoints(),
    ...overrides.segments,
  };
  const rules: RuleSet = { kind: 'segmint.rules', version: 1, table: 'features', rules: RULES, ...overrides.rules };
  return { manifest, segments, rules };
}

/**
 * The fixture run for rules over data a test writes by hand: segment 0's rule reads the share of
 * `dashboard_viewed`, segment 2's the users column `plan`, and segment 1's `events >= 2` when
 * `eventsRule` (else the fixture's own rule). Its inputs are gone, so promote keeps the rules as
 * written (no recomputation).
 */
export function rulesOnEventAndColumn(options: { readonly eventsRule?: boolean } = {}): RunDocuments {
  const made = makeRunDocuments();
  const [r0, r1, r2] = made.rules.rules;
  const withConditions = (r: Rule, conditions: Rule['conditions']): Rule => ({ ...r, conditions, text: conditions.map((c) => c.label).join(' AND ') });
  return {
    ...made,
    manifest: { ...made.manifest, runId: 'run-a', inputs: [{ path: '/nonexistent/segmint-fixture/gone.csv', bytes: 1, sha256: '0'.repeat(64) }] },
    segments: {
      ...made.segments,
      model: {
        ...made.segments.model,
        meanings: {
          ...made.segments.model.meanings,
          share_dashboard_viewed: { kind: 'eventShare', events: { type: 'event', event: 'dashboard_viewed' } },
          plan: { kind: 'attribute', source: 'users', column: 'plan', type: 'category' },
        },
      },
    },
    rules: {
      ...made.rules,
      rules: [
        withConditions(r0, [{ feature: 'share_dashboard_viewed', op: '>=', value: 0.45, label: 'share of dashboard_viewed >= 0.45' }]),
        options.eventsRule ? withConditions(r1, [{ feature: 'events', op: '>=', value: 2, label: 'events >= 2' }]) : r1,
        withConditions(r2, [{ feature: 'plan', op: '=', value: 'pro', label: "plan = 'pro'" }]),
      ],
    },
  };
}

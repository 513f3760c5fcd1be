/**
 * The model pushed down as SQL (src/warehouse/pushdown.ts) against the JavaScript that places
 * users in a run (applyTransform → projectPca → nearest centroid), on random models and feature
 * values, in a real PostgreSQL; and the write-back's transaction: a failure during the pushdown
 * leaves the previous table as it was, or no table at all.
 */
import fc from 'fast-check';
import type pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/resolve.js';
import { createContext } from '../../src/core/context.js';
import { openDb } from '../../src/core/duckdb.js';
import { assignToCentroids } from '../../src/stages/cluster/assign.js';
import type { ClusterModel } from '../../src/stages/cluster/types.js';
import type { Feature, FeatureTable } from '../../src/stages/features/types.js';
import { projectPca } from '../../src/stages/reduce/model.js';
import type { PcaModel } from '../../src/stages/reduce/types.js';
import { applyTransform } from '../../src/stages/transform/model.js';
import type { TransformModel, TransformStep } from '../../src/stages/transform/types.js';
import { connectWarehouse } from '../../src/warehouse/connection.js';
import { warehouseFeatures } from '../../src/warehouse/features.js';
import { ingestWarehouse } from '../../src/warehouse/front.js';
import { ASSIGNMENT_COLUMNS, modelCtes } from '../../src/warehouse/pushdown.js';
import { holdSession, takeSession } from '../../src/warehouse/session.js';
import { writeBack } from '../../src/warehouse/write-back.js';
import { usePostgres } from '../helpers/postgres.js';

const N = 40;
const CATEGORIES = ['a', 'b', "c'x", null] as const;

interface World {
  readonly n1: (number | null)[];
  readonly cnt: (number | null)[];
  readonly flag: (boolean | null)[];
  readonly cat: (string | null)[];
}

const meaning = { kind: 'activeDays' } as unknown as Feature['meaning'];
const base = { meaning, family: 'volume' as const, label: '' };

function featureTable(w: World): FeatureTable {
  const nums = (xs: (number | null)[]) => Float64Array.from(xs, (x) => (x === null ? NaN : x));
  const columns: Feature[] = [
    { ...base, name: 'n1', kind: 'numeric', integer: false, values: nums(w.n1) },
    { ...base, name: 'cnt', kind: 'numeric', integer: true, values: nums(w.cnt) },
    { ...base, name: 'flag', kind: 'boolean', values: Float64Array.from(w.flag, (x) => (x === null ? NaN : x ? 1 : 0)) },
    { ...base, name: 'cat', kind: 'categorical', values: w.cat },
  ];
  return { table: 'features', userIds: w.n1.map((_, i) => `u${String(i).padStart(3, '0')}`), usersWithoutEvents: [], usersTable: null, columns };
}

/** Doubles as models and features hold them: 0, or at least 1e-6 in size (PostgreSQL raises an error where a product underflows to 0). */
const finite = (lo = -5, hi = 5) => fc.double({ min: lo, max: hi, noNaN: true, noDefaultInfinity: true }).map((x) => (Math.abs(x) < 1e-6 ? 0 : x));
const positive = fc.double({ min: 0.1, max: 4, noNaN: true, noDefaultInfinity: true });

const world = fc.record({
  n1: fc.array(fc.option(fc.oneof(finite(0, 1e4), fc.constant(0), fc.double({ min: 1e-12, max: 1e-9, noNaN: true })), { nil: null }), { minLength: N, maxLength: N }),
  cnt: fc.array(fc.option(fc.integer({ min: -2, max: 50 }), { nil: null }), { minLength: N, maxLength: N }),
  flag: fc.array(fc.option(fc.boolean(), { nil: null }), { minLength: N, maxLength: N }),
  cat: fc.array(fc.constantFrom(...CATEGORIES), { minLength: N, maxLength: N }),
});

const model = fc
  .record({
    log1p: fc.boolean(),
    shrink: fc.option(fc.record({ offset: fc.integer({ min: -1, max: 1 }), prior: finite(), strength: positive }), { nil: undefined }),
    bounds: fc.tuple(finite(-1, 2), finite(2, 12)),
    numeric: fc.array(fc.tuple(finite(), positive, positive), { minLength: 5, maxLength: 5 }),
    p: fc.integer({ min: 1, max: 3 }),
    k: fc.integer({ min: 1, max: 4 }),
    seed: fc.array(finite(-3, 3), { minLength: 40, maxLength: 40 }),
    duplicate: fc.boolean(),
  })
  .map((m) => {
    const [[c0, s0, w0], [c1, s1, w1], [c2, s2, w2], [c3, s3, w3], [c4, s4, w4]] = m.numeric;
    const steps: TransformStep[] = [
      { kind: 'numeric', feature: 'n1', family: 'volume', log1p: m.log1p, lower: m.bounds[0], upper: m.bounds[1], fill: (m.bounds[0] + m.bounds[1]) / 2, center: c0, scale: s0, weight: w0, ...(m.shrink ? { shrink: { observations: 'cnt', ...m.shrink } } : {}) },
      { kind: 'numeric', feature: 'flag', family: 'attribute', log1p: false, lower: 0, upper: 1, fill: 1, center: c1, scale: s1, weight: w1 },
      { kind: 'onehot', feature: 'cat', family: 'attribute', category: 'a', others: null, center: c2, scale: s2, weight: w2 },
      { kind: 'onehot', feature: 'cat', family: 'attribute', category: "c'x", others: null, center: c3, scale: s3, weight: w3 },
      { kind: 'onehot', feature: 'cat', family: 'attribute', category: null, others: ['a', "c'x"], center: c4, scale: s4, weight: w4 },
    ];
    const d = steps.length;
    let at = 0;
    const next = () => m.seed[at++ % m.seed.length];
    const pca: PcaModel = { kind: 'segmint.pca', version: 1, mean: steps.map(() => next()), components: Array.from({ length: m.p }, () => steps.map(() => next())), explainedVarianceRatio: [] };
    const centroids = Array.from({ length: m.k }, () => Array.from({ length: m.p }, () => next()));
    // Two equal centres: every tie goes to the lower segment id, as in the engine.
    if (m.duplicate && m.k > 1) centroids[m.k - 1] = [...centroids[0]];
    const transform: TransformModel = { kind: 'segmint.transform', version: 1, steps, dropped: [] };
    const kmeans: ClusterModel = { kind: 'segmint.kmeans', version: 1, centroids };
    return { transform, pca, kmeans, d };
  });

describe('the model pushed down as SQL (PostgreSQL)', () => {
  const postgres = usePostgres();
  let client: pg.Client;
  let url: string;

  beforeAll(async () => {
    client = await postgres.connect();
    const { host, port, user, database } = postgres.cluster.config;
    url = `postgres://${user}@${host}:${port}/${database}`;
  }, 120_000);

  it('places every user as the JavaScript does: same segment, distance and margin (random models and values)', async () => {
    await fc.assert(
      fc.asyncProperty(world, model, async (w, m) => {
        const table = featureTable(w);
        await client.query('DROP TABLE IF EXISTS f_in');
        await client.query('CREATE TABLE f_in (user_id text, n1 double precision, cnt double precision, flag boolean, cat text)');
        await client.query('INSERT INTO f_in SELECT * FROM unnest($1::text[], $2::float8[], $3::float8[], $4::boolean[], $5::text[])', [table.userIds, w.n1, w.cnt, w.flag, w.cat]);
        const names = m.kmeans.centroids.map((_, c) => `segment ${c}`);
        const ctes = modelCtes('f_in', { transform: m.transform, pca: m.pca, kmeans: m.kmeans, features: table.columns, names });
        const rows = (await client.query<{ user_id: string; segment: number; segment_name: string; distance: number; confidence: number }>(
          `WITH ${ctes.join(', ')} SELECT ${ASSIGNMENT_COLUMNS.join(', ')} FROM assigned ORDER BY user_id`,
        )).rows;

        const placed = assignToCentroids(m.kmeans, projectPca(m.pca, applyTransform(m.transform, table)));
        expect(rows.map((r) => r.user_id)).toEqual(table.userIds);
        rows.forEach((r, i) => {
          expect(r.segment).toBe(placed.labels[i]);
          expect(r.segment_name).toBe(names[placed.labels[i]]);
          expect(Math.abs(r.distance - placed.distances[i])).toBeLessThanOrEqual(1e-9 * Math.max(1, placed.distances[i]));
          expect(Math.abs(r.confidence - placed.margins[i])).toBeLessThanOrEqual(1e-9);
        });
      }),
      { numRuns: 25, seed: 13 },
    );
  }, 120_000);

  it('refuses a non-finite number in the model rather than writing it into SQL', () => {
    const table = featureTable({ n1: [1], cnt: [1], flag: [true], cat: ['a'] });
    const transform: TransformModel = { kind: 'segmint.transform', version: 1, steps: [{ kind: 'numeric', feature: 'n1', family: 'volume', log1p: false, lower: 0, upper: 1, fill: 0, center: NaN, scale: 1, weight: 1 }], dropped: [] };
    const pca: PcaModel = { kind: 'segmint.pca', version: 1, mean: [0], components: [[1]], explainedVarianceRatio: [1] };
    const kmeans: ClusterModel = { kind: 'segmint.kmeans', version: 1, centroids: [[0]] };
    expect(() => modelCtes('f', { transform, pca, kmeans, features: table.columns, names: ['x'] })).toThrow(/non-finite/);
  });

  describe('the write-back transaction', () => {
    beforeAll(async () => {
      await client.query('CREATE SCHEMA small');
      await client.query('CREATE TABLE small.events (user_id text, event text, "timestamp" timestamp)');
      await client.query(
        "INSERT INTO small.events SELECT 'u' || (i % 7), CASE WHEN i % 3 = 0 THEN 'view' ELSE 'click' END, TIMESTAMP '2024-03-01' + i * INTERVAL '37 minutes' FROM generate_series(1, 200) i",
      );
      await client.query('CREATE TABLE small.users (user_id text, plan text)');
      await client.query("INSERT INTO small.users SELECT 'u' || i, CASE WHEN i % 2 = 0 THEN 'pro' ELSE 'free' END FROM generate_series(0, 9) i");
    });

    /** A warehouse run's front on small.*, its connection held, and a one-segment model. */
    async function fitted(target: string) {
      const raw = { inputs: { warehouse: { url, events: 'small.events', users: { table: 'small.users', key: 'user_id' }, write_assignments: target } } };
      const config = resolveConfig(raw, { file: 'test', baseDir: process.cwd(), source: null });
      const input = config.inputs.warehouse!;
      const wh = await connectWarehouse(url);
      const db = await openDb();
      try {
        const inputs = await ingestWarehouse(wh, input, config, new Date('2024-06-01T00:00:00Z'));
        const features = await warehouseFeatures(wh, db, inputs, config, createContext(1));
        holdSession(features, wh);
        const analysis = {
          ingest: { window: inputs.events.window },
          features,
          transform: { model: { kind: 'segmint.transform', version: 1, steps: [], dropped: [] } },
          reduce: { model: { kind: 'segmint.pca', version: 1, mean: [], components: [], explainedVarianceRatio: [] } },
          cluster: { model: { kind: 'segmint.kmeans', version: 1, centroids: [[]] }, placement: { labels: new Int32Array(0), distances: new Float64Array(0), margins: new Float64Array(0) } },
          profiles: [{ name: 'Everyone' }],
        } as unknown as Parameters<typeof writeBack>[1];
        return { input, analysis, features };
      } finally {
        db.close();
      }
    }

    const contents = async (table: string) => (await client.query(`SELECT user_id, segment, segment_name FROM ${table} ORDER BY user_id`)).rows;

    it('writes users with events and the no-events group in one statement', async () => {
      const { input, analysis } = await fitted('small.assigned');
      expect(await writeBack(input, analysis)).toBe(10);
      const rows = await contents('small.assigned');
      expect(rows.filter((r) => r.segment === 0).map((r) => r.user_id)).toEqual(['u0', 'u1', 'u2', 'u3', 'u4', 'u5', 'u6']);
      expect(rows.filter((r) => r.segment === -1)).toEqual([
        { user_id: 'u7', segment: -1, segment_name: 'No events in window' },
        { user_id: 'u8', segment: -1, segment_name: 'No events in window' },
        { user_id: 'u9', segment: -1, segment_name: 'No events in window' },
      ]);
    }, 60_000);

    it('a failure during the pushdown leaves the previous table as it was, and a new one unmade', async () => {
      const before = await contents('small.assigned');
      // One user more than the warehouse will compute: the row-count check fails after the INSERT ran.
      const { input, analysis, features } = await fitted('small.assigned');
      const broken = { ...analysis, features: { ...features, usersWithoutEvents: [...features.usersWithoutEvents, 'ghost'] } };
      holdSession(broken.features, takeSession(features)!);
      await expect(writeBack(input, broken)).rejects.toThrow(/computed 10 assignments for the run's 11 users/);
      expect(await contents('small.assigned')).toEqual(before);

      const fresh = await fitted('small.never');
      const brokenFresh = { ...fresh.analysis, features: { ...fresh.features, usersWithoutEvents: [...fresh.features.usersWithoutEvents, 'ghost'] } };
      holdSession(brokenFresh.features, takeSession(fresh.features)!);
      await expect(writeBack(fresh.input, brokenFresh)).rejects.toThrow(/assignments/);
      expect((await client.query("SELECT to_regclass('small.never') AS t")).rows[0].t).toBeNull();
    }, 60_000);
  });
});

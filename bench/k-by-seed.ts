/**
 * How the automatic k (and a fixed k's fit) moves with the seed on the scale benchmark's logs
 * (bench/scale-data.ts, 5 planted groups): ingest, features, transform and PCA once, then the
 * cluster stage once per seed, each scored against the planted groups. Prints one line per seed.
 *
 *   node --import tsx bench/k-by-seed.ts USERS SEEDS [K]   # e.g. 100000 42,1,2,3   or   1000000 200-207 5
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { resolveConfig } from '../src/config/resolve.js';
import { createContext } from '../src/core/context.js';
import { openDb } from '../src/core/duckdb.js';
import { clusterUsers } from '../src/stages/cluster/cluster.js';
import { adjustedRandIndex } from '../src/stages/cluster/metrics.js';
import { buildFeatures } from '../src/stages/features/build.js';
import { ingest } from '../src/stages/ingest/index.js';
import { fitPca } from '../src/stages/reduce/pca.js';
import { fitTransform } from '../src/stages/transform/fit.js';
import { plantedGroupsSql, scaleEvents } from './scale-data.js';

const [users, seedList, fixedK] = process.argv.slice(2);
const seeds = seedList.split(',').flatMap((part) => {
  const [from, to] = part.split('-').map(Number);
  return to === undefined ? [from] : Array.from({ length: to - from + 1 }, (_, i) => from + i);
});
const file = await scaleEvents(Number(users));
const config = (seed: number) =>
  resolveConfig({ seed, inputs: { events: { path: file } }, ...(fixedK ? { cluster: { k: Number(fixedK) } } : {}) }, { file: 'bench', baseDir: process.cwd(), source: null });

const db = await openDb();
const base = config(seeds[0]);
const ingested = await ingest(db, base, createContext(base.seed));
const features = await buildFeatures(db, ingested, base, createContext(base.seed));
db.close();
const points = fitPca(fitTransform(features, base.transform, createContext(base.seed)).matrix, base.reduce).projected;

// The planted group of user u (user id 'u' + u, zero-padded), as the generator drew it.
const instance = await DuckDBInstance.create(':memory:');
const connection = await instance.connect();
const group = (await connection.runAndReadAll(`SELECT g FROM (${plantedGroupsSql(Number(users))}) ORDER BY u`)).getRowsJS().map((r) => Number(r[0]));
const planted = Int32Array.from(features.userIds, (id) => group[Number(id.slice(1))]);

for (const seed of seeds) {
  const result = clusterUsers(points, config(seed).cluster, createContext(seed));
  console.log(`seed ${seed}: k = ${result.k}, ARI ${adjustedRandIndex(result.labels, planted).toFixed(3)} — ${result.selection.reason}`);
}

/**
 * What `cluster.warm_start: previous` buys a periodic job, measured on the bundled sample:
 *
 *   A. a weekly job replayed: runs as of 28, 21, 14 and 7 days before the latest event and as of
 *      it, each compared with the one before;
 *   B. the same data rerun with other seeds (42, 7, 1, 3), each compared with the one before;
 *   C. the mechanism where k-means has several near-equal optima (the sample's personas are too
 *      crisp for that): 8 overlapping Gaussian groups in 6 dimensions, k fixed at 8, "next week"
 *      = every point jittered a little, 5% of users replaced, another seed; 10 trials.
 *
 * Each chain runs cold (warm_start: none) and warm. Printed per run: k, segment keys inherited,
 * the share of users segmented in both runs who kept their key, inertia (sum of squared
 * distances to the centres, in that run's own space), the adjusted Rand index against the
 * sample's planted personas, and mean rule F1.
 *
 *   node --import tsx scripts/warm-start.ts
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import Papa from 'papaparse';
import { loadConfigFile } from '../src/config/resolve.js';
import type { ResolvedConfig } from '../src/config/types.js';
import { createContext } from '../src/core/context.js';
import { meanF1, runPipeline, type RunOutcome } from '../src/pipeline.js';
import { adjustedRandIndex, clusterUsers } from '../src/stages/cluster/index.js';
import { createMatrix, type Matrix } from '../src/core/matrix.js';
import { createRng } from '../src/core/rng.js';
import { matchSegments, overlapOf } from '../src/run/match.js';
import { DEFAULT_CONFIG } from '../test/helpers/config.js';
import { tempDir } from '../test/helpers/tmp.js';

const REPO = resolve(import.meta.dirname, '..');
const LATEST = Date.parse('2026-10-31T23:45:02Z');
const DAY = 86_400_000;
const truth = new Map(
  Papa.parse<Record<string, string>>(readFileSync(resolve(REPO, 'data/sample/ground-truth.csv'), 'utf8'), { header: true, skipEmptyLines: true }).data.map((r) => [r.user_id, r.persona]),
);

interface Step {
  readonly label: string;
  readonly seed: number;
  readonly end: string | null;
}

interface Row {
  readonly label: string;
  readonly k: number;
  readonly inherited: number;
  readonly kept: number | null;
  readonly inertia: number;
  readonly ari: number;
  readonly f1: number;
}

function measure(label: string, o: RunOutcome): Row {
  const segs = o.documents.segments;
  const l = segs.lineage!;
  const clustered = o.assignments.filter((a) => a.segment >= 0);
  const personas = [...new Set(truth.values())].sort();
  return {
    label,
    k: segs.k,
    inherited: segs.segments.filter((s) => s.lineage?.inheritedKey).length,
    kept: l.previousRun === null || l.sharedUsers === 0 ? null : l.keptKey / l.sharedUsers,
    inertia: clustered.reduce((s, a) => s + (a.distance ?? 0) ** 2, 0),
    ari: adjustedRandIndex(clustered.map((a) => personas.indexOf(truth.get(a.userId)!)), clustered.map((a) => a.segment)),
    f1: meanF1(o.documents.rules),
  };
}

async function chain(steps: readonly Step[], warm: 'none' | 'previous'): Promise<Row[]> {
  const out = tempDir('segmint-warm-');
  const rows: Row[] = [];
  for (const step of steps) {
    const base = loadConfigFile(resolve(REPO, 'pipeline/default.yaml'), { out, seed: step.seed });
    const config: ResolvedConfig = { ...base, window: { ...base.window, end: step.end }, cluster: { ...base.cluster, warmStart: warm } };
    rows.push(measure(step.label, await runPipeline(config, createContext(config.seed))));
  }
  return rows;
}

const pct = (v: number | null) => (v === null ? '   -  ' : `${(100 * v).toFixed(1).padStart(5)}%`);

function print(title: string, cold: readonly Row[], warm: readonly Row[]): void {
  console.log(`\n${title}`);
  console.log('run               | cold: k inherited kept-key  inertia    ARI   F1 | warm: k inherited kept-key  inertia    ARI   F1 | inertia warm/cold');
  cold.forEach((c, i) => {
    const w = warm[i];
    const cell = (r: Row) => `${String(r.k).padStart(2)} ${`${r.inherited}/${r.k}`.padStart(9)} ${pct(r.kept)} ${r.inertia.toFixed(0).padStart(8)} ${r.ari.toFixed(3)} ${r.f1.toFixed(2)}`;
    console.log(`${c.label.padEnd(17)} |    ${cell(c)} |    ${cell(w)} | ${(w.inertia / c.inertia).toFixed(4)}`);
  });
  const mean = (rows: readonly Row[]) => {
    const kept = rows.flatMap((r) => (r.kept === null ? [] : [r.kept]));
    return kept.reduce((s, v) => s + v, 0) / Math.max(kept.length, 1);
  };
  console.log(`mean kept-key over the compared runs: cold ${pct(mean(cold))}, warm ${pct(mean(warm))}`);
}

const weekly: Step[] = [28, 21, 14, 7, 0].map((d) => ({ label: d === 0 ? 'as of the end' : `as of end - ${d}d`, seed: 42, end: d === 0 ? null : new Date(LATEST - d * DAY).toISOString() }));
const reseeded: Step[] = [42, 7, 1, 3].map((seed) => ({ label: `seed ${seed}`, seed, end: null }));

// `node --import tsx scripts/warm-start.ts C` runs only C (seconds instead of minutes).
const only = process.argv[2];
if (only === undefined || only === 'A') print('A. weekly job, as of 28/21/14/7/0 days before the latest event', await chain(weekly, 'none'), await chain(weekly, 'previous'));
if (only === undefined || only === 'B') print('B. same data, seeds 42 -> 7 -> 1 -> 3', await chain(reseeded, 'none'), await chain(reseeded, 'previous'));

/** C: returning users who keep their segment (by the matcher's inheritance), cold vs warm. */
function fuzzyTrial(trial: number): { cold: number; warm: number; inertia: number; warmKept: boolean } {
  const rng = createRng(1000 + trial);
  const n = 3000;
  const d = 6;
  const groups = 8;
  const centres = Array.from({ length: groups }, () => Array.from({ length: d }, () => rng.normal() * 1.2));
  const week1 = createMatrix(n, d);
  for (let i = 0; i < n; i++) {
    const g = i % groups;
    for (let j = 0; j < d; j++) week1.data[i * d + j] = centres[g][j] + rng.normal();
  }
  // Next week: a little jitter for everyone, 5% of users replaced by new ones.
  const week2 = createMatrix(n, d);
  const returning = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const replaced = rng.next() < 0.05;
    returning[i] = replaced ? 0 : 1;
    const g = rng.int(groups);
    for (let j = 0; j < d; j++) week2.data[i * d + j] = replaced ? centres[g][j] + rng.normal() : week1.data[i * d + j] + 0.15 * rng.normal();
  }
  const config = { ...DEFAULT_CONFIG.cluster, k: groups, restarts: 10, stabilityRuns: 0, minSize: 1 };
  const first = clusterUsers(week1, config, createContext(trial + 1));
  // Previous centres in this week's space: the mean of each previous segment's returning members.
  const sums = new Float64Array(groups * d);
  const counts = new Float64Array(groups);
  for (let i = 0; i < n; i++) {
    if (!returning[i]) continue;
    const l = first.labels[i];
    counts[l]++;
    for (let j = 0; j < d; j++) sums[l * d + j] += week2.data[i * d + j];
  }
  const warmStart: Matrix = createMatrix(groups, d, sums.map((v, idx) => v / Math.max(1, counts[Math.floor(idx / d)])));
  const seed = trial + 101;
  const cold = clusterUsers(week2, config, createContext(seed));
  const warm = clusterUsers(week2, config, createContext(seed), { warmStart });
  const kept = (labels: Int32Array) => {
    const before = Int32Array.from(first.labels, (l, i) => (returning[i] ? l : -1));
    const m = matchSegments(overlapOf(before, labels, groups, groups));
    const heir = new Map(m.after.filter((l) => l.inherits).map((l) => [l.matched!, l.segment]));
    let same = 0;
    let all = 0;
    for (let i = 0; i < n; i++) {
      if (!returning[i]) continue;
      all++;
      if (heir.get(first.labels[i]) === labels[i]) same++;
    }
    return same / all;
  };
  return { cold: kept(cold.labels), warm: kept(warm.labels), inertia: warm.inertia / cold.inertia, warmKept: warm.warmStarted === true };
}

if (only === undefined || only === 'C') runC();

function runC(): void {
console.log('\nC. overlapping groups (8 in 6-D, k = 8), next week = jitter + 5% new users + another seed: returning users keeping their key');
const trials = Array.from({ length: 10 }, (_, t) => fuzzyTrial(t));
trials.forEach((t, i) => console.log(`trial ${i}: cold ${pct(t.cold)}, warm ${pct(t.warm)}, inertia warm/cold ${t.inertia.toFixed(4)}${t.warmKept ? '' : ' (warm fit not kept)'}`));
const avg = (f: (t: (typeof trials)[number]) => number) => trials.reduce((s, t) => s + f(t), 0) / trials.length;
console.log(`mean: cold ${pct(avg((t) => t.cold))}, warm ${pct(avg((t) => t.warm))}, inertia warm/cold ${avg((t) => t.inertia).toFixed(4)}, min ${pct(Math.min(...trials.map((t) => t.cold)))} cold / ${pct(Math.min(...trials.map((t) => t.warm)))} warm`);
}

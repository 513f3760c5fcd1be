/**
 * `npm run bench -- quality`: does segmint find the right segments on data nobody here tuned it
 * on? Eight families of generated worlds written for this benchmark (bench/quality/worlds/, unlike
 * the bundled sample) and two real data sets with a withheld outcome. For every world, side by
 * side: segmint with automatic k, segmint at the true k, and the plain notebook baseline
 * (bench/quality/baseline.ts) with its own automatic k and at the true k.
 *
 * Seeds: the modelling was tuned on seeds 1–5 of each family. Seeds 100–119 were the first
 * held-out set; one failure seen there (far-and-near seed 116) led to a rule change, so the
 * figures reported are on seeds 200–219 (the default), which no change has looked at.
 * `SEGMINT_QUALITY_SEEDS=1-5` reruns the tuning seeds,
 * `SEGMINT_QUALITY_FAMILIES=sparse-lapsed,one-population` a subset, `SEGMINT_QUALITY_REAL=0`
 * skips the real data sets.
 */
import { plantedFamilies, realWorlds } from './quality/worlds/index.js';
import { plainNotebook } from './quality/baseline.js';
import { adjustedRandIndex, labelsOf, normalizedMutualInformation } from './quality/metrics.js';
import { runSegmint } from './quality/segmint.js';
import type { World, WorldFamily } from './quality/types.js';

export interface WorldResult {
  readonly family: string;
  readonly seed: number;
  readonly users: number;
  readonly trueK: number | null;
  readonly score: 'ari' | 'nmi';
  readonly segmint: { readonly k: number; readonly value: number; readonly strong: boolean; readonly smallest: number };
  readonly segmintAtTrueK: number | null;
  readonly baseline: { readonly k: number; readonly value: number };
  readonly baselineAtTrueK: number | null;
  readonly seconds: number;
}

export interface QualityFigures {
  readonly seeds: readonly number[];
  readonly worlds: readonly WorldResult[];
}

/** Seeds 1..TUNING_SEEDS of each family were used to tune segmint; the rest are held out. */
const TUNING_SEEDS = 5;

/** The algorithm seed is fixed (segmint's default), so only the world varies with the seed. */
const RUN_SEED = 42;

export function parseSeeds(spec: string): number[] {
  const out: number[] = [];
  for (const part of spec.split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!m) throw new Error(`SEGMINT_QUALITY_SEEDS: expected a list like 100-119 or 1,2,3, got ${spec}`);
    const lo = Number(m[1]);
    const hi = m[2] === undefined ? lo : Number(m[2]);
    for (let s = lo; s <= hi; s++) out.push(s);
  }
  return out;
}

export async function runQualityBench(log: (line: string) => void = (l) => process.stderr.write(l + '\n')): Promise<QualityFigures> {
  const seeds = parseSeeds(process.env.SEGMINT_QUALITY_SEEDS ?? '200-219');
  const only = process.env.SEGMINT_QUALITY_FAMILIES?.split(',').map((s) => s.trim());
  const pick = (f: WorldFamily) => !only || only.includes(f.name);
  const worlds: WorldResult[] = [];
  for (const family of plantedFamilies.filter(pick)) {
    for (const seed of seeds) {
      const r = await scoreWorld(family.generate(seed));
      log(line(r));
      worlds.push(r);
    }
  }
  if (process.env.SEGMINT_QUALITY_REAL !== '0') {
    for (const family of realWorlds.filter(pick)) {
      const r = await scoreWorld(family.generate(0));
      log(line(r));
      worlds.push(r);
    }
  }
  return { seeds, worlds };
}

async function scoreWorld(world: World): Promise<WorldResult> {
  const t0 = performance.now();
  const agree = (userIds: readonly string[], labels: Int32Array) => {
    const truth = labelsOf(world.truth, [...userIds]);
    return world.score === 'ari' ? adjustedRandIndex(truth, labels) : normalizedMutualInformation(truth, labels);
  };
  const auto = await runSegmint(world, 'auto', RUN_SEED);
  const base = plainNotebook(world, 'auto', RUN_SEED);
  let segmintAtTrueK: number | null = null;
  let baselineAtTrueK: number | null = null;
  if (world.trueK !== null) {
    const fixed = auto.k === world.trueK ? auto : await runSegmint(world, world.trueK, RUN_SEED);
    segmintAtTrueK = agree(fixed.userIds, fixed.labels);
    const b = plainNotebook(world, world.trueK, RUN_SEED);
    baselineAtTrueK = agree(b.userIds, b.labels);
  }
  return {
    family: world.family,
    seed: world.seed,
    users: world.truth.size,
    trueK: world.trueK,
    score: world.score,
    segmint: { k: auto.k, value: agree(auto.userIds, auto.labels), strong: auto.strongStructure, smallest: auto.smallest },
    segmintAtTrueK,
    baseline: { k: base.k, value: agree(base.userIds, base.labels) },
    baselineAtTrueK,
    seconds: (performance.now() - t0) / 1000,
  };
}

function line(r: WorldResult): string {
  const f = (v: number | null) => (v === null ? '—' : v.toFixed(3));
  return (
    `${r.family} seed ${r.seed} (${r.users} users, true k ${r.trueK ?? '—'}): segmint k = ${r.segmint.k}${r.segmint.strong ? '' : ' (no strong structure)'} ` +
    `${r.score} ${f(r.segmint.value)}, at true k ${f(r.segmintAtTrueK)}; baseline k = ${r.baseline.k} ${f(r.baseline.value)}, at true k ${f(r.baselineAtTrueK)} ` +
    `[smallest ${r.segmint.smallest}, ${r.seconds.toFixed(1)} s]`
  );
}

const mean = (xs: readonly number[]) => (xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : NaN);

export function printQuality(f: QualityFigures): string {
  const fams = [...new Set(f.worlds.map((w) => w.family))];
  const rows = fams.map((name) => {
    const ws = f.worlds.filter((w) => w.family === name);
    const first = ws[0];
    const m = (pick: (w: WorldResult) => number | null) => {
      const xs = ws.map(pick).filter((x): x is number => x !== null);
      return xs.length ? mean(xs).toFixed(3) : '—';
    };
    const kRight =
      first.trueK === null
        ? first.score === 'ari'
          ? `${ws.filter((w) => !w.segmint.strong).length}/${ws.length} say no structure`
          : `k ${ws.map((w) => w.segmint.k).join(',')}`
        : `${ws.filter((w) => w.segmint.k === w.trueK).length}/${ws.length} right`;
    const baseK = first.trueK === null ? `k ${[...new Set(ws.map((w) => w.baseline.k))].join(',')}` : `${ws.filter((w) => w.baseline.k === w.trueK).length}/${ws.length} right`;
    return `| ${name} | ${first.score.toUpperCase()} | ${ws.length} | ${kRight} | ${m((w) => w.segmint.value)} | ${m((w) => w.segmintAtTrueK)} | ${baseK} | ${m((w) => w.baseline.value)} | ${m((w) => w.baselineAtTrueK)} |`;
  });
  return [
    `Segment quality, seeds ${f.seeds.length > 1 ? `${f.seeds[0]}–${f.seeds[f.seeds.length - 1]}` : f.seeds[0]}` +
      `${f.seeds.every((s) => s > TUNING_SEEDS) ? ' (held out: never used for tuning)' : ' (includes the tuning seeds 1–5)'}; real data sets once`,
    '| family | score | worlds | segmint k | segmint auto | segmint at true k | baseline k | baseline auto | baseline at true k |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}

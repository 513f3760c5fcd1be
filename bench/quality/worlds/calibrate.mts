/**
 * Calibration of the planted families against the plain notebook: for seeds 1–5 of every
 * planted family with segments, the ARI of `plainNotebook(world, world.trueK, 42)` against the
 * planted truth, and the mean. The worlds are tuned so that this ordinary recipe, at the true
 * k, lands around 0.92–0.97 (each seed ≥ 0.85) — the level the same recipe reaches on a real
 * B2B log of the sparse-lapsed design — while each family keeps what makes it hard for a method
 * that has to find k and the right features by itself. Also prints the largest event count
 * seen (the harness allows 250k per world). Takes about 20 s.
 *
 *   node --import tsx bench/quality/worlds/calibrate.mts                # every family
 *   node --import tsx bench/quality/worlds/calibrate.mts far-and-near   # some families
 *   node --import tsx bench/quality/worlds/calibrate.mts --confusion    # + persona × cluster
 *   node --import tsx bench/quality/worlds/calibrate.mts --seeds 1-10   # other seeds
 *   node --import tsx bench/quality/worlds/calibrate.mts --notebook-seed 7   # other k-means seed
 *
 * If a family drifts off target after a change to the worlds (or to the notebook), the
 * confusion tables show which personas merge or split; the usual levers are the personas'
 * signature shares and `mixConcentration`, the spread of daily activity (`activeDays`
 * concentration), and for users-table columns the alignment of categoricals with the segment
 * (avoid rare one-in-a-hundred levels: standardised one-hots turn them into far-out piles).
 */
import { plainNotebook } from '../baseline.js';
import { adjustedRandIndex, labelsOf } from '../metrics.js';
import { plantedFamilies } from './index.js';

const TARGET_MEAN: readonly [number, number] = [0.92, 0.97];
const TARGET_MIN = 0.85;
const DEFAULT_NOTEBOOK_SEED = 42;

// `| head` closes the pipe early: stop quietly instead of throwing EPIPE.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

const args = process.argv.slice(2);
const confusion = args.includes('--confusion');
let seeds = [1, 2, 3, 4, 5];
const seedArg = args.indexOf('--seeds');
if (seedArg >= 0) {
  const [a, b] = String(args[seedArg + 1]).split('-').map(Number);
  seeds = Array.from({ length: (b ?? a) - a + 1 }, (_, i) => a + i);
}
const nbArg = args.indexOf('--notebook-seed');
const NOTEBOOK_SEED = nbArg >= 0 ? Number(args[nbArg + 1]) : DEFAULT_NOTEBOOK_SEED;
const wanted = args.filter((a, i) => !a.startsWith('--') && args[i - 1] !== '--seeds' && args[i - 1] !== '--notebook-seed');
const families = plantedFamilies.filter((f) => wanted.length === 0 || wanted.includes(f.name));

const f3 = (x: number) => x.toFixed(3);
const rows: string[] = [];
let off = 0;
console.log(`plain notebook at the true k (notebook seed ${NOTEBOOK_SEED}); target mean ${TARGET_MEAN.join('–')}, every seed ≥ ${TARGET_MIN}\n`);
console.log(`${'family'.padEnd(18)} ${seeds.map((s) => `seed ${s}`.padStart(7)).join(' ')} ${'mean'.padStart(6)}  ${'events (max)'.padStart(12)}`);

for (const family of families) {
  const aris: number[] = [];
  let maxEvents = 0;
  for (const seed of seeds) {
    const world = family.generate(seed);
    maxEvents = Math.max(maxEvents, world.events?.length ?? 0);
    if (world.trueK === null) continue; // still generated: its size counts for the budget
    const result = plainNotebook(world, world.trueK, NOTEBOOK_SEED);
    const truth = labelsOf(world.truth, result.userIds);
    aris.push(adjustedRandIndex(truth, result.labels));
    if (confusion) rows.push(confusionTable(family.name, seed, world.truth, result.userIds, result.labels));
  }
  if (aris.length === 0) {
    console.log(`${family.name.padEnd(18)} ${'(no planted segments: not calibrated)'.padEnd(seeds.length * 8 - 1)} ${''.padStart(6)}  ${String(maxEvents).padStart(12)}`);
    continue;
  }
  const mean = aris.reduce((s, v) => s + v, 0) / aris.length;
  const ok = mean >= TARGET_MEAN[0] && mean <= TARGET_MEAN[1] && Math.min(...aris) >= TARGET_MIN;
  if (!ok) off++;
  console.log(`${family.name.padEnd(18)} ${aris.map((a) => f3(a).padStart(7)).join(' ')} ${f3(mean).padStart(6)}  ${String(maxEvents).padStart(12)}${ok ? '' : '  <- off target'}`);
}
for (const r of rows) console.log(r);
if (off) {
  console.log(`\n${off} family(ies) off target`);
  process.exitCode = 1;
}

function confusionTable(name: string, seed: number, truth: ReadonlyMap<string, string>, ids: string[], labels: Int32Array): string {
  const k = Math.max(...labels) + 1;
  const table = new Map<string, number[]>();
  ids.forEach((id, i) => {
    const p = truth.get(id)!;
    let row = table.get(p);
    if (!row) table.set(p, (row = new Array<number>(k).fill(0)));
    row[labels[i]]++;
  });
  const lines = [`\n${name} seed ${seed}: persona × notebook cluster`];
  for (const [p, row] of [...table].sort()) lines.push(`  ${p.padEnd(20)} ${row.map((v) => String(v).padStart(5)).join(' ')}`);
  return lines.join('\n');
}

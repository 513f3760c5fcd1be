/**
 * Generated data sets with a known number of segments, for the k-selection suite.
 * Each scenario is a function of a seed, so a failing case can be replayed alone.
 */
import { createRng, type Rng } from '../../../src/core/rng.js';
import { blobs, type BlobSpec, type Blobs } from './helpers.js';

export interface Scenario {
  readonly name: string;
  /** Number of segments; 1 means "no structure" (strongStructure must be false). */
  readonly k: number;
  readonly data: Blobs;
}

const DIM = 5;

/** A centre at least `gap` away from every centre in `taken`, in the first `span` dimensions. */
function farCentre(rng: Rng, taken: number[][], gap: number, span: number): number[] {
  for (;;) {
    const c = Array.from({ length: DIM }, (_, j) => (j < span ? rng.next() * span * gap : 0));
    if (taken.every((t) => Math.hypot(...t.map((v, j) => v - c[j])) >= gap)) return c;
  }
}

/** Unequal sizes (about 8:4:2:1), equal spreads, centres ≥ 6 sd apart. */
export function separatedUnequal(seed: number): Scenario {
  const rng = createRng(seed);
  const k = 3 + rng.int(3);
  const centres: number[][] = [];
  const specs: BlobSpec[] = [];
  for (let c = 0; c < k; c++) {
    const centre = farCentre(rng, centres, 6, 3);
    centres.push(centre);
    specs.push({ centre, size: Math.round(320 / 2 ** Math.min(c, 3)) + 20, spread: 1 });
  }
  return { name: 'separated-unequal', k, data: blobs(specs, seed) };
}

/** Spreads from 0.5 to 2; centres far enough apart for their spreads. */
export function unequalSpreads(seed: number): Scenario {
  const rng = createRng(seed);
  const k = 3 + rng.int(2);
  const spreads = [0.5, 1, 2, 1.5].slice(0, k);
  const centres: number[][] = [];
  const specs: BlobSpec[] = [];
  for (let c = 0; c < k; c++) {
    const centre = farCentre(rng, centres, 9, 3);
    centres.push(centre);
    specs.push({ centre, size: 120 + rng.int(120), spread: spreads[c] });
  }
  return { name: 'unequal-spreads', k, data: blobs(specs, seed) };
}

/**
 * Well-separated blobs plus one pair that differs along a single dimension only (centres
 * 4.5 sd apart along it, identical elsewhere): silhouette alone tends to merge the pair.
 */
export function singleDimensionPair(seed: number): Scenario {
  const rng = createRng(seed);
  const others = 1 + rng.int(2);
  const centres: number[][] = [];
  const specs: BlobSpec[] = [];
  const base = farCentre(rng, centres, 0, 3);
  const axis = rng.int(DIM);
  const twin = base.slice();
  twin[axis] += 4.5;
  centres.push(base, twin);
  specs.push({ centre: base, size: 150 + rng.int(100), spread: 1 }, { centre: twin, size: 150 + rng.int(100), spread: 1 });
  for (let c = 0; c < others; c++) {
    const centre = farCentre(rng, centres, 12, 3);
    centres.push(centre);
    specs.push({ centre, size: 150 + rng.int(100), spread: 1 });
  }
  return { name: 'single-dimension-pair', k: 2 + others, data: blobs(specs, seed) };
}

/**
 * One far-away group (about 9% of users, 40 sd from the rest) and five near groups (centres
 * ≥ 7 sd apart): next to the far group every other separation looks small, so silhouette and
 * its cousins pick k = 2 (the case refine.ts exists for).
 */
export function farGroupAndNear(seed: number): Scenario {
  const rng = createRng(seed);
  const centres: number[][] = [];
  const specs: BlobSpec[] = [];
  for (let c = 0; c < 5; c++) {
    const centre = farCentre(rng, centres, 6, 3);
    centres.push(centre);
    specs.push({ centre, size: 120 + rng.int(60), spread: 1 });
  }
  const far = new Array(DIM).fill(0);
  far[DIM - 1] = 80;
  specs.push({ centre: far, size: 70, spread: 1 });
  return { name: 'far-group-and-near', k: 6, data: blobs(specs, seed) };
}

/** One Gaussian cloud, isotropic or elongated: there are no segments to find. */
export function pureNoise(seed: number): Scenario {
  const rng = createRng(seed);
  const elongated = rng.next() < 0.5;
  const spread = elongated ? [3, 2, 1, 0.7, 0.5] : 1;
  return { name: elongated ? 'noise-elongated' : 'noise-isotropic', k: 1, data: blobs([{ centre: new Array(DIM).fill(0), size: 500, spread }], seed) };
}

export const scenarioMakers = [separatedUnequal, unequalSpreads, singleDimensionPair, farGroupAndNear, pureNoise] as const;

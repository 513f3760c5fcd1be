/**
 * Order statistics without a full sort: the values a sort would put at a few ranks, found by
 * quickselect. Rules need ~20 ranks of each column and the profile one median per segment; sorting
 * every column of 1M users was 2.7 s of the rules stage.
 */

/** A column's order statistics: how many values it has, and the value a sort puts at a rank. */
export interface OrderStatistics {
  readonly count: number;
  /** The value at 0-based `rank` of the ascending order (only ranks the statistics were made for). */
  at(rank: number): number;
}

/**
 * The values that are not NaN, in order, as a new array (the scratch `selectRanks` takes). A loop,
 * not `filter`: its callback per value made binning 100,000 users' columns take a second.
 */
export function presentValues(values: Float64Array): Float64Array {
  const out = new Float64Array(values.length);
  let m = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === v) out[m++] = v;
  }
  return out.subarray(0, m);
}

/** The order statistics of values that are already sorted ascending. */
export function sortedStatistics(sorted: Float64Array): OrderStatistics {
  return { count: sorted.length, at: (rank) => sorted[rank] };
}

/**
 * The order statistics at `ranks` of `scratch` (no NaN), which is reordered in place: Hoare
 * partitions around a median-of-three pivot, recursing only into parts that hold a wanted rank —
 * O(n log r) for r ranks. -0 and 0 are one value here (a sort puts -0 first); both read as 0.
 *
 * @example
 * selectRanks(Float64Array.of(5, 1, 4, 2, 3), [0, 2]).at(2); // 3
 */
export function selectRanks(scratch: Float64Array, ranks: readonly number[]): OrderStatistics {
  const n = scratch.length;
  const wanted = [...new Set(ranks)].filter((r) => r >= 0 && r < n).sort((a, b) => a - b);
  select(scratch, 0, n - 1, wanted, 0, wanted.length);
  const values = new Map(wanted.map((r) => [r, scratch[r] + 0]));
  return {
    count: n,
    at: (rank) => {
      const v = values.get(rank);
      if (v === undefined) throw new RangeError(`rank ${rank} was not selected`);
      return v;
    },
  };
}

/** Places the values of ranks[rFrom..rTo) (all within lo..hi) where a sort would put them. */
function select(a: Float64Array, lo: number, hi: number, ranks: readonly number[], rFrom: number, rTo: number): void {
  while (rFrom < rTo && lo < hi) {
    if (hi - lo < 16) {
      insertionSort(a, lo, hi);
      return;
    }
    const pivot = medianOfThree(a[lo], a[(lo + hi) >>> 1], a[hi]);
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    // lo..j ≤ pivot, i..hi ≥ pivot, and anything between equals the pivot (already in place).
    let leftEnd = rFrom;
    while (leftEnd < rTo && ranks[leftEnd] <= j) leftEnd++;
    let rightStart = leftEnd;
    while (rightStart < rTo && ranks[rightStart] < i) rightStart++;
    // Recurse into the smaller part and loop on the larger, so the stack stays O(log n).
    if (j - lo < hi - i) {
      select(a, lo, j, ranks, rFrom, leftEnd);
      lo = i;
      rFrom = rightStart;
    } else {
      select(a, i, hi, ranks, rightStart, rTo);
      hi = j;
      rTo = leftEnd;
    }
  }
}

function insertionSort(a: Float64Array, lo: number, hi: number): void {
  for (let i = lo + 1; i <= hi; i++) {
    const v = a[i];
    let j = i - 1;
    while (j >= lo && a[j] > v) {
      a[j + 1] = a[j];
      j--;
    }
    a[j + 1] = v;
  }
}

function medianOfThree(x: number, y: number, z: number): number {
  return x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
}

/** Allocation of the kernels' buffers (kernels.ts), shared by the engine and the seeding. */
import type { Matrix } from '../../core/matrix.js';
import { CHUNK, S, type Buffers } from './kernels.js';
import type { Executor } from './pool.js';

/** The kernels' buffers for `points` and k centres, shareable with the executor's threads. */
export function allocate(exec: Executor, points: Matrix, k: number): Buffers {
  const { rows: n, cols: d } = points;
  const trials = 2 + Math.floor(Math.log(Math.max(k, 1)));
  let data = points.data;
  if (exec.threads > 1) {
    data = exec.float64(n * d);
    data.set(points.data);
  }
  const scalars = exec.float64(10);
  scalars[S.n] = n;
  scalars[S.d] = d;
  scalars[S.k] = k;
  const buffers: Buffers = {
    data,
    centres: exec.float64(k * d),
    labels: exec.int32(n),
    upper: exec.float64(n),
    lower: exec.float64(n),
    half: exec.float64(k),
    move: exec.float64(k),
    closest: exec.float64(n),
    nearest: exec.int32(n),
    candidates: exec.int32(trials),
    moved: exec.int32(n),
    movedFrom: exec.int32(n),
    movedCount: exec.int32(Math.ceil(n / CHUNK)),
    gaps: exec.float64(trials * k),
    chunkPot: exec.float64(Math.ceil(n / CHUNK) * trials),
    scalars,
  };
  exec.bind(buffers);
  return buffers;
}


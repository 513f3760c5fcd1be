/**
 * Runs the kernels of kernels.ts over chunks of rows, on the calling thread alone (the default)
 * or together with worker threads sharing the buffers through SharedArrayBuffers.
 *
 * The calls stay synchronous: the main thread hands out chunks through an atomic counter, works
 * on chunks itself, then blocks in `Atomics.wait` until every worker is done (Node allows that on
 * the main thread). Chunks are claimed in any order but each chunk's result is its own, so the
 * outcome is identical for any number of threads (tested: 1 vs 2).
 */
import { Worker } from 'node:worker_threads';
import { KERNEL_SOURCE, runKernel, type Buffers } from './kernels.js';

export interface Executor {
  /** Threads working on a call, the caller's included. */
  readonly threads: number;
  /** Typed arrays the kernels can share with this executor's threads. */
  float64(length: number): Float64Array;
  int32(length: number): Int32Array;
  /** Makes `buffers` the ones later `run` calls work on. */
  bind(buffers: Buffers): void;
  /** Runs kernel `kind` on chunks 0..chunks-1 and returns when all are done. */
  run(kind: number, chunks: number): void;
}

export interface ThreadPool extends Executor {
  /** Stops the workers. The pool cannot be used afterwards. */
  close(): Promise<void>;
}

/** The calling thread alone. */
export function serialExecutor(): Executor {
  let bound: Buffers | null = null;
  return {
    threads: 1,
    float64: (length) => new Float64Array(length),
    int32: (length) => new Int32Array(length),
    bind(buffers) {
      bound = buffers;
    },
    run(kind, chunks) {
      for (let c = 0; c < chunks; c++) runKernel(kind, c, bound as Buffers);
    },
  };
}

// Control block slots.
const GEN = 0;
const KIND = 1;
const CHUNKS = 2;
const NEXT = 3;
const DONE = 4;
const READY = 5;
/** Sent as the kind to release the workers back to their event loop (before a re-bind). */
const RELEASE = -1;

const FAILED = 6;

// `__name` is the helper some TypeScript transpilers (esbuild with keepNames, used by tsx) wrap
// around named functions; the stringified kernel may reference it.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const __name = (f) => f;
${KERNEL_SOURCE}
const ctrl = new Int32Array(workerData);
parentPort.on('message', (buffers) => {
  let gen = Atomics.load(ctrl, ${GEN});
  Atomics.add(ctrl, ${READY}, 1);
  Atomics.notify(ctrl, ${READY});
  for (;;) {
    Atomics.wait(ctrl, ${GEN}, gen);
    gen = Atomics.load(ctrl, ${GEN});
    const kind = ctrl[${KIND}];
    try {
      if (kind !== ${RELEASE}) {
        const chunks = ctrl[${CHUNKS}];
        let c;
        while ((c = Atomics.add(ctrl, ${NEXT}, 1)) < chunks) runKernel(kind, c, buffers);
      }
    } catch (e) {
      Atomics.store(ctrl, ${FAILED}, 1);
      console.error(e);
    }
    Atomics.add(ctrl, ${DONE}, 1);
    Atomics.notify(ctrl, ${DONE});
    if (kind === ${RELEASE}) return;
  }
});
`;

/** Longest wait for a worker to start or finish a call before the pool gives up (ms). */
const PATIENCE = 60_000;

/**
 * A pool of `threads - 1` workers plus the calling thread. Creating one costs tens of
 * milliseconds per worker, so create it once and pass it to every fit; `close()` it at the end.
 *
 * @example
 * const pool = createThreadPool(2);
 * const fit = kmeans(points, 8, { rng: createRng(1), restarts: 3, pool });
 * await pool.close();
 */
export function createThreadPool(threads: number): ThreadPool {
  const workerCount = Math.max(0, Math.floor(threads) - 1);
  const ctrl = new Int32Array(new SharedArrayBuffer(8 * 4));
  const workers = Array.from({ length: workerCount }, () => {
    const w = new Worker(WORKER_SOURCE, { eval: true, workerData: ctrl.buffer });
    // An idle pool must not keep the process alive.
    w.unref();
    return w;
  });
  let bound: Buffers | null = null;
  let closed = false;

  const broadcast = (kind: number, chunks: number) => {
    ctrl[KIND] = kind;
    ctrl[CHUNKS] = chunks;
    Atomics.store(ctrl, NEXT, 0);
    Atomics.store(ctrl, DONE, 0);
    Atomics.add(ctrl, GEN, 1);
    Atomics.notify(ctrl, GEN);
  };
  // Blocks until `slot` reaches the worker count; a worker that died or failed is an error, not
  // a hang.
  const awaitAll = (slot: number, what: string) => {
    const deadline = Date.now() + PATIENCE;
    for (let v = Atomics.load(ctrl, slot); v < workerCount; v = Atomics.load(ctrl, slot)) {
      if (Atomics.wait(ctrl, slot, v, 1000) === 'timed-out' && Date.now() > deadline) {
        throw new Error(`k-means worker thread did not ${what} within ${PATIENCE / 1000} s`);
      }
    }
    if (Atomics.load(ctrl, FAILED) !== 0) throw new Error('a k-means worker thread failed (see stderr)');
  };
  const awaitWorkers = () => awaitAll(DONE, 'finish');
  const release = () => {
    if (bound === null || workerCount === 0) return;
    broadcast(RELEASE, 0);
    awaitWorkers();
    bound = null;
  };

  return {
    threads: workerCount + 1,
    float64: (length) => new Float64Array(new SharedArrayBuffer(8 * Math.max(length, 1)), 0, length),
    int32: (length) => new Int32Array(new SharedArrayBuffer(4 * Math.max(length, 1)), 0, length),
    bind(buffers) {
      if (closed) throw new Error('thread pool is closed');
      if (buffers === bound) return;
      release();
      bound = buffers;
      if (workerCount === 0) return;
      Atomics.store(ctrl, READY, 0);
      for (const w of workers) w.postMessage(buffers);
      awaitAll(READY, 'start');
    },
    run(kind, chunks) {
      if (bound === null) throw new Error('thread pool has no buffers bound');
      if (workerCount === 0 || chunks < 2) {
        for (let c = 0; c < chunks; c++) runKernel(kind, c, bound);
        return;
      }
      broadcast(kind, chunks);
      for (let c = Atomics.add(ctrl, NEXT, 1); c < chunks; c = Atomics.add(ctrl, NEXT, 1)) runKernel(kind, c, bound);
      awaitWorkers();
    },
    async close() {
      if (closed) return;
      release();
      closed = true;
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}

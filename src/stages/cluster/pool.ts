/**
 * Whole k-means restarts on several threads: the calling thread plus worker threads that share
 * the data through SharedArrayBuffers. Each thread claims restart indices from an atomic counter
 * and keeps its own best; the caller then takes the best over threads by inertia, then restart
 * index. A restart's result depends only on its index (engine.ts), so the outcome is identical
 * for any number of threads (tested: 1, 2 and 3).
 *
 * Parallel restarts rather than parallel row loops within a restart: a restart is tens of
 * passes over the rows, each of which would need a hand-off between threads, while whole
 * restarts need one per call. The cost is balance: 3 restarts on 2 threads finish after 2.
 *
 * The call stays synchronous: the calling thread works on restarts itself, then blocks in
 * `Atomics.wait` until every worker has checked in (Node allows that on the main thread). The
 * workers block in `Atomics.wait` between calls and read new buffers with
 * `receiveMessageOnPort`, so they never need an event loop turn — neither theirs nor the
 * caller's. Their code is the engine's source evaluated in the worker (no worker script file),
 * so the pool works the same from `dist/`, under tsx and under vitest.
 *
 * A worker that throws, or a pool silent for longer than its patience, does not fail the run:
 * because the outcome does not depend on the threads, the pool retires its workers and runs the
 * call again on the calling thread, and tells `onWorkerFailure` the worker's own error once.
 */
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { ENGINE_SOURCE, runClaimed, type Job, type Outcome, type Scratch } from './engine.js';

export interface ThreadPool {
  /** Threads working on a call, the caller's included. */
  readonly threads: number;
  /**
   * Runs restarts 0..restarts-1 of `job` on every thread and returns the best (lowest inertia,
   * then lowest restart index). The outcome's arrays are the pool's: copy them before the next
   * call. `job.data` may be any Float64Array; one not backed by a SharedArrayBuffer is copied.
   * `onRestart` hears each restart index the calling thread starts (progress only).
   */
  run(job: Job, restarts: number, onRestart?: (restart: number) => void): Outcome;
  /** Stops the workers. The pool cannot be used afterwards. */
  close(): Promise<void>;
}

export interface ThreadPoolOptions {
  /**
   * Told once, with the worker's error, when a worker thread fails or stops answering. The pool
   * then retires its workers and runs that call, and every later one, on the calling thread
   * alone: the outcome is the same for any number of threads, so the run goes on unchanged,
   * only slower. Without it a failure is silent apart from the slowdown.
   */
  onWorkerFailure?: (message: string) => void;
  /** Longest time without any sign of life from the workers before they are given up (ms). */
  patienceMs?: number;
  /** Makes every worker fail on binding buffers, fail on a job, or stop answering: for tests of the recovery. */
  injectFault?: 'bind' | 'job' | 'stall';
}

// Control block slots.
const GEN = 0;
const KIND = 1;
const NEXT = 2;
const DONE = 3;
const FAILED = 4;
const BEAT = 5;
const FAULT = 6;
// Faults a test can inject (ThreadPoolOptions.injectFault).
const FAULT_CODES = { bind: 1, job: 2, stall: 3 } as const;
// Kinds of call.
const JOB = 1;
const BIND = 2;
const EXIT = 3;
// Parameter slots (Float64Array).
const P_N = 0;
const P_D = 1;
const P_K = 2;
const P_TRIALS = 3;
const P_MAX_ITER = 4;
const P_TOL = 5;
const P_RESTARTS = 6;

/** What a worker works on; re-sent whenever one of the arrays is replaced. */
interface Binding {
  readonly data: Float64Array;
  readonly uniforms: Float64Array;
  readonly params: Float64Array;
  readonly outcome: Outcome;
}

// `__name` is the helper some TypeScript transpilers (esbuild with keepNames, used by tsx and
// vitest) wrap around named functions; the stringified engine may reference it.
const WORKER_SOURCE = `
const { workerData, receiveMessageOnPort } = require('node:worker_threads');
const __name = (f) => f;
${ENGINE_SOURCE}
const ctrl = new Int32Array(workerData.ctrl);
const port = workerData.port;
let bound = null;
let cap = 0;
let labels = null, upper = null, lower = null;
let seen = 0;
const tick = () => { Atomics.add(ctrl, ${BEAT}, 1); };
// Warm up: compile the engine on a small made-up problem while the caller is still busy (the
// cluster stage starts its pool before the sweep and uses it after), so the first real restarts
// do not run in the interpreter. Deterministic, and thrown away.
{
  const n = 3000, d = 8, k = 6;
  const data = new Float64Array(n * d);
  let x = 12345;
  for (let i = 0; i < n * d; i++) { x = (Math.imul(x, 1103515245) + 12345) >>> 0; data[i] = (x / 4294967296) * 10 + ((i / d) % k) * 5; }
  const uniforms = new Float64Array(2 * (1 + (k - 1) * 3));
  for (let i = 0; i < uniforms.length; i++) { x = (Math.imul(x, 1103515245) + 12345) >>> 0; uniforms[i] = x / 4294967296; }
  const job = { data, n, d, k, uniforms, trials: 3, maxIterations: 50, tolerance: 1e-6 };
  const out = { labels: new Int32Array(n), centres: new Float64Array(k * d), stats: new Float64Array(5).fill(-1) };
  for (let rep = 0; rep < 3; rep++) {
    let r = 0;
    out.stats[0] = -1;
    runClaimed(job, () => (r < 2 ? r++ : -1), { labels: new Int32Array(n), upper: new Float64Array(n), lower: new Float64Array(n) }, out, null, () => {});
  }
}
for (;;) {
  Atomics.wait(ctrl, ${GEN}, seen);
  seen = Atomics.load(ctrl, ${GEN});
  const kind = ctrl[${KIND}];
  if (kind === ${EXIT}) break;
  try {
    const fault = ctrl[${FAULT}];
    if (fault === ${FAULT_CODES.stall}) for (;;) Atomics.wait(ctrl, ${FAULT}, fault, 100);
    if ((fault === ${FAULT_CODES.bind} && kind === ${BIND}) || (fault === ${FAULT_CODES.job} && kind === ${JOB})) throw new Error('injected fault');
    if (kind === ${BIND}) {
      // Posted before the call was announced, so it is already queued; spin briefly if not.
      let got = undefined;
      for (let tries = 0; got === undefined && tries < 10000; tries++) {
        for (let m = receiveMessageOnPort(port); m !== undefined; m = receiveMessageOnPort(port)) got = m.message;
        if (got === undefined) Atomics.wait(ctrl, ${BEAT}, Atomics.load(ctrl, ${BEAT}), 1);
      }
      if (got === undefined) throw new Error('k-means worker: no buffers arrived');
      bound = got;
    } else if (kind === ${JOB}) {
      const p = bound.params;
      const n = p[${P_N}], d = p[${P_D}], k = p[${P_K}], restarts = p[${P_RESTARTS}];
      if (n > cap) {
        cap = n;
        labels = new Int32Array(cap);
        upper = new Float64Array(cap);
        lower = new Float64Array(cap);
      }
      const job = { data: bound.data, n, d, k, uniforms: bound.uniforms, trials: p[${P_TRIALS}], maxIterations: p[${P_MAX_ITER}], tolerance: p[${P_TOL}] };
      const scratch = { labels: labels.subarray(0, n), upper: upper.subarray(0, n), lower: lower.subarray(0, n) };
      const claim = () => { const r = Atomics.add(ctrl, ${NEXT}, 1); return r < restarts ? r : -1; };
      runClaimed(job, claim, scratch, bound.outcome, null, tick);
    }
  } catch (e) {
    // The caller reads the error from the port once every worker has checked in.
    try { port.postMessage({ failure: String((e && e.stack) || e) }); } catch {}
    Atomics.store(ctrl, ${FAILED}, 1);
  }
  Atomics.add(ctrl, ${DONE}, 1);
  Atomics.notify(ctrl, ${DONE});
}
port.close();
`;

/** Longest time without any sign of life from the workers before they are given up (ms). */
const PATIENCE = 60_000;

/** Why the workers were given up; the call is then run on the calling thread. */
class WorkersFailed extends Error {}

/**
 * A pool of `threads - 1` workers plus the calling thread. Starting one costs tens of
 * milliseconds per worker, so create it once, pass it to every fit, and `close()` it at the end.
 * Idle workers do not keep the process alive.
 *
 * @example
 * const pool = createThreadPool(2);
 * try {
 *   const fit = kmeans(points, 8, { rng: createRng(1), restarts: 4, pool });
 * } finally {
 *   await pool.close();
 * }
 */
export function createThreadPool(threads: number, options: ThreadPoolOptions = {}): ThreadPool {
  let workerCount = Math.max(0, Math.floor(threads) - 1);
  const patience = options.patienceMs ?? PATIENCE;
  const ctrl = new Int32Array(new SharedArrayBuffer(8 * 4));
  if (options.injectFault) ctrl[FAULT] = FAULT_CODES[options.injectFault];
  const ports: MessagePort[] = [];
  const workers = Array.from({ length: workerCount }, () => {
    const { port1, port2 } = new MessageChannel();
    ports.push(port1);
    // The engine's source is plain JavaScript: the worker needs none of the parent's flags. A
    // parent started with a loader (`--import tsx`, as the tests and benches are) otherwise
    // starts that loader again in every worker — 0.3–0.6 s of a 1M-event run's cluster stage.
    const w = new Worker(WORKER_SOURCE, { eval: true, execArgv: [], workerData: { ctrl: ctrl.buffer, port: port2 }, transferList: [port2] });
    w.unref();
    return w;
  });
  const params = sharedFloat64(8);
  let data = sharedFloat64(0);
  let uniforms = sharedFloat64(0);
  const outcomes: Outcome[] = workers.map(() => ({ labels: sharedInt32(0), centres: sharedFloat64(0), stats: sharedFloat64(5) }));
  let bound: Binding[] = [];
  let closed = false;
  // The calling thread's own working rows, reused across calls.
  let scratchCap = 0;
  let scratch: Scratch = { labels: new Int32Array(0), upper: new Float64Array(0), lower: new Float64Array(0) };

  const announce = (kind: number) => {
    ctrl[KIND] = kind;
    Atomics.store(ctrl, NEXT, 0);
    Atomics.store(ctrl, DONE, 0);
    Atomics.add(ctrl, GEN, 1);
    Atomics.notify(ctrl, GEN);
  };
  // Blocks until every worker has checked in. A worker that failed, or a pool silent for longer
  // than the patience, throws WorkersFailed with the workers' own words.
  const awaitWorkers = () => {
    let beat = Atomics.load(ctrl, BEAT);
    let lastSign = Date.now();
    for (let v = Atomics.load(ctrl, DONE); v < workerCount; v = Atomics.load(ctrl, DONE)) {
      if (Atomics.wait(ctrl, DONE, v, Math.min(1000, patience)) !== 'timed-out') continue;
      const now = Atomics.load(ctrl, BEAT);
      if (now !== beat) {
        beat = now;
        lastSign = Date.now();
      } else if (Date.now() - lastSign > patience) {
        throw new WorkersFailed(`the worker threads showed no progress for ${patience / 1000} s`);
      }
    }
    if (Atomics.load(ctrl, FAILED) !== 0) {
      const said = ports.flatMap((port) => {
        const words: string[] = [];
        for (let m = receiveMessageOnPort(port); m !== undefined; m = receiveMessageOnPort(port)) {
          const failure = (m.message as { failure?: unknown }).failure;
          if (typeof failure === 'string') words.push(failure.split('\n')[0]);
        }
        return words;
      });
      throw new WorkersFailed(said[0] ?? 'a worker thread failed');
    }
  };
  // From now on every call runs on the calling thread; the workers are stopped (a stalled one
  // may never check in, so nobody waits for them).
  const retire = (failure: WorkersFailed) => {
    workerCount = 0;
    bound = [];
    for (const p of ports) p.close();
    void Promise.all(workers.map((w) => w.terminate()));
    options.onWorkerFailure?.(failure.message);
  };
  const bind = (want: Binding[]) => {
    if (want.every((b, t) => sameBinding(b, bound[t]))) return;
    want.forEach((b, t) => ports[t].postMessage(b));
    announce(BIND);
    awaitWorkers();
    bound = want;
  };
  const runAlone = (job: Job, restarts: number, mine: Scratch, own: Outcome, onRestart: ((restart: number) => void) | undefined) => {
    let next = 0;
    runClaimed(job, () => heard(next < restarts ? next++ : -1, onRestart), mine, own, null, () => {});
    return own;
  };

  return {
    get threads() {
      return workerCount + 1;
    },
    run(job, restarts, onRestart) {
      if (closed) throw new Error('thread pool is closed');
      const { n, d, k } = job;
      const own = (): Outcome => ({ labels: new Int32Array(n), centres: new Float64Array(k * d), stats: Float64Array.of(-1, 0, 0, 0, 0) });
      if (n > scratchCap) {
        scratchCap = n;
        scratch = { labels: new Int32Array(n), upper: new Float64Array(n), lower: new Float64Array(n) };
      }
      const mine: Scratch = { labels: scratch.labels.subarray(0, n), upper: scratch.upper.subarray(0, n), lower: scratch.lower.subarray(0, n) };
      if (workerCount === 0 || restarts < 2) return runAlone(job, restarts, mine, own(), onRestart);
      try {
        return runShared(job, restarts, mine, own(), onRestart);
      } catch (error) {
        if (!(error instanceof WorkersFailed)) throw error;
        retire(error);
        // A restart's result depends only on its index: the same outcome, on one thread.
        return runAlone(job, restarts, mine, own(), onRestart);
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      announce(EXIT);
      for (const p of ports) p.close();
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };

  function runShared(job: Job, restarts: number, mine: Scratch, own: Outcome, onRestart: ((restart: number) => void) | undefined): Outcome {
    const { n, d, k } = job;
    // Share the data (copied unless it already is shared), the draws and the result slots.
    let shared = job.data;
    if (!(job.data.buffer instanceof SharedArrayBuffer)) {
      if (data.length < n * d) data = sharedFloat64(n * d);
      data.set(job.data.subarray(0, n * d));
      shared = data;
    }
    if (uniforms.length < job.uniforms.length) uniforms = sharedFloat64(job.uniforms.length);
    uniforms.set(job.uniforms);
    outcomes.forEach((o, t) => {
      if (o.labels.length < n || o.centres.length < k * d) {
        outcomes[t] = { labels: sharedInt32(Math.max(n, o.labels.length)), centres: sharedFloat64(Math.max(k * d, o.centres.length)), stats: o.stats };
      }
      outcomes[t].stats[0] = -1;
    });
    bind(outcomes.map((outcome) => ({ data: shared, uniforms, params, outcome })));

    params[P_N] = n;
    params[P_D] = d;
    params[P_K] = k;
    params[P_TRIALS] = job.trials;
    params[P_MAX_ITER] = job.maxIterations;
    params[P_TOL] = job.tolerance;
    params[P_RESTARTS] = restarts;
    announce(JOB);
    const claim = () => {
      const r = Atomics.add(ctrl, NEXT, 1);
      return heard(r < restarts ? r : -1, onRestart);
    };
    try {
      runClaimed(job, claim, mine, own, null, () => {});
    } finally {
      // Even when this thread failed: the next call must find every worker idle.
      awaitWorkers();
    }

    let best = own;
    for (const o of outcomes) {
      const [r, inertia] = o.stats;
      if (r < 0) continue;
      if (best.stats[0] < 0 || inertia < best.stats[1] || (inertia === best.stats[1] && r < best.stats[0])) best = o;
    }
    return best;
  }
}

/** Passes a claimed restart index through, telling `onRestart` of a real one. */
export function heard(restart: number, onRestart: ((restart: number) => void) | undefined): number {
  if (restart >= 0) onRestart?.(restart);
  return restart;
}

function sameBinding(a: Binding, b: Binding | undefined): boolean {
  return b !== undefined && a.data === b.data && a.uniforms === b.uniforms && a.params === b.params && a.outcome.labels === b.outcome.labels && a.outcome.centres === b.outcome.centres;
}

function sharedFloat64(length: number): Float64Array {
  return new Float64Array(new SharedArrayBuffer(8 * Math.max(length, 1)), 0, length);
}

function sharedInt32(length: number): Int32Array {
  return new Int32Array(new SharedArrayBuffer(4 * Math.max(length, 1)), 0, length);
}

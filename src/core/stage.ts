/**
 * Running a named pipeline stage: log its start, time it, log its one-line summary, and keep the
 * timing for the manifest. Every stage of a run, the report included, goes through one of these.
 *
 * While a stage runs, `runningStage()` names it and its progress reporter to code that cannot be
 * handed them without threading them through every stage's signature — the DuckDB wrapper
 * (core/duckdb.ts) polls the progress of each query a stage runs through it.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { ProgressReporter, RunContext } from './context.js';

export interface StageTiming {
  readonly stage: string;
  readonly ms: number;
}

export type StageRunner = <T>(name: string, run: () => T | Promise<T>, summary: (result: T) => string) => Promise<T>;

export interface TimedStages {
  readonly stage: StageRunner;
  /** Timings of the stages run so far, in order. */
  readonly timings: readonly StageTiming[];
}

/** The stage running (in this async context) and where its progress goes. */
export interface RunningStage {
  readonly name: string;
  readonly progress: ProgressReporter;
}

const running = new AsyncLocalStorage<RunningStage>();

/** The stage whose work is running now, or undefined outside a timed stage. */
export function runningStage(): RunningStage | undefined {
  return running.getStore();
}

/** A stage runner that logs through `ctx.log` and records each stage's time. */
export function timedStages(ctx: RunContext): TimedStages {
  const timings: StageTiming[] = [];
  const stage: StageRunner = async (name, run, summary) => {
    ctx.log.stageStart(name);
    const t0 = performance.now();
    let result;
    try {
      result = await running.run({ name, progress: ctx.progress }, run);
    } finally {
      // Also when the stage fails: the error message must not land after a half status line.
      ctx.progress.clear();
    }
    const ms = performance.now() - t0;
    timings.push({ stage: name, ms: Math.round(ms) });
    ctx.log.stageEnd(name, summary(result), ms);
    return result;
  };
  return { stage, timings };
}

/** Runs a step without timing or logging (tests and callers outside a run). */
export const untimed: StageRunner = async (_name, run) => run();

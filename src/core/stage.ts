/**
 * Running a named pipeline stage: log its start, time it, log its one-line summary, and keep the
 * timing for the manifest. Every stage of a run, the report included, goes through one of these.
 */
import type { RunContext } from './context.js';

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

/** A stage runner that logs through `ctx.log` and records each stage's time. */
export function timedStages(ctx: RunContext): TimedStages {
  const timings: StageTiming[] = [];
  const stage: StageRunner = async (name, run, summary) => {
    ctx.log.stageStart(name);
    const t0 = performance.now();
    const result = await run();
    const ms = performance.now() - t0;
    timings.push({ stage: name, ms: Math.round(ms) });
    ctx.log.stageEnd(name, summary(result), ms);
    return result;
  };
  return { stage, timings };
}

/** Runs a step without timing or logging (tests and callers outside a run). */
export const untimed: StageRunner = async (_name, run) => run();

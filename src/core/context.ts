/**
 * What every stage is handed besides its input: the seed, a place to collect warnings, a
 * logger, and a progress reporter. Passed explicitly (no global logger or seed).
 */
import type { Warning } from './warnings.js';

/**
 * Progress within a stage, e.g. `{ step: 'k = 5', done: 4, total: 9, unit: 'tried' }` or
 * `{ done: 12_345_678, unit: 'rows processed', percent: 45 }`. Every field is optional; the
 * stage defaults to the one running.
 */
export interface ProgressUpdate {
  /** The stage reporting; default: the stage that started last. */
  readonly stage?: string;
  /** The step under way (`k = 5`, `final fit`); a new step is shown at once. */
  readonly step?: string;
  /** How many `unit`s are done (or started, as the unit says). */
  readonly done?: number;
  readonly total?: number;
  /** What `done` counts: `tried`, `rows processed`, `restarts`. */
  readonly unit?: string;
  /** 0–100, when only a share of the current step is known (DuckDB's query progress). */
  readonly percent?: number;
}

/** Where live progress goes: a status line on a terminal (cli/progress.ts). */
export interface ProgressSink {
  update(update: ProgressUpdate): void;
  /** Remove whatever progress is showing (the stage ended or failed). */
  clear(): void;
}

export interface Logger {
  /** A stage started (progress line on stderr). */
  stageStart(stage: string): void;
  /** A stage ended, with a short summary. */
  stageEnd(stage: string, summary: string, ms: number): void;
  /** Free-form progress detail (suppressed by --quiet). */
  info(message: string): void;
  /** Live progress, only when something shows it (stderr a terminal, not --quiet). */
  readonly progress?: ProgressSink;
}

/** What stages call to report progress; a no-op unless the logger shows progress. */
export interface ProgressReporter extends ProgressSink {
  /** False when nothing shows progress: skip work done only to measure it. */
  readonly enabled: boolean;
}

export interface RunContext {
  readonly seed: number;
  readonly log: Logger;
  /** Live progress of the running stage (`ctx.progress.update({ step: 'k = 5', done: 4, total: 9, unit: 'tried' })`). */
  readonly progress: ProgressReporter;
  readonly warnings: Warning[];
  /** Record a warning from the catalog (core/warnings.ts). */
  warn(warning: Warning): void;
}

export const silentLogger: Logger = {
  stageStart: () => {},
  stageEnd: () => {},
  info: () => {},
};

/** Progress nobody sees (tests, `--quiet`, stderr not a terminal). */
export const noProgress: ProgressReporter = { enabled: false, update: () => {}, clear: () => {} };

export function createContext(seed: number, log: Logger = silentLogger): RunContext {
  const warnings: Warning[] = [];
  const sink = log.progress;
  return {
    seed,
    log,
    progress: sink ? { enabled: true, update: (u) => sink.update(u), clear: () => sink.clear() } : noProgress,
    warnings,
    warn(warning) {
      warnings.push(warning);
    },
  };
}

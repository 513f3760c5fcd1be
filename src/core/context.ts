/**
 * What every stage is handed besides its input: the seed, a place to collect warnings, and a
 * logger for progress. Passed explicitly (no global logger or seed).
 */
import type { Warning } from './warnings.js';

export interface Logger {
  /** A stage started (progress line on stderr). */
  stageStart(stage: string): void;
  /** A stage ended, with a short summary. */
  stageEnd(stage: string, summary: string, ms: number): void;
  /** Free-form progress detail (suppressed by --quiet). */
  info(message: string): void;
}

export interface RunContext {
  readonly seed: number;
  readonly log: Logger;
  readonly warnings: Warning[];
  /** Record a warning from the catalog (core/warnings.ts). */
  warn(warning: Warning): void;
}

export const silentLogger: Logger = {
  stageStart: () => {},
  stageEnd: () => {},
  info: () => {},
};

export function createContext(seed: number, log: Logger = silentLogger): RunContext {
  const warnings: Warning[] = [];
  return {
    seed,
    log,
    warnings,
    warn(warning) {
      warnings.push(warning);
    },
  };
}

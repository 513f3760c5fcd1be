/**
 * Progress on stderr (the command's `io.err`): one line per stage with its timing. Plain lines (no cursor tricks), so the
 * output reads the same in a terminal, a CI log or a cron mail. `--quiet` silences it.
 */
import type { Logger } from '../core/context.js';

export function stderrLogger(options: { quiet: boolean; write: (s: string) => void }): Logger {
  const { write } = options;
  if (options.quiet) return { stageStart: () => {}, stageEnd: () => {}, info: () => {} };
  return {
    stageStart: () => {},
    stageEnd: (stage, summary, ms) => write(`segmint ${stage.padEnd(9)} ${formatMs(ms).padStart(7)}  ${summary}\n`),
    info: (message) => write(`segmint ${message}\n`),
  };
}

export function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

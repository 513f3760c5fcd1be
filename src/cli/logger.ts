/**
 * Progress on stderr (the command's `io.err`): one line per stage with its timing. Plain lines (no cursor tricks), so the
 * output reads the same in a terminal, a CI log or a cron mail. `--quiet` silences it.
 *
 * Given a status line (cli/progress.ts: only when stderr is a terminal), the logger also shows
 * live progress within a stage on it, and erases it before writing any of its own lines.
 */
import type { Logger } from '../core/context.js';
import { statusSink, type StatusLine } from './progress.js';

export function stderrLogger(options: { quiet: boolean; write: (s: string) => void; status?: StatusLine | null }): Logger {
  const { write } = options;
  if (options.quiet) return { stageStart: () => {}, stageEnd: () => {}, info: () => {} };
  const status = options.status ?? null;
  if (!status) {
    return {
      stageStart: () => {},
      stageEnd: (stage, summary, ms) => write(`segmint ${stage.padEnd(9)} ${formatMs(ms).padStart(7)}  ${summary}\n`),
      info: (message) => write(`segmint ${message}\n`),
    };
  }
  let current = '';
  return {
    stageStart: (stage) => {
      current = stage;
    },
    stageEnd: (stage, summary, ms) => {
      status.clear();
      write(`segmint ${stage.padEnd(9)} ${formatMs(ms).padStart(7)}  ${summary}\n`);
    },
    info: (message) => {
      status.clear();
      write(`segmint ${message}\n`);
    },
    progress: statusSink(status, () => current),
  };
}

export function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

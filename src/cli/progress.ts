/**
 * Live progress on a terminal: one status line on stderr, rewritten in place (`\r`, then
 * erase-line `ESC[2K`), e.g.
 *
 *   segmint ingest    12,345,678 rows processed (45%)
 *   segmint cluster   k = 5 (4 of 9 tried)
 *
 * Shown only when stderr is a terminal (`Io.errTerminal`), without `--quiet`, and not under
 * `TERM=dumb` (a terminal that may not know erase-line). `NO_COLOR` does not turn it off: the
 * line has no colour. Anywhere else nothing of it is written — a CI log, a cron mail or a pipe
 * gets the plain stage lines of cli/logger.ts and no `\r`.
 *
 * At most one rewrite per THROTTLE_MS (none when the text is unchanged), except that a new step (another stage, another k) is
 * shown at once: the cluster stage runs synchronously, so a step held back would stay hidden
 * for as long as that step takes. The line is erased before any log line is written and when a
 * stage ends or fails, and cut to the terminal's width (a wrapped line could not be erased).
 */
import type { ProgressSink, ProgressUpdate } from '../core/context.js';
import type { Io } from './io.js';

/** Shortest time between two rewrites of the same step (at most 10 a second). */
export const THROTTLE_MS = 100;

/** `\r` and erase the whole line: the cursor ends at the start of an empty line. */
export const CLEAR_LINE = '\r\x1b[2K';

export interface StatusTerminal {
  write(s: string): void;
  /** Current width in columns. */
  columns(): number;
}

export interface StatusLine {
  /** Show `text`, unless the last rewrite of the same `step` was under THROTTLE_MS ago. */
  show(text: string, step?: string): void;
  /** Erase the line if anything is showing, and drop a held-back text. */
  clear(): void;
}

/**
 * A status line on `terminal`. A text held back by the throttle is written when the interval has
 * passed (a timer that never keeps the process alive), unless something newer or `clear` comes first.
 *
 * @example
 * const line = statusLine({ write: (s) => process.stderr.write(s), columns: () => process.stderr.columns });
 * line.show('segmint ingest    1,024 rows processed (3%)');
 * line.clear();
 */
export function statusLine(terminal: StatusTerminal, options: { now?: () => number } = {}): StatusLine {
  const now = options.now ?? (() => performance.now());
  let showing: string | null = null;
  let lastAt = -Infinity;
  let lastStep: string | undefined;
  let held: string | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const draw = (text: string) => {
    const width = Math.max(10, terminal.columns() - 1);
    const line = text.length > width ? text.slice(0, width - 1) + '…' : text;
    if (line === showing) return;
    terminal.write(CLEAR_LINE + line);
    showing = line;
    lastAt = now();
  };
  const cancel = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    held = null;
  };
  return {
    show(text, step = '') {
      const wait = lastAt + THROTTLE_MS - now();
      if (step !== lastStep || wait <= 0) {
        cancel();
        lastStep = step;
        draw(text);
        return;
      }
      held = text;
      if (timer === undefined) {
        timer = setTimeout(() => {
          timer = undefined;
          if (held !== null) draw(held);
          held = null;
        }, wait);
        timer.unref?.();
      }
    },
    clear() {
      cancel();
      lastStep = undefined;
      if (showing !== null) terminal.write(CLEAR_LINE);
      showing = null;
    },
  };
}

/**
 * The status line for a command's stderr, or null where progress is not shown: `--quiet`,
 * stderr not a terminal, or `TERM=dumb`.
 */
export function stderrStatusLine(io: Io, options: { quiet: boolean; env?: NodeJS.ProcessEnv }): StatusLine | null {
  const terminal = io.errTerminal;
  if (options.quiet || !terminal || (options.env ?? process.env).TERM === 'dumb') return null;
  return statusLine({ write: io.err, columns: () => terminal.columns });
}

/** The text of one update, aligned with the logger's stage lines. */
export function formatProgress(stage: string, u: ProgressUpdate): string {
  const n = (v: number) => Math.round(v).toLocaleString('en-US');
  const count = u.done === undefined ? '' : `${u.total === undefined ? n(u.done) : `${n(u.done)} of ${n(u.total)}`}${u.unit ? ` ${u.unit}` : ''}`;
  const percent = u.percent === undefined ? '' : `${Math.min(100, Math.max(0, Math.floor(u.percent)))}%`;
  const detail = [count, percent].filter(Boolean);
  let body: string;
  if (u.step) body = detail.length ? `${u.step} (${detail.join(', ')})` : u.step;
  else body = count ? `${count}${percent ? ` (${percent})` : ''}` : percent;
  return `segmint ${stage.padEnd(9)} ${body}`;
}

/** A progress sink drawing on `line`; `stage()` names the stage an update without one belongs to. */
export function statusSink(line: StatusLine, stage: () => string): ProgressSink {
  return {
    update(u) {
      const name = u.stage ?? stage();
      line.show(formatProgress(name, u), `${name}\u0000${u.step ?? ''}`);
    },
    clear: () => line.clear(),
  };
}

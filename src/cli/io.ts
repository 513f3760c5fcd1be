/**
 * Where a command's output goes. Created once in `main` and passed to every command, so nothing
 * in the CLI writes to `process.stdout` / `process.stderr` itself and tests capture output by
 * passing their own Io instead of patching the process.
 */
export interface Io {
  /** Results and paths (stdout). */
  out(s: string): void;
  /** Progress, warnings and errors (stderr). */
  err(s: string): void;
  /** Terminal width for help text, when stdout is a terminal. */
  readonly columns?: number;
  /** Set only when stderr is a terminal: live progress may redraw a status line there (cli/progress.ts). */
  readonly errTerminal?: { readonly columns: number };
}

/** The process's own streams. */
export function processIo(): Io {
  return {
    out: (s) => process.stdout.write(s),
    err: (s) => process.stderr.write(s),
    columns: process.stdout.isTTY ? process.stdout.columns : undefined,
    errTerminal: process.stderr.isTTY ? { get columns() { return process.stderr.columns || 80; } } : undefined,
  };
}

/**
 * An Io that keeps what is written, for tests and for callers embedding the CLI.
 *
 * @example
 * const io = captureIo();
 * await main(['runs', 'list'], io);
 * io.stdout(); // the table
 */
export function captureIo(): Io & { stdout(): string; stderr(): string } {
  let out = '';
  let err = '';
  return {
    out: (s) => void (out += s),
    err: (s) => void (err += s),
    stdout: () => out,
    stderr: () => err,
  };
}

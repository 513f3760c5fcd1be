/**
 * The one error type segmint throws for problems a user can fix (bad input, bad config).
 * Each carries a stable code, the stage it came from, the offending value where there is one,
 * and a hint. The CLI prints `error: <message> (hint: <hint>)` on one line and exits non-zero;
 * anything that is not a SegmintError is a bug and keeps its stack trace.
 *
 * Build these through the catalog in `messages.ts`, never inline, so tests can compare against
 * the catalog function instead of a copied string.
 */
export type Stage =
  | 'config'
  | 'ingest'
  | 'features'
  | 'transform'
  | 'reduce'
  | 'cluster'
  | 'profile'
  | 'rules'
  | 'report'
  | 'output'
  | 'cli';

export interface ErrorDetails {
  readonly code: string;
  readonly stage: Stage;
  readonly message: string;
  readonly hint: string;
  /** The file, column, key or value the problem is about, when there is one. */
  readonly subject?: string;
}

export class SegmintError extends Error {
  readonly code: string;
  readonly stage: Stage;
  readonly hint: string;
  readonly subject?: string;

  constructor(details: ErrorDetails) {
    super(details.message);
    this.name = 'SegmintError';
    this.code = details.code;
    this.stage = details.stage;
    this.hint = details.hint;
    this.subject = details.subject;
  }

  /** The single line the CLI prints. Never contains a newline. */
  oneLine(): string {
    return `error: ${this.message} (hint: ${this.hint})`.replace(/\s*\n\s*/g, ' ');
  }
}

export function isSegmintError(e: unknown): e is SegmintError {
  return e instanceof SegmintError;
}

/** Exhaustiveness guard for `switch` statements over unions. */
export function assertUnreachable(x: never): never {
  throw new Error(`unreachable: ${JSON.stringify(x)}`);
}

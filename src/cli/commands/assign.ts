/** `segmint assign --model RUN --events PATH…`: score new users with a run's fitted model. */
import { resolve } from 'node:path';
import { scoreUsers } from '../../assign/index.js';
import { createContext } from '../../core/context.js';
import { NO_EVENTS_GROUP } from '../../core/groups.js';
import { errors } from '../../core/messages.js';
import { asOfIso, normalizeAsOf } from '../../ruleset/time.js';
import { assignmentsCsv, type Assignment } from '../../run/assignments.js';
import { loadRunDocuments, resolveRunDir } from '../../run/load.js';
import { replaceFile } from '../../run/output.js';
import { shownPath } from '../../run/paths.js';
import type { Io } from '../io.js';
import { stderrLogger } from '../logger.js';
import { textTable } from '../table.js';

export interface AssignArgs {
  model: string;
  events?: string[];
  /** `--as-of`: an ISO date or time, or `latest`; default: the run's own window end. */
  asOf?: string | readonly string[];
  users?: string;
  accounts?: string;
  /** CSV to write (default: assignments-<run-id>.csv in the current directory). */
  out?: string;
  /** Reports folder a bare run id is looked up in. */
  dir?: string;
  quiet?: boolean;
}

export async function assignCommand(args: AssignArgs, io: Io): Promise<Assignment[]> {
  const out = io.out;
  const runDir = resolveRunDir(args.model, args.dir ?? 'reports');
  const docs = loadRunDocuments(runDir);
  const ctx = createContext(docs.manifest.seed, stderrLogger({ quiet: Boolean(args.quiet), write: io.err }));
  if (args.asOf !== undefined && typeof args.asOf !== 'string') throw errors.badFlagValue('as-of', args.asOf, "one ISO date or time, or latest");
  const asOf = args.asOf === undefined || args.asOf === 'latest' ? args.asOf : asOfIso(normalizeAsOf(args.asOf));
  const assignments = await scoreUsers(docs, { events: args.events ?? [], users: args.users, accounts: args.accounts, asOf }, ctx);
  for (const w of ctx.warnings) io.err(`warning: ${w.message}\n`);

  const file = resolve(args.out ?? `assignments-${docs.manifest.runId}.csv`);
  // Write beside, then rename: a reader never sees a half-written file.
  replaceFile(file, assignmentsCsv(assignments));

  const counts = new Map<number, number>();
  for (const a of assignments) counts.set(a.segment, (counts.get(a.segment) ?? 0) + 1);
  // Users of the users table with no events in the window are written as -1: listed too, so the
  // shares (over every row written) add up to 100%.
  const groups = [...docs.segments.segments.map((s) => ({ id: s.id, name: s.name })), ...(counts.has(NO_EVENTS_GROUP.segment) ? [{ id: NO_EVENTS_GROUP.segment, name: NO_EVENTS_GROUP.name }] : [])];
  const rows = groups.map(({ id, name }) => {
    const n = counts.get(id) ?? 0;
    return [String(id), name, n.toLocaleString('en-US'), `${assignments.length ? ((100 * n) / assignments.length).toFixed(1) : '0.0'}%`];
  });
  out(`${shownPath(file)}\n\n`);
  out(textTable(['id', 'segment', 'users', 'share'], rows, [true, false, true, true]));
  return assignments;
}

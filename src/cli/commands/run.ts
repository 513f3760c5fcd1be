/** `segmint run`: resolve the config from a file and/or flags, run the pipeline, print the summary. */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfigFile, resolveConfig, windowDaysFlag, type ConfigOverrides } from '../../config/resolve.js';
import type { ResolvedConfig } from '../../config/types.js';
import { integerFlag } from '../../config/validate.js';
import { createContext } from '../../core/context.js';
import { errors } from '../../core/messages.js';
import { meanF1, runPipeline } from '../../pipeline.js';
import { probeOutputDir } from '../../run/output.js';
import { shownPath } from '../../run/paths.js';
import { AUTO_PREVIOUS, type PreviousChoice } from '../../run/previous.js';
import type { RunDocuments } from '../../run/types.js';
import { asOfIso, normalizeAsOf } from '../../ruleset/time.js';
import type { Io } from '../io.js';
import { stderrLogger } from '../logger.js';
import { stderrStatusLine } from '../progress.js';
import { clip, textTable } from '../table.js';
import { windowNotice } from '../../stages/report/model.js';
import { assertRulesetReadable, reportPromoted } from './rules-match.js';

export interface RunArgs {
  config?: string;
  events?: string[];
  users?: string;
  accounts?: string;
  out?: string;
  /** As typed (`--k 4`); checked to be an integer >= 2 before anything runs. Twice given ⇒ a list, rejected. */
  k?: string | number | readonly string[];
  kRange?: string;
  /** As typed; checked to be an integer in 0 .. 2^32 - 1 (the config's range). */
  seed?: string | number | readonly string[];
  preset?: ConfigOverrides['preset'];
  /** `--outcome NAME` (repeatable): outcome columns of the users table. */
  outcome?: readonly string[];
  /** `--as-of`: an ISO date or time, the window's end (replaces window.end). */
  asOf?: string | readonly string[];
  /** `--previous RUN`, or false for `--no-previous`; undefined: the job's latest run. */
  previous?: string | false | readonly string[];
  /** `--warehouse URL` and its tables (a warehouse run). */
  warehouse?: string;
  eventsTable?: string;
  usersTable?: string;
  accountsTable?: string;
  writeAssignments?: string;
  /** As typed: whole days or `all`. */
  windowDays?: string | readonly string[];
  /** A ruleset folder: the report lists which segments match a promoted segment. */
  ruleset?: string;
  quiet?: boolean;
}

/** The checkout's root (for the default job when run from elsewhere). */
const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

export function defaultConfigPath(): string {
  const local = resolve('pipeline/default.yaml');
  return existsSync(local) ? local : join(PACKAGE_ROOT, 'pipeline/default.yaml');
}

export function parseKRange(value: string): [number, number] {
  const m = /^\s*(\d+)\s*(?:\.\.|-|:)\s*(\d+)\s*$/.exec(value);
  if (!m) throw errors.badKRange(value);
  const a = Number(m[1]);
  const b = Number(m[2]);
  if (a < 2 || b < a) throw errors.badKRange(value);
  return [a, b];
}

/** Config from --config and/or flags (with --as-of as the window's end); no arguments at all ⇒ the default job. */
export function configFromArgs(args: RunArgs): ResolvedConfig {
  const config = configFromFlags(args);
  if (args.asOf === undefined) return config;
  if (typeof args.asOf !== 'string') throw errors.badFlagValue('as-of', args.asOf, 'one ISO date or time');
  return { ...config, window: { ...config.window, end: asOfIso(normalizeAsOf(args.asOf)) } };
}

/** `--previous RUN` / `--no-previous` / neither, as a choice. */
export function previousChoice(args: RunArgs): PreviousChoice {
  if (args.previous === undefined) return AUTO_PREVIOUS;
  if (args.previous === false) return { kind: 'none' };
  if (typeof args.previous !== 'string' || args.previous === '') throw errors.badFlagValue('previous', args.previous, 'one run folder or run id');
  return { kind: 'run', run: args.previous };
}

function configFromFlags(args: RunArgs): ResolvedConfig {
  const overrides: ConfigOverrides = {
    events: args.events,
    users: args.users,
    accounts: args.accounts,
    out: args.out,
    k: integerFlag('k', args.k, { min: 2 }),
    kRange: args.kRange ? parseKRange(args.kRange) : undefined,
    seed: integerFlag('seed', args.seed, { min: 0, max: 2 ** 32 - 1 }),
    preset: args.preset,
    outcomes: args.outcome,
    warehouse: { url: args.warehouse, eventsTable: args.eventsTable, usersTable: args.usersTable, accountsTable: args.accountsTable, writeAssignments: args.writeAssignments },
    windowDays: windowDaysFlag(args.windowDays),
  };
  if (args.config) return loadConfigFile(args.config, overrides);
  if (args.events?.length || args.users || args.warehouse) {
    // No config: everything auto-detected; a users table alone is an attribute-only run.
    return resolveConfig({}, { file: 'command line', baseDir: process.cwd(), source: null }, overrides);
  }
  if (args.accounts) throw errors.noEventsGiven();
  return loadConfigFile(defaultConfigPath(), overrides);
}

export async function runCommand(args: RunArgs, io: Io): Promise<RunDocuments> {
  const config = configFromArgs(args);
  if (args.ruleset !== undefined) assertRulesetReadable(args.ruleset);
  // Before the long work: a run that cannot be written should not be computed first.
  await probeOutputDir(config.output.dir);
  const quiet = Boolean(args.quiet);
  // Live progress (rows processed, k tried) only when stderr is a terminal: cli/progress.ts.
  const ctx = createContext(config.seed, stderrLogger({ quiet, write: io.err, status: stderrStatusLine(io, { quiet }) }));
  const outcome = await runPipeline(config, ctx, undefined, { previous: previousChoice(args) });
  io.out(summaryTable(outcome.documents));
  const since = sinceLine(outcome.documents);
  if (since) io.out(`\n${since}\n`);
  if (args.ruleset !== undefined) await reportPromoted(outcome.runDir, outcome.documents, args.ruleset, ctx, io);
  for (const w of outcome.documents.manifest.warnings) io.err(`warning: ${w.message}\n`);
  // Relative when the run is under the current directory, else absolute (not ../../tmp/…).
  const shown = (file: string) => shownPath(join(outcome.runDir, file));
  io.out(`\nreport: ${shown('report.html')}\n        ${shown('report.md')}\n`);
  return outcome.documents;
}

/** One line on the run against the previous run of its job, or null when there was none. */
export function sinceLine(docs: RunDocuments): string | null {
  const l = docs.segments.lineage;
  if (!l?.previousRun) return null;
  const statuses = new Map<string, number>();
  for (const s of docs.segments.segments) if (s.lineage) statuses.set(s.lineage.status, (statuses.get(s.lineage.status) ?? 0) + 1);
  for (const e of l.ended) statuses.set(e.status === 'dissolved' ? 'dissolved' : `${e.status} (ended)`, (statuses.get(e.status === 'dissolved' ? 'dissolved' : `${e.status} (ended)`) ?? 0) + 1);
  const counts = [...statuses].map(([s, n]) => `${n} ${s}`).join(', ');
  const kept = l.sharedUsers === 0 ? 'no users in common' : `${((100 * l.keptKey) / l.sharedUsers).toFixed(1)}% of ${l.sharedUsers.toLocaleString('en-US')} returning users kept their key`;
  return `since ${l.previousRun} (job ${l.previousJob ?? l.job}): ${counts}; ${kept}`;
}

/** The segment table printed at the end of a run. */
export function summaryTable(docs: RunDocuments): string {
  const { segments, rules } = docs;
  const rows = segments.segments.map((s) => {
    const rule = rules.rules.find((r) => r.segment === s.id);
    return [
      String(s.id),
      clip(s.name, 32),
      s.size.toLocaleString('en-US'),
      `${(100 * s.share).toFixed(1)}%`,
      clip(s.traits.slice(0, 3).map((t) => t.phrase).join('; '), 80),
      rule ? rule.metrics.f1.toFixed(2) : '-',
      s.key ?? '-',
      s.lineage?.status ?? '-',
    ];
  });
  const dropped = windowNotice(docs);
  const warn = dropped ? `warning: ${dropped.headline}. ${dropped.detail} ${dropped.fix.replace(/`/g, '')}\n\n` : '';
  const head = `${warn}${segments.users.toLocaleString('en-US')} users, k = ${segments.k} (${segments.selection.method}): ${segments.selection.reason}\n\n`;
  return head + textTable(['id', 'segment', 'users', 'share', 'top traits', 'rule F1', 'key', 'since previous'], rows, [true, false, true, true, false, true, false, false]) + `\nmean rule F1 ${meanF1(rules).toFixed(2)}\n`;
}

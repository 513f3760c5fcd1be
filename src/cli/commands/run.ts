/** `segmint run`: resolve the config from a file and/or flags, run the pipeline, print the summary. */
import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfigFile, resolveConfig, windowDaysFlag, type ConfigOverrides } from '../../config/resolve.js';
import type { ResolvedConfig } from '../../config/types.js';
import { integerFlag } from '../../config/validate.js';
import { createContext } from '../../core/context.js';
import { errors } from '../../core/messages.js';
import { meanF1, runPipeline } from '../../pipeline.js';
import { probeOutputDir } from '../../run/output.js';
import type { RunDocuments } from '../../run/types.js';
import type { Io } from '../io.js';
import { stderrLogger } from '../logger.js';
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

/** Config from --config and/or flags; no arguments at all ⇒ the default job. */
export function configFromArgs(args: RunArgs): ResolvedConfig {
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
  const ctx = createContext(config.seed, stderrLogger({ quiet: Boolean(args.quiet), write: io.err }));
  const outcome = await runPipeline(config, ctx);
  io.out(summaryTable(outcome.documents));
  if (args.ruleset !== undefined) await reportPromoted(outcome.runDir, outcome.documents, args.ruleset, ctx, io);
  for (const w of outcome.documents.manifest.warnings) io.err(`warning: ${w.message}\n`);
  const rel = relative(process.cwd(), outcome.runDir) || '.';
  io.out(`\nreport: ${join(rel, 'report.html')}\n        ${join(rel, 'report.md')}\n`);
  return outcome.documents;
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
    ];
  });
  const dropped = windowNotice(docs);
  const warn = dropped ? `warning: ${dropped.headline}. ${dropped.detail} ${dropped.fix.replace(/`/g, '')}\n\n` : '';
  const head = `${warn}${segments.users.toLocaleString('en-US')} users, k = ${segments.k} (${segments.selection.method}): ${segments.selection.reason}\n\n`;
  return head + textTable(['id', 'segment', 'users', 'share', 'top traits', 'rule F1'], rows, [true, false, true, true, false, true]) + `\nmean rule F1 ${meanF1(rules).toFixed(2)}\n`;
}

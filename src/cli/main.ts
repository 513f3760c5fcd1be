/**
 * The command line: a thin layer over the library. `main(argv, io)` takes its arguments and its
 * output streams as parameters and returns the exit code, so tests call it directly with a
 * capturing Io.
 *
 * Results and paths go to `io.out`; progress, warnings and errors to `io.err`. A SegmintError
 * prints one line with a hint and exits 1; a usage error exits 2; anything else is a bug and
 * keeps its stack trace.
 */
import yargs from 'yargs';
import { isSegmintError } from '../core/errors.js';
import { runCommand, type RunArgs } from './commands/run.js';
import { validateCommand } from './commands/validate.js';
import { initCommand } from './commands/init.js';
import { assignCommand } from './commands/assign.js';
import { reportCommand, rulesList, runsDiff, runsHistory, runsList, runsShow } from './commands/inspect.js';
import { promoteCommand } from './commands/rules-promote.js';
import { applyCommand } from './commands/rules-apply.js';
import { exportCommand } from './commands/rules-export.js';
import { checkCommand } from './commands/rules-check.js';
import { rulesetList } from './commands/rules-list.js';
import { diffCommand } from './commands/rules-diff.js';
import { reportWithRuleset } from './commands/rules-match.js';
import { segmentsExportCommand } from './commands/segments.js';
import { toolVersions } from '../run/versions.js';
import { usageProblem } from './suggest.js';
import { repeatedFlag } from './once.js';
import { processIo, type Io } from './io.js';
import {
  applyOptions,
  assignOptions,
  checkOptions,
  commandTable,
  diffPositionals,
  historyPositionals,
  dirOption,
  exportOptions,
  initOptions,
  initPositionals,
  listOptions,
  optionalRunPositional,
  promoteOptions,
  promotePositionals,
  rulesDiffOptions,
  rulesDiffPositionals,
  rulesetMatchOption,
  runOptions,
  runsListOptions,
  segmentsExportOptions,
  segmentsExportPositionals,
} from './options.js';

export type { Io } from './io.js';

export async function main(argv: readonly string[], io: Io = processIo()): Promise<number> {
  // yargs' own --version would print through console.log and then still demand a command.
  if (argv.length === 1 && argv[0] === '--version') {
    io.out(`${toolVersions().segmint}\n`);
    return 0;
  }
  let exitCode = 0;
  const guard = async (fn: () => unknown): Promise<void> => {
    try {
      await fn();
    } catch (e) {
      if (!isSegmintError(e)) throw e;
      io.err(`${e.oneLine()}\n`);
      exitCode = 1;
    }
  };
  const reportsDir = (a: { dir?: string }) => a.dir ?? 'reports';
  // A command that reads one run reads the newest when none is named.
  const runOrLatest = (a: { run?: string }) => a.run ?? 'latest';

  const parser = yargs([...argv])
    .scriptName('segmint')
    .usage('segmint — discover behavioural user segments and turn them into rules\n\nUsage: $0 <command> [options]\n       $0 --version')
    .command('run', 'run a discovery job', (y) => y.options({ ...runOptions, ...rulesetMatchOption }).strict(), (a) => guard(() => runCommand({ ...toRunArgs(a), ruleset: a.ruleset }, io)))
    .command('validate', 'check the config and inputs without clustering', (y) => y.options(runOptions).strict(), (a) => guard(() => validateCommand(toRunArgs(a), io)))
    .command(
      'init <paths..>',
      'sniff input files and write a commented pipeline YAML that runs as it is',
      (y) => y.positional('paths', initPositionals.paths).options(initOptions),
      (a) => guard(() => initCommand({ paths: a.paths, out: a.out, force: a.force, userId: a['user-id'], event: a.event, timestamp: a.timestamp }, io)),
    )
    .command(
      'report [run]',
      "re-render a run's report.md and report.html (default: the latest run)",
      (y) => y.positional('run', optionalRunPositional).options({ ...dirOption, ...rulesetMatchOption }),
      (a) => guard(() => (a.ruleset === undefined ? reportCommand(runOrLatest(a), reportsDir(a), io) : reportWithRuleset(runOrLatest(a), reportsDir(a), a.ruleset, io))),
    )
    .command('runs', 'run history and drift between runs', (y) =>
      y
        .options(dirOption)
        .command('list', 'list finished runs (of one job with --job)', (yy) => yy.options(runsListOptions), (a) => guard(() => runsList(reportsDir(a), io, a.job)))
        .command('show [run]', "a run's segment table (default: the latest run)", (yy) => yy.positional('run', optionalRunPositional), (a) => guard(() => runsShow(runOrLatest(a), reportsDir(a), io)))
        .command(
          'diff <runA> <runB>',
          'match the later run\'s segments to the earlier one\'s, one-to-one: stable, grown, shrunk, split, merged, new, dissolved',
          (yy) => yy.positional('runA', diffPositionals.runA).positional('runB', diffPositionals.runB),
          (a) => guard(() => runsDiff(a.runA, a.runB, reportsDir(a), io)),
        )
        .command(
          'history <job>',
          "each segment key's size over the runs of a job",
          (yy) => yy.positional('job', historyPositionals.job),
          (a) => guard(() => runsHistory(a.job, reportsDir(a), io)),
        )
        .demandCommand(1, 'name a runs subcommand: list, show RUN, diff RUN_A RUN_B or history JOB'),
    )
    .command('rules', 'suggested rules of a run', (y) =>
      y
        .options(dirOption)
        .command(
          'list [run]',
          "a run's suggested rules with their metrics (default: the latest run), or the promoted segments of --ruleset",
          (yy) => yy.positional('run', optionalRunPositional).options(listOptions),
          (a) => guard(() => (a.ruleset !== undefined ? rulesetList(a.ruleset, io) : rulesList(runOrLatest(a), reportsDir(a), io))),
        )
        .command(
          'promote <run> <segments..>',
          "promote a run's rules into a ruleset folder (one reviewable file per segment)",
          (yy) => yy.positional('run', promotePositionals.run).positional('segments', promotePositionals.segments).options(promoteOptions).strict(),
          (a) =>
            guard(() =>
              promoteCommand({ run: a.run, segments: a.segments, ruleset: a.ruleset, owner: a.owner, name: a.name, note: a.note, dir: a.dir, quiet: a.quiet }, io),
            ),
        )
        .command(
          'apply',
          'compute the promoted segments on fresh data: memberships.csv, and changes.csv against the previous one',
          (yy) => yy.options(applyOptions).strict(),
          (a) =>
            guard(() =>
              applyCommand({ ruleset: a.ruleset, events: a.events, users: a.users, accounts: a.accounts, config: a.config, asOf: a['as-of'], out: a.out, quiet: a.quiet }, io),
            ),
        )
        .command(
          'export',
          'write the promoted segments as SQL per dialect, dbt models, flagd targeting or PostHog cohorts',
          (yy) => yy.options(exportOptions).strict(),
          (a) =>
            guard(() =>
              exportCommand(
                { ruleset: a.ruleset, to: a.to, out: a.out, dialect: a.dialect, asOf: a['as-of'], eventsTable: a['events-table'], usersTable: a['users-table'], accountsTable: a['accounts-table'], memberships: a.memberships },
                io,
              ),
            ),
        )
        .command(
          'check',
          'measure each promoted rule against a newer run; exits non-zero when one has decayed',
          (yy) => yy.options(checkOptions).strict(),
          (a) =>
            guard(() =>
              checkCommand(
                {
                  ruleset: a.ruleset,
                  run: a.run,
                  dir: a.dir,
                  maxPrecisionDrop: a['max-precision-drop'],
                  maxRecallDrop: a['max-recall-drop'],
                  maxPsi: a['max-psi'],
                  maxSizeChange: a['max-size-change'],
                  quiet: a.quiet,
                },
                io,
              ),
            ),
        )
        .command(
          'diff <a> <b>',
          'what changed between two ruleset folders, or two versions (KEY@1 KEY@2) of a segment in --ruleset; with inputs, who is selected by A only, B only, both',
          (yy) => yy.positional('a', rulesDiffPositionals.a).positional('b', rulesDiffPositionals.b).options(rulesDiffOptions).strict(),
          (a) =>
            guard(() => diffCommand({ a: a.a, b: a.b, ruleset: a.ruleset, events: a.events, users: a.users, accounts: a.accounts, asOf: a['as-of'], quiet: a.quiet }, io)),
        )
        .demandCommand(1, 'name a rules subcommand: list, promote, apply, check, export, diff'),
    )
    .command('segments', "a run's segments", (y) =>
      y
        .options(dirOption)
        .command(
          'export <run> <segment>',
          'the members of one segment as CSV: user_id,segment,segment_name,confidence',
          (yy) => yy.positional('run', segmentsExportPositionals.run).positional('segment', segmentsExportPositionals.segment).options(segmentsExportOptions).strict(),
          (a) => guard(() => segmentsExportCommand({ run: a.run, segment: a.segment, out: a.out, dir: a.dir }, io)),
        )
        .demandCommand(1, 'name a segments subcommand: export RUN SEGMENT'),
    )
    .command(
      'assign',
      "score new users with a run's fitted model",
      (y) => y.options(assignOptions).strict(),
      (a) => guard(() => assignCommand({ model: a.model, events: a.events, users: a.users, accounts: a.accounts, asOf: a['as-of'], out: a.out, dir: a.dir, quiet: a.quiet }, io)),
    )
    .demandCommand(1, 'name a command: run, validate, init, report, runs, rules, segments or assign')
    // Before any handler: a path or name flag given twice would reach the command as a list.
    .middleware((a) => {
      const repeated = repeatedFlag(a, commandTable);
      if (repeated) throw repeated;
    })
    .strict()
    .help()
    .version(false)
    .wrap(Math.min(100, io.columns ?? 100))
    .exitProcess(false)
    .fail((msg, err) => {
      // Throwing is the only way to stop yargs from running the command's handler anyway.
      // yargs' own validation errors (a flag without its value) are usage errors too.
      if (err && err.name !== 'YError') throw err;
      // A mistyped command or flag is named with the closest real one, whatever yargs noticed first.
      throw usageProblem(argv, commandTable, msg ?? '') ?? new UsageError(msg ?? err?.message ?? 'invalid command line');
    });

  try {
    await parser.parseAsync();
  } catch (e) {
    if (isSegmintError(e)) {
      io.err(`${e.oneLine()}\n`);
      return 2;
    }
    if (e instanceof UsageError) {
      io.err(`error: ${e.message} (hint: segmint --help lists the commands and options)\n`);
      return 2;
    }
    io.err(`${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
    return 2;
  }
  return exitCode;
}

class UsageError extends Error {}

/** yargs' parsed `run` / `validate` options as the command's arguments (k and seed still as typed). */
function toRunArgs(a: Record<string, unknown>): RunArgs {
  return {
    config: a.config as string | undefined,
    events: a.events as string[] | undefined,
    users: a.users as string | undefined,
    accounts: a.accounts as string | undefined,
    out: a.out as string | undefined,
    k: a.k as string | string[] | undefined,
    kRange: a['k-range'] as string | undefined,
    seed: a.seed as string | string[] | undefined,
    windowDays: a['window-days'] as string | string[] | undefined,
    preset: a.preset as RunArgs['preset'],
    outcome: a.outcome as string[] | undefined,
    warehouse: a.warehouse as string | undefined,
    eventsTable: a['events-table'] as string | undefined,
    usersTable: a['users-table'] as string | undefined,
    accountsTable: a['accounts-table'] as string | undefined,
    writeAssignments: a['write-assignments'] as string | undefined,
    asOf: a['as-of'] as string | string[] | undefined,
    previous: a.previous as string | string[] | false | undefined,
    quiet: a.quiet as boolean | undefined,
  };
}

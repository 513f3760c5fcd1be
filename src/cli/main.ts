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
import { reportCommand, rulesList, runsDiff, runsList, runsShow } from './commands/inspect.js';
import { promoteCommand } from './commands/rules-promote.js';
import { applyCommand } from './commands/rules-apply.js';
import { exportCommand } from './commands/rules-export.js';
import { checkCommand } from './commands/rules-check.js';
import { rulesetList } from './commands/rules-list.js';
import { errors } from '../core/messages.js';
import { processIo, type Io } from './io.js';
import {
  applyOptions,
  assignOptions,
  checkOptions,
  diffPositionals,
  dirOption,
  exportOptions,
  initOptions,
  initPositionals,
  listOptions,
  promoteOptions,
  promotePositionals,
  runOptions,
  runPositional,
} from './options.js';

export type { Io } from './io.js';

export async function main(argv: readonly string[], io: Io = processIo()): Promise<number> {
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

  const parser = yargs([...argv])
    .scriptName('segmint')
    .usage('segmint — discover behavioural user segments and turn them into rules\n\nUsage: $0 <command> [options]')
    .command('run', 'run a discovery job', (y) => y.options(runOptions).strict(), (a) => guard(() => runCommand(toRunArgs(a), io)))
    .command('validate', 'check the config and inputs without clustering', (y) => y.options(runOptions).strict(), (a) => guard(() => validateCommand(toRunArgs(a), io)))
    .command(
      'init <paths..>',
      'sniff input files and write a commented pipeline YAML that runs as it is',
      (y) => y.positional('paths', initPositionals.paths).options(initOptions),
      (a) => guard(() => initCommand({ paths: a.paths, out: a.out, force: a.force }, io)),
    )
    .command(
      'report <run>',
      "re-render a run's report.md and report.html",
      (y) => y.positional('run', runPositional).options(dirOption),
      (a) => guard(() => reportCommand(a.run, reportsDir(a), io)),
    )
    .command('runs', 'run history and drift between runs', (y) =>
      y
        .options(dirOption)
        .command('list', 'list finished runs', {}, (a) => guard(() => runsList(reportsDir(a as { dir?: string }), io)))
        .command('show <run>', "a run's segment table", (yy) => yy.positional('run', runPositional), (a) => guard(() => runsShow(a.run, reportsDir(a), io)))
        .command(
          'diff <runA> <runB>',
          'which segments are stable, grew, shrank or are new',
          (yy) => yy.positional('runA', diffPositionals.runA).positional('runB', diffPositionals.runB),
          (a) => guard(() => runsDiff(a.runA, a.runB, reportsDir(a), io)),
        )
        .demandCommand(1, 'name a runs subcommand: list, show RUN or diff RUN_A RUN_B'),
    )
    .command('rules', 'suggested rules of a run', (y) =>
      y
        .options(dirOption)
        .command(
          'list [run]',
          "a run's suggested rules with their metrics, or the promoted segments of --ruleset",
          (yy) => yy.positional('run', { ...runPositional, demandOption: false }).options(listOptions),
          (a) =>
            guard(() => {
              if (a.ruleset !== undefined) return rulesetList(a.ruleset, io);
              if (a.run === undefined) throw errors.badFlagValue('ruleset', '', 'a ruleset folder, or give a RUN instead');
              return rulesList(a.run, reportsDir(a), io);
            }),
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
        .demandCommand(1, 'name a rules subcommand: list, promote, apply, check, export'),
    )
    .command(
      'assign',
      "score new users with a run's fitted model",
      (y) => y.options(assignOptions).strict(),
      (a) => guard(() => assignCommand({ model: a.model, events: a.events, users: a.users, accounts: a.accounts, out: a.out, dir: a.dir, quiet: a.quiet }, io)),
    )
    .demandCommand(1, 'name a command: run, validate, init, report, runs, rules or assign')
    .strict()
    .help()
    .version(false)
    .wrap(Math.min(100, io.columns ?? 100))
    .exitProcess(false)
    .fail((msg, err) => {
      // Throwing is the only way to stop yargs from running the command's handler anyway.
      // yargs' own validation errors (a flag without its value) are usage errors too.
      throw err && err.name !== 'YError' ? err : new UsageError(msg ?? err?.message ?? 'invalid command line');
    });

  try {
    await parser.parseAsync();
  } catch (e) {
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
    preset: a.preset as RunArgs['preset'],
    quiet: a.quiet as boolean | undefined,
  };
}

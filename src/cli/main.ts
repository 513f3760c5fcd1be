/**
 * The command line: a thin layer over the library. `main(argv)` takes its arguments as a
 * parameter and returns the exit code, so tests call it directly.
 *
 * Results and paths go to stdout; progress, warnings and errors to stderr. A SegmintError prints
 * one line with a hint and exits 1; a usage error exits 2; anything else is a bug and keeps its
 * stack trace.
 */
import yargs from 'yargs';
import { isSegmintError } from '../core/errors.js';
import { runCommand, type RunArgs } from './commands/run.js';
import { validateCommand } from './commands/validate.js';
import { initCommand } from './commands/init.js';
import { assignCommand } from './commands/assign.js';
import { reportCommand, rulesList, runsDiff, runsList, runsShow } from './commands/inspect.js';

export interface Io {
  out(s: string): void;
  err(s: string): void;
}

const defaultIo: Io = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) };

const runOptions = {
  config: { type: 'string', describe: 'pipeline YAML (default: pipeline/default.yaml when no --events)' },
  events: { type: 'string', array: true, describe: 'event files, folders or globs (CSV, JSON lines, Parquet, .gz)' },
  users: { type: 'string', describe: 'users table (joined on the user id)' },
  accounts: { type: 'string', describe: 'accounts table (joined on a shared account column)' },
  out: { type: 'string', describe: 'folder runs land in (default: reports/)' },
  k: { type: 'number', describe: 'fixed number of segments (default: chosen automatically)' },
  'k-range': { type: 'string', describe: 'candidate k for automatic choice, e.g. 2..10' },
  seed: { type: 'number', describe: 'random seed (same seed => same segments)' },
  preset: { type: 'string', choices: ['segment', 'amplitude', 'mixpanel', 'posthog', 'ga4'], describe: 'vendor export shape of the events' },
  quiet: { type: 'boolean', default: false, describe: 'no progress on stderr' },
} as const;

export async function main(argv: readonly string[], io: Io = defaultIo): Promise<number> {
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
    .command('run', 'run a discovery job', (y) => y.options(runOptions).strict(), (a) => guard(() => runCommand(toRunArgs(a), io.out)))
    .command('validate', 'check the config and inputs without clustering', (y) => y.options(runOptions).strict(), (a) => guard(() => validateCommand(toRunArgs(a), io.out)))
    .command('init <paths..>', 'sniff input files and write a commented pipeline YAML that runs as it is', (y) => y.positional('paths', { type: 'string', array: true, demandOption: true, describe: 'event, users and accounts files, folders or globs' }).options({ out: { type: 'string', describe: 'YAML to write (default: pipeline/<name>.yaml)' }, force: { type: 'boolean', default: false, describe: 'overwrite an existing file' } }), (a) => guard(() => initCommand({ paths: a.paths, out: a.out, force: a.force }, io.out)))
    .command('report <run>', "re-render a run's report.md and report.html", (y) => y.positional('run', { type: 'string', demandOption: true }).option('dir', { type: 'string', describe: 'reports folder' }), (a) => guard(() => reportCommand(a.run, reportsDir(a), io.out)))
    .command('runs', 'run history and drift between runs', (y) =>
      y
        .option('dir', { type: 'string', describe: 'reports folder (default: reports/)' })
        .command('list', 'list finished runs', {}, (a) => guard(() => runsList(reportsDir(a as { dir?: string }), io.out)))
        .command('show <run>', "a run's segment table", (yy) => yy.positional('run', { type: 'string', demandOption: true }), (a) => guard(() => runsShow(a.run, reportsDir(a), io.out)))
        .command('diff <runA> <runB>', 'which segments are stable, grew, shrank or are new', (yy) => yy.positional('runA', { type: 'string', demandOption: true }).positional('runB', { type: 'string', demandOption: true }), (a) => guard(() => runsDiff(a.runA, a.runB, reportsDir(a), io.out)))
        .demandCommand(1, 'name a runs subcommand: list, show RUN or diff RUN_A RUN_B'),
    )
    .command('rules', 'suggested rules of a run', (y) =>
      y
        .option('dir', { type: 'string', describe: 'reports folder (default: reports/)' })
        .command('list <run>', "a run's suggested rules with their metrics", (yy) => yy.positional('run', { type: 'string', demandOption: true }), (a) => guard(() => rulesList(a.run, reportsDir(a), io.out)))
        .demandCommand(1, 'name a rules subcommand: list RUN'),
    )
    .command('assign', "score new users with a run's fitted model", (y) => y.options({ model: { type: 'string', demandOption: true, describe: 'the run: its folder, or its id under --dir' }, events: { ...runOptions.events, demandOption: true }, users: runOptions.users, accounts: runOptions.accounts, out: { type: 'string', describe: 'CSV to write (default: assignments-<run-id>.csv)' }, dir: { type: 'string', describe: 'reports folder (default: reports/)' }, quiet: runOptions.quiet }).strict(), (a) => guard(() => assignCommand({ model: a.model, events: a.events, users: a.users, accounts: a.accounts, out: a.out, dir: a.dir, quiet: a.quiet }, io.out)))
    .demandCommand(1, 'name a command: run, validate, init, report, runs, rules or assign')
    .strict()
    .help()
    .version(false)
    .wrap(Math.min(100, process.stdout.columns ?? 100))
    .exitProcess(false)
    .fail((msg, err) => {
      // Throwing is the only way to stop yargs from running the command's handler anyway.
      throw err ?? new UsageError(msg);
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

function toRunArgs(a: Record<string, unknown>): RunArgs {
  return {
    config: a.config as string | undefined,
    events: a.events as string[] | undefined,
    users: a.users as string | undefined,
    accounts: a.accounts as string | undefined,
    out: a.out as string | undefined,
    k: a.k as number | undefined,
    kRange: a['k-range'] as string | undefined,
    seed: a.seed as number | undefined,
    preset: a.preset as RunArgs['preset'],
    quiet: a.quiet as boolean | undefined,
  };
}

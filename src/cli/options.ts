/**
 * Every command's options and positionals as tables: one typed object per command, which
 * `main.ts` hands to yargs as they are. Adding a flag means adding a row here and reading it in
 * the command's handler.
 */
import { PRESET_NAMES } from '../core/presets.js';
import type { Options, PositionalOptions } from 'yargs';
import { SQL_DIALECTS } from '../ruleset/dialect.js';
import { EXPORT_TARGETS } from '../ruleset/export.js';
import type { CommandTable } from './suggest.js';

/** `run` and `validate`. */
export const runOptions = {
  config: { type: 'string', describe: 'pipeline YAML (default: pipeline/default.yaml when no --events)' },
  events: { type: 'string', array: true, describe: 'event files, folders or globs (CSV, JSON lines, Parquet, .gz)' },
  users: { type: 'string', describe: 'users table (joined on the user id)' },
  accounts: { type: 'string', describe: 'accounts table (joined on a shared account column)' },
  out: { type: 'string', describe: 'folder runs land in (default: output.dir of the config, reports/ next to it if unset; without a config reports/ here)' },
  // Read as typed and checked by the command (an integer >= 2), so `--k abc` is named in the
  // message instead of arriving as NaN.
  k: { type: 'string', requiresArg: true, conflicts: 'k-range', describe: 'fixed number of segments, an integer >= 2 (default: chosen automatically)' },
  'k-range': { type: 'string', conflicts: 'k', describe: 'candidate k for automatic choice, e.g. 2..10 (clears a fixed cluster.k of the config)' },
  seed: { type: 'string', requiresArg: true, describe: 'random seed, an integer >= 0 (same seed => same segments)' },
  // As typed: a whole number of days or `all`, checked by the config like window.days.
  'window-days': { type: 'string', requiresArg: true, describe: 'analysis window in days up to the latest event, or all for the whole log (default 90)' },
  preset: { type: 'string', choices: PRESET_NAMES, describe: 'vendor export shape of the events' },
  outcome: { type: 'string', array: true, requiresArg: true, describe: 'outcome column of the users table (repeatable): reported per segment, never clustered on' },
  'as-of': { type: 'string', requiresArg: true, describe: 'run as of this ISO date or time: the window ends here (same as window.end), to replay a past week' },
  // --no-previous arrives as previous: false (yargs' negation).
  previous: { type: 'string', requiresArg: true, describe: "run to compare with (folder, or id under --out); default: the job's latest run there; --no-previous: none" },
  warehouse: { type: 'string', requiresArg: true, describe: 'read tables in this warehouse instead of files: postgres://USER@HOST:PORT/DB (password from SEGMINT_WAREHOUSE_PASSWORD)' },
  'events-table': { type: 'string', requiresArg: true, describe: 'warehouse run: the events table, e.g. analytics.events' },
  'users-table': { type: 'string', requiresArg: true, describe: 'warehouse run: the users table' },
  'accounts-table': { type: 'string', requiresArg: true, describe: 'warehouse run: the accounts table' },
  'write-assignments': { type: 'string', requiresArg: true, describe: "warehouse run: write every user's segment to this table there" },
  quiet: { type: 'boolean', default: false, describe: 'no progress on stderr' },
} as const satisfies Record<string, Options>;

/** `init <paths..>`. */
export const initPositionals = {
  paths: { type: 'string', array: true, demandOption: true, describe: 'event, users and accounts files, folders or globs' },
} as const satisfies Record<string, PositionalOptions>;

export const initOptions = {
  out: { type: 'string', describe: 'YAML to write (default: pipeline/<name>.yaml)' },
  force: { type: 'boolean', default: false, describe: 'overwrite an existing file' },
  'user-id': { type: 'string', describe: 'the user id column (instead of detecting it)' },
  event: { type: 'string', describe: 'the event name column (instead of detecting it)' },
  timestamp: { type: 'string', describe: 'the timestamp column (instead of detecting it)' },
} as const satisfies Record<string, Options>;

/** The reports folder a bare run id is looked up in (`report`, `runs …`, `rules …`). */
export const dirOption = {
  dir: { type: 'string', describe: 'reports folder (default: reports/)' },
} as const satisfies Record<string, Options>;

/** A run: its folder, or its id (or `latest`) under --dir. */
export const runPositional = { type: 'string', demandOption: true, describe: 'run folder, or run id under --dir' } as const satisfies PositionalOptions;

/** A run that may be left out: `latest` then (`report`, `runs show`, `rules list`). */
export const optionalRunPositional = { type: 'string', describe: 'run folder, run id under --dir, or latest (the default)' } as const satisfies PositionalOptions;

/** `runs list`. */
export const runsListOptions = {
  job: { type: 'string', describe: 'only the runs of this job (a config name, or adhoc-… for runs from flags)' },
} as const satisfies Record<string, Options>;

/** `runs history <job>`. */
export const historyPositionals = {
  job: { type: 'string', demandOption: true, describe: 'the job: a config name, or adhoc-… (runs list shows each run\'s job)' },
} as const satisfies Record<string, PositionalOptions>;

/** `runs diff <runA> <runB>`. */
export const diffPositionals = {
  runA: { ...runPositional, describe: 'the earlier run' },
  runB: { ...runPositional, describe: 'the later run' },
} as const satisfies Record<string, PositionalOptions>;

/** `assign`. */
export const assignOptions = {
  model: { type: 'string', demandOption: true, describe: 'the run: its folder, or its id under --dir' },
  events: { ...runOptions.events, describe: 'event files of the users to score (needed unless the run was fitted on a users table alone)' },
  'as-of': {
    type: 'string',
    requiresArg: true,
    describe: "end the features' window here (ISO date or time), or 'latest' for the new data's latest event; default: where the run's window ended",
  },
  users: runOptions.users,
  accounts: runOptions.accounts,
  out: { type: 'string', describe: 'CSV to write (default: assignments-<run-id>.csv)' },
  dir: dirOption.dir,
  quiet: runOptions.quiet,
} as const satisfies Record<string, Options>;

/** `rules promote <run> <segments..>`. */
export const promotePositionals = {
  run: runPositional,
  segments: { type: 'string', array: true, demandOption: true, describe: 'segment ids, names, or all' },
} as const satisfies Record<string, PositionalOptions>;

const rulesetOption = { type: 'string', demandOption: true, describe: 'ruleset folder (one .yaml file per promoted segment)' } as const satisfies Options;

export const promoteOptions = {
  ruleset: rulesetOption,
  owner: { type: 'string', describe: 'who owns the promoted segments (a team or person)' },
  name: { type: 'string', describe: "the promoted segment's name (one segment only; default: the run's name)" },
  note: { type: 'string', describe: 'a note kept with this version (why it was promoted)' },
  quiet: runOptions.quiet,
} as const satisfies Record<string, Options>;

/** `rules apply`. */
export const applyOptions = {
  ruleset: rulesetOption,
  events: { ...runOptions.events, describe: 'event files, folders or globs (default: the --config inputs)' },
  users: runOptions.users,
  accounts: runOptions.accounts,
  config: { type: 'string', describe: "pipeline YAML whose inputs (paths, columns, keys) replace the ones recorded at promotion" },
  'as-of': { type: 'string', requiresArg: true, describe: 'compute features as of this ISO date or time (default: the latest event)' },
  out: { type: 'string', demandOption: true, describe: 'folder for memberships.csv (and changes.csv against the previous one)' },
  quiet: runOptions.quiet,
} as const satisfies Record<string, Options>;

/** `rules export`. */
export const exportOptions = {
  ruleset: rulesetOption,
  to: { type: 'string', choices: EXPORT_TARGETS, demandOption: true, describe: 'what to write' },
  out: { type: 'string', demandOption: true, describe: 'folder to write into' },
  dialect: { type: 'string', choices: SQL_DIALECTS, describe: 'SQL dialect for --to sql and dbt (default: duckdb)' },
  'as-of': { type: 'string', requiresArg: true, describe: 'compute features as of this ISO date or time (default: the latest event)' },
  'events-table': { type: 'string', describe: 'events table, e.g. analytics.events (columns user_id, event, timestamp); dbt also source:NAME.TABLE or ref:MODEL' },
  'users-table': { type: 'string', describe: 'users table (key user_id, account_id joins accounts); dbt also source:NAME.TABLE or ref:MODEL' },
  'accounts-table': { type: 'string', describe: 'accounts table (key account_id); dbt also source:NAME.TABLE or ref:MODEL' },
  memberships: { type: 'string', describe: 'posthog: memberships.csv from rules apply, for static cohorts\' member lists' },
  // Accepted like every other command's (scripts pass it to all); an export writes nothing to stderr.
  quiet: runOptions.quiet,
} as const satisfies Record<string, Options>;

/** `rules check`. */
export const checkOptions = {
  ruleset: rulesetOption,
  run: { type: 'string', demandOption: true, describe: 'the newer run: its folder, or its id under --dir' },
  'max-precision-drop': { type: 'number', describe: 'largest allowed fall of precision (default 0.2)' },
  'max-recall-drop': { type: 'number', describe: 'largest allowed fall of recall (default 0.2)' },
  'max-psi': { type: 'number', describe: 'largest allowed population stability index of a feature (default 0.25)' },
  'max-size-change': { type: 'number', describe: 'largest allowed relative change of users selected (default 0.5 = ±50%)' },
  quiet: runOptions.quiet,
} as const satisfies Record<string, Options>;

/** `rules list [run]`. */
export const listOptions = {
  ruleset: { type: 'string', describe: 'list the promoted segments of this ruleset folder instead of a run\'s rules' },
} as const satisfies Record<string, Options>;

/** `rules diff <a> <b>`: two ruleset folders, or with --ruleset two versions KEY@N of one segment. */
export const rulesDiffPositionals = {
  a: { type: 'string', demandOption: true, describe: 'ruleset folder A, or with --ruleset a version KEY@N' },
  b: { type: 'string', demandOption: true, describe: 'ruleset folder B, or with --ruleset a version KEY@N' },
} as const satisfies Record<string, PositionalOptions>;

export const rulesDiffOptions = {
  ruleset: { type: 'string', describe: 'compare two versions (KEY@1 KEY@2) of a segment in this ruleset folder' },
  events: { ...runOptions.events, describe: 'with inputs: users selected by A only, B only and both (as rules apply computes them)' },
  users: runOptions.users,
  accounts: runOptions.accounts,
  'as-of': { type: 'string', requiresArg: true, describe: 'compute features as of this ISO date or time (default: the latest event)' },
  quiet: runOptions.quiet,
} as const satisfies Record<string, Options>;

/** `--ruleset` on `run` and `report`: list the run's segments that match promoted ones. */
export const rulesetMatchOption = {
  ruleset: { type: 'string', describe: 'ruleset folder: the report lists which segments match a promoted segment' },
} as const satisfies Record<string, Options>;

/** `segments export <run> <segment>`. */
export const segmentsExportPositionals = {
  run: runPositional,
  segment: { type: 'string', demandOption: true, describe: 'segment id or name (-1 or "No events in window" for users without events)' },
} as const satisfies Record<string, PositionalOptions>;

export const segmentsExportOptions = {
  out: { type: 'string', describe: 'CSV to write (default: stdout)' },
} as const satisfies Record<string, Options>;

/**
 * Every command and its options, for "did you mean" (src/cli/suggest.ts). A command added to
 * main.ts gets a row here; test/cli/usage.test.ts checks that every command in --help has one.
 */
export const commandTable: CommandTable = {
  run: { options: { ...runOptions, ...rulesetMatchOption } },
  validate: { options: runOptions },
  init: { options: initOptions },
  report: { options: { ...dirOption, ...rulesetMatchOption } },
  runs: { options: dirOption, subcommands: { list: runsListOptions, show: {}, diff: {}, history: {} } },
  rules: {
    options: dirOption,
    subcommands: { list: listOptions, promote: promoteOptions, apply: applyOptions, export: exportOptions, check: checkOptions, diff: rulesDiffOptions },
  },
  segments: { options: dirOption, subcommands: { export: segmentsExportOptions } },
  assign: { options: assignOptions },
};

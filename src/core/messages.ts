/**
 * Every user-facing error, in one catalog (warnings have theirs beside it: warnings.ts). Stages call these; tests compare against
 * them. Keep messages to one line that names the file / column / value, and a hint that says
 * what to do about it.
 */
import { SegmintError } from './errors.js';
import type { ClockSkew } from '../stages/ingest/skew.js';

const quote = (v: unknown): string => JSON.stringify(String(v));

/** Longest value a config error echoes: a CSV given as --config parses as one huge string. */
export const SHOWN_VALUE_CHARS = 80;

/** A config value as an error shows it: quoted or as JSON, cut to {@link SHOWN_VALUE_CHARS} characters with "…". */
function shownValue(got: unknown): string {
  const text = typeof got === 'string' ? got : JSON.stringify(got);
  if (text === undefined) return 'nothing';
  const cut = [...text].length > SHOWN_VALUE_CHARS ? `${[...text].slice(0, SHOWN_VALUE_CHARS).join('')}…` : text;
  return typeof got === 'string' ? quote(cut) : cut;
}

export const errors = {
  fileNotFound: (path: string, role: string) =>
    new SegmintError({
      code: 'E_FILE_NOT_FOUND',
      stage: 'ingest',
      subject: path,
      message: `${role} file not found: ${path}`,
      hint: 'check the path (relative paths resolve against the current directory, or the config file for paths in a config)',
    }),
  noMatchingFiles: (pattern: string, role: string) =>
    new SegmintError({
      code: 'E_NO_FILES',
      stage: 'ingest',
      subject: pattern,
      message: `no ${role} files match ${pattern}`,
      hint: 'check the glob or directory; segmint reads .csv, .tsv, .jsonl, .json, .parquet and their .gz forms',
    }),
  unreadableFile: (path: string, reason: string) =>
    new SegmintError({
      code: 'E_UNREADABLE',
      stage: 'ingest',
      subject: path,
      message: `cannot read ${path}: ${reason}`,
      hint: 'check that the file is CSV, JSON lines or Parquet, and not truncated',
    }),
  unsupportedEncoding: (path: string, encoding: string) =>
    new SegmintError({
      code: 'E_ENCODING',
      stage: 'ingest',
      subject: path,
      message: `${path} is ${encoding} text, which segmint does not read (it reads UTF-8 and UTF-16)`,
      hint: 'save it as UTF-8 CSV (in Excel: Save As, "CSV UTF-8"), or convert it, e.g. iconv -f UTF-32 -t UTF-8',
    }),
  /** `line`: the first line (as an editor numbers them) that is not UTF-8; `invalid` of the first `lines` are not. */
  notUtf8: (path: string, invalid: number, lines: number, line: number) =>
    new SegmintError({
      code: 'E_ENCODING',
      stage: 'ingest',
      subject: path,
      message: `${path} is not UTF-8 text: ${invalid} of its first ${lines} lines ${invalid === 1 ? 'holds' : 'hold'} bytes that are not (first: line ${line}), as a Windows or Latin-1 export writes accented letters`,
      hint: 'save it as UTF-8 (in Excel: Save As, "CSV UTF-8"), or convert it, e.g. iconv -f WINDOWS-1252 -t UTF-8 FILE > FILE-utf8.csv',
    }),
  tooManyColumns: (path: string, columns: number, limit: number) =>
    new SegmintError({
      code: 'E_TOO_MANY_COLUMNS',
      stage: 'ingest',
      subject: path,
      message: `${path} has ${columns.toLocaleString('en-US')} columns; segmint reads at most ${limit.toLocaleString('en-US')} columns per file`,
      hint: 'select the columns you need (e.g. csvcut -c user_id,plan,seats, or a SELECT in your warehouse) and point segmint at that file',
    }),
  /**
   * `setting` is how the config names the column, when it is not an events column
   * (`inputs.users.key`, `inputs.users.account_key`, `inputs.accounts.key`).
   */
  missingColumn: (path: string, role: string, candidates: readonly string[], found: readonly string[], setting?: string) =>
    new SegmintError({
      code: 'E_MISSING_COLUMN',
      stage: 'ingest',
      subject: path,
      message: `${path} has no ${role} column (looked for ${candidates.join(', ')}; found ${found.slice(0, 12).join(', ') || 'no columns'})`,
      hint:
        setting === undefined
          ? `name the column in the config, e.g. inputs.events.columns: { ${role.replace(/ /g, '_')}: <column> }`
          : `name the column in the config, e.g. ${setting.replace(/^(.*)\.([a-z_]+)$/, '$1: { $2: <column> }')}`,
    }),
  outcomeUnusable: (path: string, setting: string, column: string, why: string) =>
    new SegmintError({
      code: 'E_BAD_OUTCOME',
      stage: 'ingest',
      subject: column,
      message: `outcome column ${quote(column)} of ${path} cannot be reported per segment: ${why}`,
      hint: `check ${setting}.outcomes (names are case-sensitive); declare a coded outcome's type, e.g. ${setting}.types: { ${column}: category }`,
    }),
  configuredColumnMissing: (path: string, role: string, column: string, found: readonly string[]) =>
    new SegmintError({
      code: 'E_MISSING_COLUMN',
      stage: 'ingest',
      subject: column,
      message: `${path} has no column ${quote(column)} (configured as the ${role} column; found ${found.slice(0, 12).join(', ')})`,
      hint: 'fix the column name in the config (names are case-sensitive)',
    }),
  notThisFormat: (path: string, role: string, what: string, named: string, hint: string) =>
    new SegmintError({
      code: 'E_UNREADABLE',
      stage: 'ingest',
      subject: path,
      message: `${role} file ${path} is ${what}, not the ${named} its name says`,
      hint,
    }),
  emptyInput: (path: string, role: string) =>
    new SegmintError({
      code: 'E_EMPTY_INPUT',
      stage: 'ingest',
      subject: path,
      message: `${role} input ${path} has no data rows`,
      hint: 'point segmint at an export that contains rows, not only a header',
    }),
  timestampUnparseable: (path: string, column: string, sample: string) =>
    new SegmintError({
      code: 'E_BAD_TIMESTAMP',
      stage: 'ingest',
      subject: column,
      message: `timestamp column ${quote(column)} in ${path} does not parse (e.g. ${quote(sample)})`,
      hint: 'use ISO 8601 (2024-05-01T12:00:00Z) or epoch seconds/milliseconds, or name another column as the timestamp',
    }),
  /** `role`: events, users or accounts — whose rows (a run reads up to three inputs). */
  rejectRateExceeded: (role: string, rejected: number, read: number, limit: number, firstReasons: string) =>
    new SegmintError({
      code: 'E_REJECT_RATE',
      stage: 'ingest',
      message: `${rejected} of ${read} ${role} rows rejected (${((100 * rejected) / Math.max(read, 1)).toFixed(2)}% > max_reject_rate ${(100 * limit).toFixed(2)}%); first reasons: ${firstReasons}`,
      hint: 'fix the input, or raise max_reject_rate in the config if these rows are expected',
    }),
  clockSkew: (skew: ClockSkew) =>
    new SegmintError({
      code: 'E_CLOCK_SKEW',
      stage: 'ingest',
      subject: skew.last,
      message:
        `${skew.events.toLocaleString('en-US')} event${skew.events === 1 ? ' is' : 's are'} dated ${skew.first === skew.last ? skew.first : `${skew.first} to ${skew.last}`}, ` +
        `after more than ${skew.days} days without any event; all the other events end by ${skew.bulkEnd}, and a window ending at the latest event would leave them out (clock skew?)`,
      hint: `end the window with the bulk of the events: set window.end: ${skew.bulkEnd.slice(0, 10)} (or --as-of ${skew.bulkEnd.slice(0, 10)}); those events then count as out of window`,
    }),
  noUsers: () =>
    new SegmintError({
      code: 'E_NO_USERS',
      stage: 'features',
      message: 'no users have events inside the analysis window',
      hint: 'widen window.days or set window.end to a date covered by the data',
    }),
  tooFewUsers: (users: number, needed: number) =>
    new SegmintError({
      code: 'E_TOO_FEW_USERS',
      stage: 'cluster',
      subject: String(users),
      message: `only ${users} distinct user(s) to segment; at least ${needed} are needed`,
      hint: 'segment a larger export, or widen the analysis window',
    }),
  tooFewToSegment: (users: number, k: number, minSize: number) =>
    new SegmintError({
      code: 'E_TOO_FEW_USERS',
      stage: 'cluster',
      subject: String(users),
      message: `only ${users} user(s) to segment: ${k} segments of at least ${minSize} users (cluster.min_size) need ${k * minSize}`,
      hint: 'widen the analysis window (window.days) or segment a larger export; lower cluster.min_size only if segments that small mean something to you',
    }),
  kTooLarge: (k: number, users: number) =>
    new SegmintError({
      code: 'E_K_TOO_LARGE',
      stage: 'cluster',
      subject: String(k),
      message: `k = ${k} is larger than the number of users (${users})`,
      hint: `choose k below ${users}, or let segmint choose it (omit --k)`,
    }),
  accountsWithoutUsers: (accounts: string) =>
    new SegmintError({
      code: 'E_ACCOUNTS_WITHOUT_USERS',
      stage: 'ingest',
      subject: accounts,
      message: `${accounts} cannot be used: accounts join users through the users' account column, and no users table was given (nor user properties from a vendor export)`,
      hint: 'give the users table with an account column (--users FILE, inputs.users), or leave out the accounts table',
    }),
  assignEventsNeeded: (job: string) =>
    new SegmintError({
      code: 'E_BAD_FLAG',
      stage: 'cli',
      subject: 'events',
      message: `the model of job ${job} was fitted on events: give the new users' events with --events`,
      hint: 'segmint assign --model RUN --events FILE [--users FILE]',
    }),
  assignEventsUnused: (job: string) =>
    new SegmintError({
      code: 'E_BAD_FLAG',
      stage: 'cli',
      subject: 'events',
      message: `the model of job ${job} was fitted on a users table alone: it scores users by their attributes, not by events`,
      hint: 'leave out --events and give the users table with --users FILE',
    }),
  assignUsersNeeded: (job: string) =>
    new SegmintError({
      code: 'E_BAD_FLAG',
      stage: 'cli',
      subject: 'users',
      message: `the model of job ${job} was fitted on a users table alone: give the users to score with --users`,
      hint: 'segmint assign --model RUN --users FILE [--accounts FILE]',
    }),
  assignWindowEmpty: (end: string | null) =>
    new SegmintError({
      code: 'E_NO_USERS',
      stage: 'features',
      subject: end ?? 'latest',
      message: `no users have events inside the window the features are computed over${end === null ? '' : `, which ends where the run's did (${end})`}`,
      hint: "pass --as-of latest to end it at the new data's latest event, or --as-of DATE",
    }),
  noAttributesLeft: (table: string, excluded: readonly { readonly column: string; readonly reason: string }[]) =>
    new SegmintError({
      code: 'E_NO_FEATURES',
      stage: 'features',
      subject: table,
      message:
        `no column of ${table} is left to segment on` +
        (excluded.length > 0 ? `: ${excluded.slice(0, 6).map((e) => `${e.column} (${e.reason})`).join(', ')}${excluded.length > 6 ? `, and ${excluded.length - 6} more` : ''}` : ''),
      hint:
        excluded.length > 0
          ? `to use a column, give its type: inputs.users.types, e.g. { ${excluded[0].column}: number } (or category)`
          : 'add attribute columns, or give events (--events) to segment on behaviour',
    }),
  identicalUsers: (users: number) =>
    new SegmintError({
      code: 'E_IDENTICAL_USERS',
      stage: 'transform',
      subject: String(users),
      message: `all ${users} users have identical features, so there is nothing to segment`,
      hint: 'check that the events carry different users and event types, or add attribute tables',
    }),
  configInvalid: (file: string, path: string, expected: string, got: unknown) =>
    new SegmintError({
      code: 'E_CONFIG',
      stage: 'config',
      subject: path,
      message: `${file}: ${path || '(top level)'} must be ${expected}, got ${shownValue(got)}`,
      hint: 'see pipeline/default.yaml for a commented example of every setting',
    }),
  configWeightsAllZero: (file: string) =>
    new SegmintError({
      code: 'E_CONFIG',
      stage: 'config',
      subject: 'transform.weights',
      message: `${file}: transform.weights are all 0 (attribute: auto counts as 0 until behaviour has been segmented), so no feature is left to segment on`,
      hint: 'give at least one family a weight above 0, e.g. event_mix: 1; pipeline/default.yaml lists the defaults',
    }),
  configAttributeWeightZero: (file: string) =>
    new SegmintError({
      code: 'E_CONFIG',
      stage: 'config',
      subject: 'transform.weights.attribute',
      message: `${file}: transform.weights.attribute is 0 in a run without events, where the users table's attributes are all there is to segment on`,
      hint: 'remove the setting (attributes then weigh 1) or give it a number above 0',
    }),
  configUnknownKey: (file: string, path: string, allowed: readonly string[]) =>
    new SegmintError({
      code: 'E_CONFIG',
      stage: 'config',
      subject: path,
      message: `${file}: unknown setting ${path}`,
      hint: `allowed here: ${allowed.join(', ')}`,
    }),
  configNotFound: (file: string) =>
    new SegmintError({
      code: 'E_CONFIG_NOT_FOUND',
      stage: 'config',
      subject: file,
      message: `config file not found: ${file}`,
      hint: 'pass --config pipeline/default.yaml, or give --events FILE to run without a config',
    }),
  configIsFolder: (file: string) =>
    new SegmintError({
      code: 'E_CONFIG_NOT_FOUND',
      stage: 'config',
      subject: file,
      message: `config ${file} is a folder, not a file`,
      hint: 'pass the YAML file itself, e.g. --config pipeline/default.yaml',
    }),
  configYaml: (file: string, reason: string) =>
    new SegmintError({
      code: 'E_CONFIG_YAML',
      stage: 'config',
      subject: file,
      message: `${file} is not valid YAML: ${reason}`,
      hint: 'check indentation and quoting near the line named',
    }),
  noEventsGiven: () =>
    new SegmintError({
      code: 'E_NO_INPUT',
      stage: 'cli',
      message: 'no input given',
      hint: 'pass --events FILE (and optionally --users FILE --accounts FILE), or --config FILE',
    }),
  badKRange: (value: string) =>
    new SegmintError({
      code: 'E_BAD_K_RANGE',
      stage: 'cli',
      subject: value,
      message: `--k-range ${quote(value)} is not a range like 2..8`,
      hint: 'write it as A..B with 2 <= A <= B',
    }),
  latestOfWhichJob: (reportsDir: string, pointers: readonly string[]) =>
    new SegmintError({
      code: 'E_RUN_NOT_FOUND',
      stage: 'cli',
      subject: 'latest',
      message: `${reportsDir} holds runs of several jobs, so there is no single latest run (found ${pointers.join(', ')})`,
      hint: `name the job's pointer, e.g. ${pointers[0]}, or a run id listed by \`segmint runs list\``,
    }),
  runNotFound: (run: string) =>
    new SegmintError({
      code: 'E_RUN_NOT_FOUND',
      stage: 'cli',
      subject: run,
      message: `run not found: ${run}`,
      hint: 'pass a run folder (reports/<run-id>) or a run id listed by `segmint runs list`',
    }),
  reportsFolderNotFound: (dir: string) =>
    new SegmintError({
      code: 'E_RUN_NOT_FOUND',
      stage: 'cli',
      subject: dir,
      message: `reports folder not found: ${dir}`,
      hint: 'pass --dir the folder segmint run wrote its runs into: its --out, or output.dir in the config (reports/ next to the config file when unset, reports/ here without a config)',
    }),
  jobNotFound: (job: string, reportsDir: string, jobs: readonly string[]) =>
    new SegmintError({
      code: 'E_JOB_NOT_FOUND',
      stage: 'cli',
      subject: job,
      message: `no runs of job ${quote(job)} in ${reportsDir}`,
      hint: jobs.length > 0
        ? `jobs with runs there: ${jobs.join(', ')}; a job is the config's name, and \`segmint runs list --dir ${reportsDir}\` lists the runs`
        : `${reportsDir} holds no finished runs; pass --dir the folder segmint run wrote its runs into`,
    }),
  invalidModel: (kind: string, reason: string) =>
    new SegmintError({
      code: 'E_INVALID_MODEL',
      stage: kind === 'segmint.kmeans' ? 'cluster' : kind === 'segmint.transform' ? 'transform' : 'reduce',
      subject: kind,
      message: `not a valid ${kind} model (version 1): ${reason}`,
      hint: 'score with the segments.json of a run made by this version of segmint, or re-run the segmentation',
    }),
  modelFeatureMissing: (feature: string, run: string) =>
    new SegmintError({
      code: 'E_MODEL_FEATURE_MISSING',
      stage: 'features',
      subject: feature,
      message: `the new data has no feature ${quote(feature)} that the model of run ${run} uses`,
      hint: 'give the same kinds of inputs the run had (--users / --accounts with the same columns), or re-run the segmentation on data like this',
    }),
  modelWithoutMeanings: (run: string) =>
    new SegmintError({
      code: 'E_MODEL_TOO_OLD',
      stage: 'features',
      subject: run,
      message: `run ${run} was written by an older segmint that did not record what its features mean, so its columns cannot be rebuilt exactly`,
      hint: 'rerun segmint run on the same inputs and assign with the new run',
    }),
  unknownPreset: (name: string, known: readonly string[]) =>
    new SegmintError({
      code: 'E_UNKNOWN_PRESET',
      stage: 'config',
      subject: name,
      message: `unknown source preset ${quote(name)} (known: ${known.join(', ')})`,
      hint: 'set source.preset to one of those, or leave it out to read plain CSV / JSON lines / Parquet columns',
    }),
  presetShapeMismatch: (file: string, preset: string, missing: readonly string[], found: readonly string[], looksLike: string | null) =>
    new SegmintError({
      code: 'E_PRESET_SHAPE',
      stage: 'ingest',
      subject: file,
      message: `${file} does not look like ${/^[aeiou]/i.test(preset) ? 'an' : 'a'} ${preset} export (no ${missing.join(', no ')}; found ${found.slice(0, 12).join(', ') || 'no fields'})`,
      hint: looksLike && looksLike !== preset
        ? `it looks like ${/^[aeiou]/i.test(looksLike) ? 'an' : 'a'} ${looksLike} export: set source.preset: ${looksLike}`
        : 'check source.preset, or leave it out to read the file as plain columns',
    }),
  initOutputExists: (file: string) =>
    new SegmintError({
      code: 'E_INIT_EXISTS',
      stage: 'cli',
      subject: file,
      message: `${file} already exists; segmint init does not overwrite a config`,
      hint: 'pass --force to replace it, or --out FILE to write somewhere else',
    }),
  initColumnNotFound: (flag: string, column: string, found: readonly string[]) =>
    new SegmintError({
      code: 'E_MISSING_COLUMN',
      stage: 'cli',
      subject: column,
      message: `${flag} ${quote(column)}: no input has that column (found ${found.slice(0, 12).join(', ') || 'no columns'})`,
      hint: 'column names are case-sensitive: give the name as the header spells it',
    }),
  initUnrecognised: (file: string, reason: string) =>
    new SegmintError({
      code: 'E_INIT_UNRECOGNISED',
      stage: 'cli',
      subject: file,
      message: `segmint init cannot tell what ${file} holds: ${reason}`,
      hint: 'init recognises events (a user id and a timestamp per row), users (one row per user id) and accounts (one row per account id); otherwise copy pipeline/default.yaml and name the columns yourself',
    }),
  /** A flag the chosen target does not read: refused rather than silently ignored. */
  flagNotRead: (flag: string, by: string, readBy: string) =>
    new SegmintError({
      code: 'E_BAD_FLAG',
      stage: 'cli',
      subject: flag,
      message: `--${flag} does nothing with ${by}`,
      hint: `leave --${flag} out; it is read by ${readBy}`,
    }),
  badFlagValue: (flag: string, value: unknown, expected: string) =>
    new SegmintError({
      code: 'E_BAD_FLAG',
      stage: 'cli',
      subject: flag,
      message: `--${flag} ${quote(Array.isArray(value) ? value.join(' ') : value)} is not valid: ${flag} must be ${expected}`,
      // "Once" only where it was given more than once (outside check: the hint repeated the message).
      hint: Array.isArray(value) ? `give --${flag} once` : `correct --${flag} and run the command again`,
    }),
  /** A usage error (exit 2): a command or subcommand that does not exist, with the closest one. */
  unknownCommand: (given: string, suggestion: string | null, known: readonly string[]) =>
    new SegmintError({
      code: 'E_USAGE',
      stage: 'cli',
      subject: given,
      message: `unknown command ${quote(given)}`,
      hint: suggestion === null ? `the commands are ${known.join(', ')}` : `did you mean ${quote(suggestion)}?`,
    }),
  /** A usage error (exit 2): a flag the command does not take, with the closest one it does. */
  unknownFlag: (flag: string, suggestion: string | null, command: string) =>
    new SegmintError({
      code: 'E_USAGE',
      stage: 'cli',
      subject: `--${flag}`,
      message: `unknown option --${flag}${command ? ` for segmint ${command}` : ''}`,
      hint: suggestion === null ? `segmint ${command ? `${command} ` : ''}--help lists the options` : `did you mean --${suggestion}?`,
    }),
  /** `segments export RUN SEGMENT`: no segment of the run has that id or name. */
  segmentNotInRun: (run: string, given: string, known: readonly string[]) =>
    new SegmintError({
      code: 'E_SEGMENT_NOT_FOUND',
      stage: 'cli',
      subject: given,
      message: `run ${run} has no segment ${quote(given)}`,
      hint: `name one by id or name: ${known.join(', ')}`,
    }),
  runFileMissing: (file: string) =>
    new SegmintError({
      code: 'E_RUN_FILE',
      stage: 'output',
      subject: file,
      message: `${file} is missing`,
      hint: 'the run folder is incomplete (copied or cleaned up in part); rerun segmint run',
    }),
  runFileInvalid: (file: string, field: string, problem: string) =>
    new SegmintError({
      code: 'E_RUN_FILE',
      stage: 'output',
      subject: field ? `${file}: ${field}` : file,
      message: `${file}: ${field ? `${field}: ` : ''}${problem}`,
      hint: 'the run folder was edited or truncated; rerun segmint run',
    }),
  outputNotFolder: (path: string, what: string) =>
    new SegmintError({
      code: 'E_OUTPUT_NOT_FOLDER',
      stage: 'output',
      subject: path,
      message: `the output folder ${path} is ${what}, not a folder`,
      hint: 'point --out (or output.dir in the config) at a folder, or at a path that does not exist yet',
    }),
  outputNotWritable: (path: string, reason: string) =>
    new SegmintError({
      code: 'E_OUTPUT_NOT_WRITABLE',
      stage: 'output',
      subject: path,
      message: `cannot write runs into ${path}: ${reason}`,
      hint: 'choose a folder you can write to with --out (or output.dir in the config), or fix its permissions',
    }),
  latestNotPointer: (path: string) =>
    new SegmintError({
      code: 'E_LATEST_NOT_POINTER',
      stage: 'output',
      subject: path,
      message: `${path} is a real folder, so it cannot be repointed at the new run`,
      hint: 'latest is a link segmint maintains: move that folder elsewhere (or remove it), then run again',
    }),
  outputWriteFailed: (path: string, reason: string) =>
    new SegmintError({
      code: 'E_OUTPUT_WRITE',
      stage: 'output',
      subject: path,
      message: `cannot write ${path}: ${reason}`,
      hint: 'free disk space or fix the folder permissions, then run again (nothing half-written was kept)',
    }),
} as const;

/**
 * Errors of the promotion workflow (`rules promote|apply|check|export|diff|list --ruleset`, and
 * `--ruleset` on run and report).
 */
export const rulesetErrors = {
  fileInvalid: (file: string, field: string, problem: string) =>
    new SegmintError({
      code: 'E_RULESET_FILE',
      stage: 'rules',
      subject: field ? `${file}: ${field}` : file,
      message: `${file}: ${field ? `${field}: ` : ''}${problem}`,
      hint: 'fix the file by hand (git diff shows what changed) or restore it from version control; segmint rules promote rewrites it',
    }),
  recordEditedByHand: (file: string, recorded: string) =>
    new SegmintError({
      code: 'E_RULESET_EDITED',
      stage: 'rules',
      subject: file,
      message: `${file}: a field only promote writes was edited by hand (record_hash ${recorded} no longer matches the file): its rule text, version, metrics, distributions, feature definitions, source or provenance`,
      hint: 'restore the file from version control (git diff shows the edit); name, owner, status, note, description and the words of labels may be edited by hand, everything else changes only by promoting from a run (segmint rules promote RUN SEGMENT --ruleset DIR)',
    }),
  editedByHand: (file: string, recorded: string, historyVersion: number | null) =>
    new SegmintError({
      code: 'E_RULESET_EDITED',
      stage: 'rules',
      subject: file,
      message:
        historyVersion === null
          ? `${file}: its rule was edited by hand (content_hash ${recorded} no longer matches the rule)`
          : `${file}: version ${historyVersion} in its history was edited by hand (content_hash ${recorded} no longer matches that rule)`,
      hint: 'restore the rule from version control (git diff shows the edit); a rule changes only by promoting it from a run (segmint rules promote RUN SEGMENT --ruleset DIR), which records a new version; name, owner, status, note and description may be edited by hand',
    }),
  conflict: (file: string, what: string) =>
    new SegmintError({
      code: 'E_RULESET_CONFLICT',
      stage: 'rules',
      subject: file,
      message: `${file} ${what} since segmint read it; nothing was overwritten`,
      hint: 'run the command again to work from the current file (review the other change first)',
    }),
  /** --ruleset names a file: a ruleset is a folder (outside check: the hint said to fix the file by hand). */
  notAFolder: (path: string) =>
    new SegmintError({
      code: 'E_RULESET_NOT_FOUND',
      stage: 'rules',
      subject: path,
      message: `--ruleset ${path} is a file; a ruleset is a folder of .yaml files`,
      hint: 'give the folder the promoted segments are in (segmint rules promote RUN SEGMENT --ruleset DIR creates it)',
    }),
  notFound: (dir: string, exists = true) =>
    new SegmintError({
      code: 'E_RULESET_NOT_FOUND',
      stage: 'rules',
      subject: dir,
      message: exists ? `no promoted segments in ${dir}` : `no ruleset folder ${dir}: it does not exist`,
      hint: exists ? 'promote some first: segmint rules promote RUN SEGMENT --ruleset DIR' : 'check the --ruleset path (relative paths resolve against the current directory); segmint rules promote RUN SEGMENT --ruleset DIR creates it',
    }),
  segmentNotFound: (run: string, given: string, available: readonly string[]) =>
    new SegmintError({
      code: 'E_SEGMENT_NOT_FOUND',
      stage: 'rules',
      subject: given,
      message: `run ${run} has no segment ${quote(given)} (segments: ${available.join(', ')})`,
      hint: 'name a segment by its id or its name as `segmint rules list RUN` shows them, or all',
    }),
  keyNotFound: (dir: string, given: string, keys: readonly string[]) =>
    new SegmintError({
      code: 'E_SEGMENT_NOT_FOUND',
      stage: 'rules',
      subject: given,
      message: `${dir} has no promoted segment ${quote(given)} (keys: ${keys.join(', ') || 'none'})`,
      hint: 'name a key as `segmint rules list --ruleset DIR` shows it',
    }),
  versionNotFound: (key: string, version: number, versions: readonly number[]) =>
    new SegmintError({
      code: 'E_VERSION_NOT_FOUND',
      stage: 'rules',
      subject: `${key}@${version}`,
      message: `promoted segment ${key} has no version ${version} (versions: ${versions.join(', ')})`,
      hint: 'name a version the file keeps, e.g. KEY@1',
    }),
  oneNameForMany: (flag: string, segments: number) =>
    new SegmintError({
      code: 'E_BAD_FLAG',
      stage: 'cli',
      subject: flag,
      message: `--${flag} names one segment, but ${segments} segments are being promoted`,
      hint: `promote one segment at a time to give it a --${flag}`,
    }),
  modelWithoutMeanings: (run: string) =>
    new SegmintError({
      code: 'E_MODEL_TOO_OLD',
      stage: 'rules',
      subject: run,
      message: `run ${run} does not record what its features mean, so its rules cannot be defined from raw events`,
      hint: 'rerun segmint run on the same inputs and promote from the new run',
    }),
  attributeOnly: (run: string) =>
    new SegmintError({
      code: 'E_PROMOTE_ATTRIBUTE_ONLY',
      stage: 'rules',
      subject: run,
      message: `run ${run} segmented a table without events; promoting rules of attribute-only runs is not supported yet`,
      hint: 'use the run\'s rules.sql over your users table meanwhile',
    }),
  notReproduced: (key: string, run: string, got: number, expected: number) =>
    new SegmintError({
      code: 'E_PROMOTE_NOT_REPRODUCED',
      stage: 'rules',
      subject: key,
      message: `the rule of ${key}, recomputed from run ${run}'s inputs, selects ${got} users, but the run's metrics say ${expected}; nothing was written`,
      hint: 'the inputs or segmint changed since the run: rerun segmint run and promote from the new run',
    }),
  noEventsInWindow: (files: string, window: { start: string; end: string; days: number }, asOf: string | null, read: number) =>
    new SegmintError({
      code: 'E_NO_USERS',
      stage: 'rules',
      subject: asOf ?? window.end,
      message: `no events of ${files} fall in the window the rules are computed over: the ${window.days} days from ${window.start} to ${window.end}${asOf === null ? '' : ` (--as-of ${asOf})`}; all ${read.toLocaleString('en-US')} valid events read lie outside it`,
      hint: asOf === null ? 'check that these are the files you meant' : 'give an --as-of inside the data, or leave it out to end the window at the latest event',
    }),
  dataLacksEvent: (key: string, event: string, files: string) =>
    new SegmintError({
      code: 'E_RULE_DATA_MISSING',
      stage: 'rules',
      subject: event,
      message: `the rule of ${key} counts event ${quote(event)}, which no event in the window of ${files} has`,
      hint: 'check that these are the same kind of export the rule was promoted from (event names are case-sensitive), or re-promote the segment from a newer run',
    }),
  tableNotGiven: (key: string, table: 'users' | 'accounts', column: string) =>
    new SegmintError({
      code: 'E_RULE_DATA_MISSING',
      stage: 'rules',
      subject: table,
      message: `the rule of ${key} reads column ${quote(column)} of the ${table} table, but no ${table} table was given`,
      hint: `pass the ${table} table it was promoted with: --${table} FILE, or inputs.${table} in --config`,
    }),
  dataLacksColumn: (key: string, table: string, column: string, files: string) =>
    new SegmintError({
      code: 'E_RULE_DATA_MISSING',
      stage: 'rules',
      subject: column,
      message: `the rule of ${key} reads column ${quote(column)} of the ${table} table, which ${files} lacks`,
      hint: `give the ${table} table the rule was promoted with (--${table} FILE), with that column`,
    }),
  otherJob: (run: string, job: string, key: string, expected: string) =>
    new SegmintError({
      code: 'E_RUN_OTHER_JOB',
      stage: 'rules',
      subject: run,
      message: `run ${run} is from job ${quote(job)}, but ${key} was promoted from job ${quote(expected)}; a rule is only checked against runs of its own job`,
      hint: 'pass a run of the same job: of the same pipeline config, or for an ad-hoc run (no config) over the same input files (segmint runs list shows each run\'s job)',
    }),
  otherLegacyAdhocJob: (run: string, job: string, key: string) =>
    new SegmintError({
      code: 'E_RUN_OTHER_JOB',
      stage: 'rules',
      subject: run,
      message: `run ${run} is from job ${quote(job)}, but ${key} was promoted by an older segmint from an ad-hoc run over other input files (it recorded only job "adhoc"); a rule is only checked against runs of its own job`,
      hint: `pass a run over the input files listed in created_from.inputs of ${key}; if this run is of that job over changed files, write created_from.job: ${job} in its file (outside the content hash)`,
    }),
  badAsOf: (value: string) =>
    new SegmintError({
      code: 'E_BAD_FLAG',
      stage: 'cli',
      subject: 'as-of',
      message: `--as-of ${quote(value)} is not a date or time`,
      hint: 'write it as ISO 8601: 2026-10-31, 2026-10-31T12:00:00Z or 2026-10-31T14:00:00+02:00',
    }),
  membershipsInvalid: (file: string, problem: string) =>
    new SegmintError({
      code: 'E_MEMBERSHIPS_FILE',
      stage: 'rules',
      subject: file,
      message: `${file}: ${problem}; nothing was overwritten`,
      hint: 'memberships.csv in --out is the previous run of rules apply: restore it, or point --out at a fresh folder',
    }),
  /** `rules export --to posthog --memberships FILE` given a file that cannot be these segments' members. */
  exportMemberships: (file: string, problem: string) =>
    new SegmintError({
      code: 'E_MEMBERSHIPS_FILE',
      stage: 'rules',
      subject: file,
      message: `--memberships ${file}: ${problem}; nothing was exported`,
      hint: 'give the memberships.csv that rules apply wrote for this ruleset, after its latest promotion (segmint rules apply --ruleset DIR … --out DIR)',
    }),
  decayed: (keys: readonly string[]) =>
    new SegmintError({
      code: 'E_RULE_DECAYED',
      stage: 'rules',
      subject: keys.join(', '),
      message: `${keys.length} promoted rule(s) no longer describe their segment: ${keys.join(', ')}`,
      hint: 'review the table above; re-promote from this run (segmint rules promote RUN SEGMENT --ruleset DIR) or retire the segment',
    }),
  runInputsGone: (run: string, why: string) =>
    new SegmintError({
      code: 'E_RUN_INPUTS',
      stage: 'rules',
      subject: run,
      message: `the inputs of run ${run} cannot be read as the run read them: ${why}`,
      hint: 'check promoted rules right after a discovery run, while its inputs are in place',
    }),
  noRunUsers: (run: string) =>
    new SegmintError({
      code: 'E_RUN_FILE',
      stage: 'rules',
      subject: run,
      message: `run ${run} has no users to check against`,
      hint: 'pass a finished run folder with its assignments.csv',
    }),
  folderNotFound: (dir: string) =>
    new SegmintError({
      code: 'E_RULESET_NOT_FOUND',
      stage: 'rules',
      subject: dir,
      message: `ruleset folder not found: ${dir}`,
      hint: 'check the path; a ruleset is the folder rules promote writes into (one .yaml file per promoted segment)',
    }),
  versionRefInvalid: (given: string) =>
    new SegmintError({
      code: 'E_BAD_VERSION_REF',
      stage: 'cli',
      subject: given,
      message: `${quote(given)} is not a promoted segment version (expected KEY@VERSION, e.g. trial-explorers-1a2b3c@1)`,
      hint: 'with --ruleset DIR, name two versions of one segment as `segmint rules list --ruleset DIR` shows its key: KEY@1 KEY@2',
    }),
  versionsOfTwoKeys: (a: string, b: string) =>
    new SegmintError({
      code: 'E_BAD_VERSION_REF',
      stage: 'cli',
      subject: `${a} ${b}`,
      message: `${a} and ${b} are versions of different promoted segments; rules diff --ruleset compares two versions of one`,
      hint: 'name the same key twice (KEY@1 KEY@2), or compare two ruleset folders: segmint rules diff DIR_A DIR_B',
    }),
} as const;

/**
 * Errors of warehouse runs (`segmint run --warehouse URL`, src/warehouse): connecting, finding the
 * tables and columns, permissions. The URL in these messages never holds a password.
 */
export const warehouseErrors = {
  unsupportedUrl: (url: string) =>
    new SegmintError({
      code: 'E_WAREHOUSE_URL',
      stage: 'config',
      subject: url,
      message: `${quote(url)} is not a warehouse URL segmint can connect to (it connects to PostgreSQL: postgres://user@host:5432/database)`,
      hint: 'give --warehouse postgres://USER@HOST:PORT/DATABASE; BigQuery, Snowflake and ClickHouse SQL is rendered (rules export --dialect), not run',
    }),
  passwordInUrl: (redacted: string) =>
    new SegmintError({
      code: 'E_WAREHOUSE_URL',
      stage: 'config',
      subject: redacted,
      message: `the warehouse URL ${redacted} holds a password or another credential (user:password@, or a query parameter such as password=, passfile=, sslpassword=); segmint never takes one on the command line or in a config`,
      hint: 'remove it from the URL and set SEGMINT_WAREHOUSE_PASSWORD (or PGPASSWORD) in the environment instead',
    }),
  filesAndWarehouse: () =>
    new SegmintError({
      code: 'E_WAREHOUSE_CONFLICT',
      stage: 'config',
      message: 'a run reads either files (--events / --users / --accounts, inputs.*.path) or a warehouse (--warehouse, inputs.warehouse), not both',
      hint: 'drop the file inputs for a warehouse run, or drop --warehouse to read the files',
    }),
  tableWithoutWarehouse: (flag: string) =>
    new SegmintError({
      code: 'E_WAREHOUSE_CONFLICT',
      stage: 'config',
      subject: flag,
      message: `--${flag} names a warehouse table, but no warehouse was given`,
      hint: 'add --warehouse postgres://USER@HOST:PORT/DATABASE (or inputs.warehouse.url in the config)',
    }),
  unreachable: (url: string, reason: string) =>
    new SegmintError({
      code: 'E_WAREHOUSE_UNREACHABLE',
      stage: 'ingest',
      subject: url,
      message: `cannot reach the warehouse at ${url}: ${reason}`,
      hint: 'check the host and port, that the server is running and accepts connections from here',
    }),
  authentication: (url: string, reason: string) =>
    new SegmintError({
      code: 'E_WAREHOUSE_AUTH',
      stage: 'ingest',
      subject: url,
      message: `the warehouse at ${url} refused the login: ${reason}`,
      hint: 'check the user and database in the URL and the password in SEGMINT_WAREHOUSE_PASSWORD (or PGPASSWORD)',
    }),
  passwordMissing: (url: string) =>
    new SegmintError({
      code: 'E_WAREHOUSE_AUTH',
      stage: 'ingest',
      subject: url,
      message: `the warehouse at ${url} asks this login for a password, and none was given`,
      hint: 'set SEGMINT_WAREHOUSE_PASSWORD (or PGPASSWORD) in the environment to the password of the user in the URL',
    }),
  sslRefused: (url: string) =>
    new SegmintError({
      code: 'E_WAREHOUSE_SSL',
      stage: 'ingest',
      subject: url,
      message: `the warehouse at ${url} does not accept SSL connections, and the URL asks for one (sslmode=require, verify-ca or verify-full)`,
      hint: 'turn SSL on in the server (ssl = on in postgresql.conf), or, where the connection may go unencrypted, drop sslmode from the URL',
    }),
  tempDenied: (url: string, database: string, user: string, reason: string) =>
    new SegmintError({
      code: 'E_WAREHOUSE_PERMISSION',
      stage: 'ingest',
      subject: database,
      message: `the warehouse user may not create temporary tables at ${url}: ${reason}`,
      hint: `segmint keeps the window's rows and the features in temporary tables: grant it TEMP on the database (GRANT TEMP ON DATABASE ${database} TO ${user})`,
    }),
  tableMissing: (table: string, url: string) =>
    new SegmintError({
      code: 'E_WAREHOUSE_TABLE',
      stage: 'ingest',
      subject: table,
      message: `the warehouse at ${url} has no table ${table}`,
      hint: 'check the name (schema.table; unqualified names are looked up on the search path), e.g. --events-table analytics.events',
    }),
  permissionDenied: (what: string, url: string, reason: string) =>
    new SegmintError({
      code: 'E_WAREHOUSE_PERMISSION',
      stage: 'ingest',
      subject: what,
      message: `the warehouse user may not read ${what} at ${url}: ${reason}`,
      hint: 'grant it SELECT on the tables (and USAGE on their schema), e.g. GRANT SELECT ON analytics.events TO segmint',
    }),
  columnType: (table: string, column: string, role: string, type: string, expected: string) =>
    new SegmintError({
      code: 'E_WAREHOUSE_COLUMN_TYPE',
      stage: 'ingest',
      subject: `${table}.${column}`,
      message: `${table}.${column} (the ${role} column) is ${type}; segmint reads ${expected} there`,
      hint: 'name another column in inputs.warehouse, or cast it in a view and point segmint at the view',
    }),
  notOurTable: (table: string, url: string) =>
    new SegmintError({
      code: 'E_WAREHOUSE_TABLE',
      stage: 'report',
      subject: table,
      message: `${table} already exists at ${url} and was not written by segmint, so it is not replaced`,
      hint: 'name a new table for --write-assignments (segmint replaces only tables it wrote itself)',
    }),
  /**
   * `sqlState`: the server's error code. Class 22 (data exception: a date, number or text the
   * server would not convert) means a value segmint should have judged as a rejected row.
   */
  queryFailed: (url: string, reason: string, sqlState?: string) =>
    new SegmintError({
      code: 'E_WAREHOUSE_QUERY',
      stage: 'ingest',
      subject: url,
      message: `the warehouse at ${url} could not run segmint's query: ${reason}`,
      hint: sqlState?.startsWith('22')
        ? 'a value in one of the tables could not be converted; leave its column out (exclude: in the users or accounts block) or clean it, and report it: segmint should reject such a row, not stop'
        : 'check the tables hold what segmint expects (events with a user id, an event name and a timestamp); if they do, report this line',
    }),
} as const;

export type { Warning, WarningCode } from './warnings.js';

/**
 * Errors of the promotion workflow (`rules promote|apply|check|export|diff|list --ruleset`), in
 * the catalog's shape (code, stage, subject, one-line message, hint). They live beside the code
 * rather than in `core/messages.ts` only because that file is being changed by another piece of
 * work in flight; moving them there is a cut and paste.
 */
import { SegmintError } from '../core/errors.js';

const q = (v: unknown): string => JSON.stringify(String(v));

export const rulesetErrors = {
  fileInvalid: (file: string, field: string, problem: string) =>
    new SegmintError({
      code: 'E_RULESET_FILE',
      stage: 'rules',
      subject: field ? `${file}: ${field}` : file,
      message: `${file}: ${field ? `${field}: ` : ''}${problem}`,
      hint: 'fix the file by hand (git diff shows what changed) or restore it from version control; segmint rules promote rewrites it',
    }),
  conflict: (file: string, what: string) =>
    new SegmintError({
      code: 'E_RULESET_CONFLICT',
      stage: 'rules',
      subject: file,
      message: `${file} ${what} since segmint read it; nothing was overwritten`,
      hint: 'run the command again to work from the current file (review the other change first)',
    }),
  notFound: (dir: string) =>
    new SegmintError({
      code: 'E_RULESET_NOT_FOUND',
      stage: 'rules',
      subject: dir,
      message: `no promoted segments in ${dir}`,
      hint: 'promote some first: segmint rules promote RUN SEGMENT --ruleset DIR',
    }),
  segmentNotFound: (run: string, given: string, available: readonly string[]) =>
    new SegmintError({
      code: 'E_SEGMENT_NOT_FOUND',
      stage: 'rules',
      subject: given,
      message: `run ${run} has no segment ${q(given)} (segments: ${available.join(', ')})`,
      hint: 'name a segment by its id or its name as `segmint rules list RUN` shows them, or all',
    }),
  keyNotFound: (dir: string, given: string, keys: readonly string[]) =>
    new SegmintError({
      code: 'E_SEGMENT_NOT_FOUND',
      stage: 'rules',
      subject: given,
      message: `${dir} has no promoted segment ${q(given)} (keys: ${keys.join(', ') || 'none'})`,
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
  dataLacksEvent: (key: string, event: string, files: string) =>
    new SegmintError({
      code: 'E_RULE_DATA_MISSING',
      stage: 'rules',
      subject: event,
      message: `the rule of ${key} counts event ${q(event)}, which no event in the window of ${files} has`,
      hint: 'check that these are the same kind of export the rule was promoted from (event names are case-sensitive), or re-promote the segment from a newer run',
    }),
  dataLacksColumn: (key: string, table: string, column: string, files: string) =>
    new SegmintError({
      code: 'E_RULE_DATA_MISSING',
      stage: 'rules',
      subject: column,
      message: `the rule of ${key} reads column ${q(column)} of the ${table} table, which ${files || `no ${table} input`} lacks`,
      hint: `give the ${table} table the rule was promoted with (--${table} FILE), with that column`,
    }),
  otherJob: (run: string, job: string, key: string, expected: string) =>
    new SegmintError({
      code: 'E_RUN_OTHER_JOB',
      stage: 'rules',
      subject: run,
      message: `run ${run} is from job ${q(job)}, but ${key} was promoted from job ${q(expected)}; a rule is only checked against runs of its own job`,
      hint: 'pass a run of the same pipeline config (segmint runs list shows each run\'s config name)',
    }),
  badAsOf: (value: string) =>
    new SegmintError({
      code: 'E_BAD_FLAG',
      stage: 'cli',
      subject: 'as-of',
      message: `--as-of ${q(value)} is not a date or time`,
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
} as const;

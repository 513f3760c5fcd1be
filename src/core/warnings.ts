/**
 * Every warning a run can give, in one catalog beside the errors (messages.ts): stages call these
 * factories and hand the result to `ctx.warn`; tests compare against them. A warning is one line
 * that says what happened, how much, and what to do about it when something can be done.
 */
import { basename } from 'node:path';
import type { Stage } from './errors.js';
import { listWords } from './listWords.js';

export type WarningCode =
  | 'W_DROPPED_FEATURE'
  | 'W_NO_STRONG_STRUCTURE'
  | 'W_UNSTABLE_SEGMENT'
  | 'W_NO_GAP_BETWEEN_SEGMENTS'
  | 'W_REJECTED_ROWS'
  | 'W_OUT_OF_WINDOW'
  | 'W_DUPLICATES'
  | 'W_DUPLICATE_KEYS'
  | 'W_UNMATCHED_USERS'
  | 'W_RULE_WEAK'
  | 'W_K_CAPPED'
  | 'W_SET_ASIDE'
  | 'W_EMPTY_SEGMENT'
  | 'W_SMALL_SEGMENT'
  | 'W_ATTRIBUTE_SEGMENTS'
  | 'W_NON_FINITE_VALUES'
  | 'W_COLUMN_TYPES'
  | 'W_PREVIOUS_OTHER_JOB'
  | 'W_PREVIOUS_SKIPPED'
  | 'W_PREVIOUS_NO_SHARED_USERS'
  | 'W_APPLY_OTHER_MEMBERSHIPS'
  | 'W_APPLY_BACKWARDS'
  | 'W_APPLY_NEW_VERSION';

export interface Warning {
  readonly code: WarningCode;
  readonly stage: string;
  readonly message: string;
}

const warning = (code: WarningCode, stage: Stage, message: string): Warning => ({ code, stage, message });
const pct = (part: number, whole: number) => ((100 * part) / whole).toFixed(1);

export const warnings = {
  // ingest
  /** `listedIn`: the file the command writes the rejected rows to (a run's rejects.csv), or null when it writes none. */
  rejectedRows: (role: string, rejected: number, read: number, first: { file: string; line: number; reason: string }, listedIn: string | null = null) =>
    warning(
      'W_REJECTED_ROWS',
      'ingest',
      `${rejected} of ${read} ${role} rows rejected (first: ${basename(first.file)}:${first.line} ${first.reason})${listedIn === null ? '' : `; they are listed in ${listedIn}`}`,
    ),
  duplicateEvents: (duplicates: number, read: number) =>
    warning('W_DUPLICATES', 'ingest', `${duplicates} of ${read} events repeat an earlier event (the same event id, user, event and time); each was counted once`),
  /** `byEvent`: rows set aside per vendor event name, most first; the first 8 are named. */
  setAside: (setAside: number, read: number, byEvent: readonly { readonly event: string; readonly rows: number }[]) =>
    warning(
      'W_SET_ASIDE',
      'ingest',
      `${setAside} of ${read} events are vendor-internal (${[
        ...byEvent.slice(0, 8).map((s) => `${s.event} ${s.rows}`),
        ...(byEvent.length > 8 ? [`${byEvent.length - 8} more`] : []),
      ].join(', ')}) and were set aside, not counted as behaviour; ` +
        'set features.include_internal_events: true to count them',
    ),
  /** `users`: users left out by the window, with events only before it (no user goes unmentioned). */
  outOfWindow: (outOfWindow: number, read: number, window: { readonly start: string; readonly end: string }, users = 0) =>
    warning(
      'W_OUT_OF_WINDOW',
      'ingest',
      `${outOfWindow} of ${read} events fall outside the analysis window ${window.start} to ${window.end} and were not used` +
        (users > 0
          ? `; ${users} user${users === 1 ? ' has' : 's have'} events only before it, so no behaviour of theirs is segmented (widen window.days, or --window-days all, to include them)`
          : ''),
    ),
  /** `keyWords`: 'user id' or 'account id' (a u- word takes "a": "a user id", "an account id"). */
  duplicateKeys: (count: number, role: string, keyWords: string, example: string | null) =>
    warning('W_DUPLICATE_KEYS', 'ingest', `${count} ${role} ${count === 1 ? 'row repeats' : 'rows repeat'} ${/^[aeio]/i.test(keyWords) ? 'an' : 'a'} ${keyWords} already seen (e.g. ${JSON.stringify(example)}); the first row of each was kept`),
  /** `first.line`: null for a warehouse table (its rows have no order to point at). */
  nonFiniteValues: (count: number, role: string, column: string, first: { file: string; line: number | null; value: string }) =>
    warning(
      'W_NON_FINITE_VALUES',
      'ingest',
      `${count} ${role} value(s) in column ${JSON.stringify(column)} are not finite numbers (infinite, NaN or too large) ` +
        `(first: ${first.line === null ? `table ${first.file}` : `${basename(first.file)}:${first.line}`} ${JSON.stringify(first.value)}); they were read as missing`,
    ),

  /** Integer codes read as categories and identifiers left out, so the analyst can override them. */
  detectedTypes: (role: 'users' | 'accounts', detected: readonly { readonly column: string; readonly as: 'category' | 'id'; readonly why: string }[]) => {
    const of = (as: 'category' | 'id') => detected.filter((d) => d.as === as).map((d) => `${d.column} (${d.why})`);
    const parts = [
      ...(of('category').length ? [`read as categories (integer codes): ${of('category').join(', ')}`] : []),
      ...(of('id').length ? [`left out as identifiers: ${of('id').join(', ')}`] : []),
    ];
    const example = detected[0];
    return warning(
      'W_COLUMN_TYPES',
      'ingest',
      // A whole number unique per row is an amount as often as an id (revenue in cents): suggest number.
      `${role} columns ${parts.join('; ')}; to decide yourself, set inputs.${role}.types, e.g. { ${example.column}: ${example.as === 'category' || /whole number/.test(example.why) ? 'number' : 'category'} }`,
    );
  },

  /**
   * Columns left out of the attributes for a reason no other warning gives (personal data by name,
   * text unique per row, no values; identifiers by name in a warehouse table), by reason.
   */
  columnsLeftOut: (role: 'users' | 'accounts', excluded: readonly { readonly column: string; readonly reason: string }[], from: 'files' | 'warehouse' = 'files') => {
    const reasons = [...new Set(excluded.map((e) => e.reason))];
    const groups = reasons.map((r) => `${excluded.filter((e) => e.reason === r).map((e) => e.column).join(', ')} (${r})`);
    // A warehouse table's columns have no declared types: a view can give one another name.
    const hint = from === 'files' ? `set inputs.${role}.types, e.g. { ${excluded[0].column}: category }` : 'select it under another name in a view';
    return warning('W_COLUMN_TYPES', 'ingest', `${role} columns left out of the attributes: ${groups.join('; ')}; to use one, ${hint}`);
  },

  /** Warehouse columns of a type no attribute is made of (arrays, JSON, geometry), so their absence is not a mystery. */
  unreadableColumns: (role: 'users' | 'accounts', columns: readonly { readonly column: string; readonly type: string }[]) =>
    warning(
      'W_COLUMN_TYPES',
      'ingest',
      `${role} columns left out for their type: ${columns.map((c) => `${c.column} (${c.type})`).join(', ')}; attributes are read from numbers, flags, dates and text — cast such a column in a view to use it`,
    ),

  // features
  /** `caseOnly`: how many of them have a users row when case is ignored, with one such pair (ids are compared exactly). */
  usersWithoutRow: (count: number, total: number, caseOnly: { readonly count: number; readonly events: string; readonly users: string } | null = null) =>
    warning(
      'W_UNMATCHED_USERS',
      'features',
      `${count} of ${total} users with events have no row in the users table; their user attributes are empty` +
        (caseOnly === null || caseOnly.count === 0
          ? ''
          : `; ${caseOnly.count} of them differ from a users row only in case (e.g. ${JSON.stringify(caseOnly.events)} in the events, ${JSON.stringify(caseOnly.users)} in the users table): ids are compared exactly, so make their case agree at the source`),
    ),
  usersWithoutAccount: (count: number, total: number) =>
    warning('W_UNMATCHED_USERS', 'features', `${count} of ${total} users with events name an account missing from the accounts table; their account attributes are empty`),

  // transform
  droppedFeature: (column: string, label: string | null, reason: string) =>
    warning('W_DROPPED_FEATURE', 'transform', `dropped ${column}${label === null ? '' : ` (${label})`} from clustering: ${reason}`),

  // cluster
  kCapped: (range: readonly [number, number], lo: number, hi: number, users: number) =>
    warning('W_K_CAPPED', 'cluster', `k range ${range[0]}..${range[1]} capped to ${lo}..${hi}: only ${users} users`),
  noStrongStructure: (reason: string) => warning('W_NO_STRONG_STRUCTURE', 'cluster', reason),
  smallStableSegment: (segment: number, size: number, users: number, minShare: number) =>
    warning(
      'W_SMALL_SEGMENT',
      'cluster',
      `segment ${segment} holds ${pct(size, users)}% of users (${size}), below cluster.min_share (${(100 * minShare).toFixed(1)}%): a small distinct group, kept because resampling reproduces it`,
    ),
  segmentBelowMinSize: (segment: number, size: number, minSize: number, k: number, fixed: boolean) =>
    warning(
      'W_SMALL_SEGMENT',
      'cluster',
      `segment ${segment} has ${size} users, fewer than cluster.min_size (${minSize}): ` +
        (fixed
          ? `k = ${k} was fixed; a smaller k avoids it`
          : k === 2
            ? 'k = 2 is the fewest segments segmint fits, so this small group could not be merged away'
            : `no candidate k kept every segment that large, and k = ${k} was the best; --k ${k - 1} merges it`),
    ),
  emptySegment: (segment: number, k: number) =>
    warning('W_EMPTY_SEGMENT', 'cluster', `segment ${segment} is empty: the users have fewer distinct profiles than k = ${k}`),
  unstableSegment: (segment: number, jaccard: number, threshold: number) =>
    warning('W_UNSTABLE_SEGMENT', 'cluster', `segment ${segment} is unstable: it is recovered with Jaccard ${jaccard.toFixed(2)} across resamples (below ${threshold})`),
  /**
   * `differ`: the labels of what sets them apart most; `byStageOnly`: all of it is how much, how
   * recently or how often (profile/apart.ts), the one case where "one persona at two stages" is
   * the likelier reading.
   */
  noGapBetween: (a: number, b: number, ratio: number, differ: readonly string[], byStageOnly: boolean) =>
    warning(
      'W_NO_GAP_BETWEEN_SEGMENTS',
      'cluster',
      `segments ${a} and ${b} have no clear gap between them (split along the line joining them, their users leave ${Math.round(100 * ratio)}% of their scatter; separate groups leave under 20%)` +
        (differ.length === 0
          ? ': they may be one group cut in two'
          : `; they differ most in ${listWords(differ)}` +
            (byStageOnly
              ? ', so they may be one persona at two stages (newer and older, more and less active)'
              : ', not only in how much or how recently, so they are more likely two groups that blend into each other than one cut in two')) +
        '; compare their traits before promoting a rule for either',
    ),
  attributeSegments: () =>
    warning(
      'W_ATTRIBUTE_SEGMENTS',
      'cluster',
      'behaviour alone showed no strong structure, so segments were sought with user and account attributes too (transform.weights.attribute: auto); set a number to decide yourself',
    ),

  // rules apply (ruleset/apply-record.ts): changes.csv that is not users entering and leaving
  applyOtherMemberships: (rows: number, segments: readonly string[]) =>
    warning(
      'W_APPLY_OTHER_MEMBERSHIPS',
      'rules',
      `the previous memberships.csv in --out holds none of this ruleset's segments (its ${rows.toLocaleString('en-US')} rows are of ${segments.slice(0, 3).join(', ')}${segments.length > 3 ? ', …' : ''}): changes.csv records every one of them as an exit; give each ruleset its own --out folder`,
    ),
  applyBackwards: (asOf: string, previous: string) =>
    warning('W_APPLY_BACKWARDS', 'rules', `as of ${asOf} UTC, before the previous apply's ${previous} UTC: changes.csv runs backwards in time (entries are users who left since, exits users who joined)`),
  applyNewVersion: (key: string, was: number, now: number) =>
    warning('W_APPLY_NEW_VERSION', 'rules', `${key} was selected by v${was} last time and by v${now} now: its entries and exits include the rule's change, not only users' behaviour`),

  // lineage (run/lineage.ts)
  previousOtherJob: (run: string, theirs: string, ours: string) =>
    warning('W_PREVIOUS_OTHER_JOB', 'report', `the previous run ${run} is from job "${theirs}", not "${ours}": segment keys and drift compare two different jobs`),
  /** A newer run of the job (or of a job its manifest no longer tells) that does not load: `runs list` names it the same way. */
  previousSkipped: (dir: string, reason: string, instead: string | null) =>
    warning(
      'W_PREVIOUS_SKIPPED',
      'report',
      `skipped ${dir} as the previous run: ${reason}; ${instead === null ? 'compared with no run' : `compared with the older run ${instead} instead`} (pass --previous RUN to choose one, or --no-previous)`,
    ),
  previousSharesNoUsers: (run: string) =>
    warning('W_PREVIOUS_NO_SHARED_USERS', 'report', `the previous run ${run} shares no segmented users with this one: every segment is new (are these the same users?)`),

  // rules
  weakRule: (segmentName: string, f1: number, threshold: number) =>
    // Truncated, not rounded, so 0.498 never reads "0.50 (below 0.5)".
    warning(
      'W_RULE_WEAK',
      'rules',
      `the best rule for segment ${JSON.stringify(segmentName)} has F1 ${(Math.floor(f1 * 100) / 100).toFixed(2)} (below ${threshold}); read it as a rough description, not a definition`,
    ),
} as const;

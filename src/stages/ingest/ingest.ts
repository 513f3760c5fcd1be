/**
 * The ingest stage: input files → DuckDB tables `events`, `users`, `accounts`, with every input
 * row accounted for.
 *
 *   1. Resolve files (globs and directories, sorted); one pass over each: fingerprint, gzip
 *      complete, blank lines.
 *   2. Events (absent in attribute-only runs): plain columns or a vendor preset; judge, window
 *      → `events`.
 *   3. Accounts, then users (the users → accounts join column depends on both) → typed tables;
 *      without them, the user and account properties vendor events carry.
 *   4. Warnings for everything that was not used.
 */
import { warnings } from '../../core/warnings.js';
import type { ResolvedConfig } from '../../config/types.js';
import type { RunContext } from '../../core/context.js';
import type { Db } from '../../core/duckdb.js';
import { errors } from '../../core/messages.js';
import { quoteIdent } from '../../core/sql.js';
import { unsaidExclusions } from './attributes.js';
import { ACCOUNT_ID_NAMES, USER_ID_NAMES, findColumn, resolveColumn } from './columns.js';
import { accountsFromEvents, usersFromEvents, type DerivedTable } from './eventAttributes.js';
import { ingestEvents, type EventsOutcome } from './events.js';
import { resolveInputs, scanKind } from './files.js';
import { windowEndSql, windowFrom } from './judge.js';
import { scanFile, type FileScan } from './scan.js';
import { finishTable, loadTable, outcomesTable, type LoadedTable, type TableOutcome } from './tables.js';
import type { AnalysisWindow, AttributeColumn, IngestResult, RejectedRow, RowAccounting } from './types.js';

export interface IngestOptions {
  /**
   * The run's clock: events dated more than a day after it are rejected as being in the future.
   * Defaults to the wall clock; tests pass a fixed date.
   */
  readonly now?: Date;
  /**
   * The file the command lists rejected rows in (a run's `rejects.csv`), named by the warning
   * about them; validate, assign and rules apply write none, so their warning names no file.
   */
  readonly rejectsFile?: string;
  /**
   * The exclude lists came with a fitted run (assign, rules apply): a newer users or accounts
   * table may have dropped a column the run excluded, which is harmless. A run's own config is
   * held to its word (a misspelt exclude would leave the column clustered on).
   */
  readonly excludedMayBeMissing?: boolean;
}

/**
 * Run the ingest stage.
 *
 * @example
 * const db = await openDb();
 * const result = await ingest(db, config, createContext(config.seed));
 * result.accounting[0]; // { role: 'events', read: 1200, used: 1150, outOfWindow: 40, duplicates: 2, rejected: 8, … }
 */
export async function ingest(db: Db, config: ResolvedConfig, ctx: RunContext, options: IngestOptions = {}): Promise<IngestResult> {
  const now = options.now ?? new Date();
  const { events: eventsInput, users: usersInput, accounts: accountsInput } = config.inputs;
  if (!eventsInput && !usersInput) throw errors.noEventsGiven();

  // 1. Files first, so a missing file fails before any reading. Each file's scan (fingerprint,
  //    complete gzip, blank lines) runs in the background, one file after another, while DuckDB
  //    reads; a file's rows are only trusted once its scan has passed.
  const eventFiles = eventsInput ? await resolveInputs(eventsInput.paths, 'events') : [];
  const userFiles = usersInput ? await resolveInputs(usersInput.paths, 'users') : [];
  const accountFiles = accountsInput ? await resolveInputs(accountsInput.paths, 'accounts') : [];
  const allFiles = [...eventFiles, ...userFiles, ...accountFiles];
  const scans = scanInOrder(allFiles);
  const textOf = (files: readonly string[]) =>
    files.map((f) => {
      const text = scans.get(f)!.then((s) => s.text);
      text.catch(() => {}); // handled where awaited
      return text;
    });

  let events: EventsOutcome | null = null;
  try {
    // 2. Events.
    if (eventsInput) {
      events = await ingestEvents(db, eventFiles, textOf(eventFiles), config, ctx, now);
      ctx.log.info(`events: ${events.accounting.used} of ${events.accounting.read} rows used`);
    }

    // 3. Attribute tables. Accounts reach users only through a users table (or the user
    //    properties a vendor export carries): without either they would be read, counted as
    //    used, and join nothing.
    if (accountsInput && !usersInput && !events?.propertiesSource) throw errors.accountsWithoutUsers(accountFiles.join(', '));
    const accountsLoaded = accountsInput ? await loadTable(db, 'accounts', accountFiles, textOf(accountFiles)) : null;
    const usersLoaded = usersInput ? await loadTable(db, 'users', userFiles, textOf(userFiles)) : null;
    const accountKey = accountsLoaded
      ? resolveColumn(accountFiles[0], 'account id', accountsInput!.key, accountsLoaded.columns, [...ACCOUNT_ID_NAMES, 'id'], 'inputs.accounts.key')
      : null;
    const userKey = usersLoaded ? resolveColumn(userFiles[0], 'user id', usersInput!.key, usersLoaded.columns, [...USER_ID_NAMES, 'id'], 'inputs.users.key') : null;
    const join = usersLoaded ? joinColumn(usersLoaded, userFiles[0], usersInput!.accountKey, accountKey, userKey!) : null;

    let accounts: TableOutcome | null = null;
    if (accountsLoaded) {
      accounts = await finishTable(db, accountsLoaded, { key: accountKey!, join: null, exclude: accountsInput!.exclude, excludedMayBeMissing: options.excludedMayBeMissing, maxRejectRate: config.output.maxRejectRate, outcomes: accountsInput!.outcomes, types: accountsInput!.types });
    }
    let users: TableOutcome | null = null;
    if (usersLoaded) {
      users = await finishTable(db, usersLoaded, { key: userKey!, join, exclude: usersInput!.exclude, excludedMayBeMissing: options.excludedMayBeMissing, maxRejectRate: config.output.maxRejectRate, outcomes: usersInput!.outcomes, types: usersInput!.types });
    }

    // 3b. No users table: the properties vendor events carry (identify traits, user properties).
    let derivedUsers: DerivedTable | null = null;
    let derivedAccounts: DerivedTable | null = null;
    if (events?.propertiesSource && !usersLoaded) {
      derivedUsers = await usersFromEvents(db, events.propertiesSource);
      if (derivedUsers && !accountsLoaded) derivedAccounts = await accountsFromEvents(db, events.propertiesSource);
      if (derivedUsers) {
        ctx.log.info(
          `users: ${derivedUsers.rows} users with ${derivedUsers.attributes.length} attributes from the properties the events carry` +
            (derivedAccounts ? `; ${derivedAccounts.rows} accounts with ${derivedAccounts.attributes.length} attributes from group calls` : ''),
        );
      }
    }
    // A vendor export without user properties gives no users for the accounts table to join.
    if (accountsLoaded && !usersLoaded && !derivedUsers) throw errors.accountsWithoutUsers(accountFiles.join(', '));

    const fingerprints = [];
    for (const f of allFiles) fingerprints.push((await scans.get(f)!).fingerprint);

    // 4. Say what was not used.
    const accounting: RowAccounting[] = [];
    if (events) accounting.push(events.accounting);
    if (users) accounting.push(users.accounting);
    if (accounts) accounting.push(accounts.accounting);
    const rejects: RejectedRow[] = [...(events?.rejects ?? []), ...(users?.rejects ?? []), ...(accounts?.rejects ?? [])];
    const window = events ? events.window : await attributeWindow(db, config, now, [...(users?.attributes ?? []).map((a) => ['users', a] as const), ...(accounts?.attributes ?? []).map((a) => ['accounts', a] as const)]);
    warn(ctx, accounting, rejects, window, events, options.rejectsFile ?? null);
    if (users) warnDuplicateKeys(ctx, 'users', 'user id', users);
    if (accounts) warnDuplicateKeys(ctx, 'accounts', 'account id', accounts);
    if (users) warnNonFinite(ctx, 'users', users);
    if (accounts) warnNonFinite(ctx, 'accounts', accounts);
    if (users?.detected.length) ctx.warn(warnings.detectedTypes('users', users.detected));
    if (accounts?.detected.length) ctx.warn(warnings.detectedTypes('accounts', accounts.detected));
    for (const [role, table] of [['users', users], ['accounts', accounts]] as const) {
      const unsaid = table ? unsaidExclusions(table.excluded, new Set(table.detected.map((d) => d.column))) : [];
      if (unsaid.length > 0) ctx.warn(warnings.columnsLeftOut(role, unsaid));
    }

    return {
      events: events ? { table: 'events', rows: events.accounting.used, mapping: events.mapping, valueColumns: events.valueColumns } : null,
      users: users
        ? { table: 'users', rows: users.rows, key: userKey!, accountKey: join, source: 'table', attributes: users.attributes, excluded: users.excluded }
        : derivedUsers
          ? { table: 'users', rows: derivedUsers.rows, key: 'user_id', accountKey: 'account_id', source: 'events', attributes: derivedUsers.attributes, excluded: derivedUsers.excluded }
          : null,
      accounts: accounts
        ? { table: 'accounts', rows: accounts.rows, key: accountKey!, source: 'table', attributes: accounts.attributes, excluded: accounts.excluded }
        : derivedAccounts
          ? { table: 'accounts', rows: derivedAccounts.rows, key: 'account_id', source: 'events', attributes: derivedAccounts.attributes, excluded: derivedAccounts.excluded }
          : null,
      window,
      accounting,
      rejects,
      fingerprints,
      ...outcomesOf(users, accounts),
    };
  } finally {
    await events?.dropCanonical();
    // Nothing may still be reading files when ingest returns or throws.
    await Promise.allSettled(scans.values());
  }
}

/**
 * Scan `files` one after another (a file named twice is scanned once), starting now. Every
 * promise has a handler attached, so a failure surfaces where it is awaited, not as an
 * unhandled rejection.
 */
function scanInOrder(files: readonly string[]): Map<string, Promise<FileScan>> {
  const out = new Map<string, Promise<FileScan>>();
  let previous: Promise<unknown> = Promise.resolve();
  for (const f of files) {
    if (out.has(f)) continue;
    const p = previous.then(
      () => scanFile(f, scanKind(f)),
      () => scanFile(f, scanKind(f)),
    );
    p.catch(() => {});
    out.set(f, p);
    previous = p;
  }
  return out;
}

/**
 * The users column that joins to accounts: the configured one; else the accounts key's name if
 * users has it; else an account-id-like name both tables share; else the first account-id-like
 * column of users. Without an accounts table an account-id-like column is still kept as
 * `account_id` (never as an attribute), so it is available to later joins.
 */
function joinColumn(
  users: LoadedTable,
  file: string,
  configured: string | null,
  accountKey: string | null,
  userKey: string,
): string | null {
  const columns = users.columns.filter((c) => c !== userKey);
  if (configured !== null) return resolveColumn(file, 'account id', configured, users.columns, ACCOUNT_ID_NAMES);
  if (accountKey !== null) {
    const same = findColumn(columns, [accountKey]);
    if (same !== null && accountKey.toLowerCase() !== 'id') return same;
    return resolveColumn(file, 'account id', null, columns, ACCOUNT_ID_NAMES, 'inputs.users.account_key');
  }
  return findColumn(columns, ACCOUNT_ID_NAMES);
}

/** The outcome columns ingest kept apart (users first), or nothing when there are none. */
function outcomesOf(users: TableOutcome | null, accounts: TableOutcome | null): Pick<IngestResult, 'outcomes'> {
  const outcomes = [
    ...(users?.outcomes ?? []).map((o) => ({ source: 'users' as const, table: outcomesTable('users'), column: o.column, type: o.type })),
    ...(accounts?.outcomes ?? []).map((o) => ({ source: 'accounts' as const, table: outcomesTable('accounts'), column: o.column, type: o.type })),
  ];
  return outcomes.length > 0 ? { outcomes } : {};
}

/**
 * The window of an attribute-only run: `window.end`, else the latest date in the attribute
 * tables (the end of that day), else the start of the run's day. Only date attributes (turned
 * into ages in days) refer to it.
 */
async function attributeWindow(
  db: Db,
  config: ResolvedConfig,
  now: Date,
  attributes: readonly (readonly ['users' | 'accounts', AttributeColumn])[],
): Promise<AnalysisWindow> {
  const { days, end } = config.window;
  if (end !== null) {
    const window = await windowFrom(db, windowEndSql(end), days);
    if (window === null) throw errors.configInvalid(config.source ?? 'config', 'window.end', 'an ISO date or date-time', end);
    return window;
  }
  const dates = attributes.filter(([, a]) => a.type === 'DATE');
  let latest: string | null = null;
  if (dates.length > 0) {
    const maxes = dates.map(([table, a]) => `(SELECT max(${quoteIdent(a.column)}) FROM ${table})`);
    const [row] = await db.all<{ d: string | null }>(`SELECT strftime(list_max([${maxes.join(', ')}]), '%Y-%m-%d') AS d`);
    latest = row.d;
  }
  const day = latest ?? now.toISOString().slice(0, 10);
  const endSql = latest ? windowEndSql(day) : `TIMESTAMP '${day} 00:00:00'`;
  return (await windowFrom(db, endSql, days))!;
}

function warn(
  ctx: RunContext,
  accounting: readonly RowAccounting[],
  rejects: readonly RejectedRow[],
  window: { start: string; end: string },
  events: EventsOutcome | null,
  rejectsFile: string | null,
): void {
  for (const a of accounting) {
    if (a.rejected > 0) {
      const first = rejects.find((r) => a.files.includes(r.file))!;
      ctx.warn(warnings.rejectedRows(a.role, a.rejected, a.read, first, rejectsFile));
    }
  }
  const ev = accounting.find((a) => a.role === 'events');
  if (!ev || !events) return;
  if (ev.duplicates > 0) {
    ctx.warn(warnings.duplicateEvents(ev.duplicates, ev.read));
  }
  if ((ev.setAside ?? 0) > 0) ctx.warn(warnings.setAside(ev.setAside ?? 0, ev.read, events.setAside));
  if (ev.outOfWindow > 0) {
    ctx.warn(warnings.outOfWindow(ev.outOfWindow, ev.read, window, ev.usersOutOfWindow));
  }
}

function warnDuplicateKeys(ctx: RunContext, role: string, keyWords: string, table: TableOutcome): void {
  const { count, example } = table.duplicateKeys;
  if (count === 0) return;
  ctx.warn(warnings.duplicateKeys(count, role, keyWords, example));
}

/**
 * Numbers a double cannot hold (`1e309`) in a numeric attribute are read as missing rather than
 * rejecting the whole row: one bad cell should not cost a user all its other attributes. The
 * warning says how many and where the first one is, so none goes unnoticed.
 */
function warnNonFinite(ctx: RunContext, role: string, table: TableOutcome): void {
  for (const { column, count, first } of table.nonFinite) {
    ctx.warn(warnings.nonFiniteValues(count, role, column, first));
  }
}

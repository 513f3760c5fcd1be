/**
 * The ingest stage: input files → DuckDB tables `events`, `users`, `accounts`, with every input
 * row accounted for.
 *
 *   1. Resolve files (globs and directories, sorted) and fingerprint them.
 *   2. Events: load, map columns, judge rows, window → `events`.
 *   3. Accounts, then users (the users → accounts join column depends on both) → typed tables.
 *   4. Warnings for everything that was not used.
 */
import path from 'node:path';
import type { ResolvedConfig } from '../../config/types.js';
import type { RunContext } from '../../core/context.js';
import type { Db } from '../../core/duckdb.js';
import { ACCOUNT_ID_NAMES, USER_ID_NAMES, findColumn, resolveColumn } from './columns.js';
import { ingestEvents } from './events.js';
import { fingerprint, resolveInputs } from './files.js';
import { finishTable, loadTable, type LoadedTable, type TableOutcome } from './tables.js';
import type { IngestResult, RejectedRow, RowAccounting } from './types.js';

const STAGE = 'ingest';

/**
 * Run the ingest stage.
 *
 * @example
 * const db = await openDb();
 * const result = await ingest(db, config, createContext(config.seed));
 * result.accounting[0]; // { role: 'events', read: 1200, used: 1150, outOfWindow: 40, duplicates: 2, rejected: 8, … }
 */
export async function ingest(db: Db, config: ResolvedConfig, ctx: RunContext): Promise<IngestResult> {
  const { events: eventsInput, users: usersInput, accounts: accountsInput } = config.inputs;

  // 1. Files first, so a missing file fails before any reading.
  const eventFiles = await resolveInputs(eventsInput.paths, 'events');
  const userFiles = usersInput ? await resolveInputs(usersInput.paths, 'users') : [];
  const accountFiles = accountsInput ? await resolveInputs(accountsInput.paths, 'accounts') : [];
  const fingerprints = [];
  for (const f of [...eventFiles, ...userFiles, ...accountFiles]) fingerprints.push(await fingerprint(f));

  // 2. Events.
  const events = await ingestEvents(db, eventFiles, config);
  ctx.log.info(`events: ${events.accounting.used} of ${events.accounting.read} rows used`);

  // 3. Attribute tables.
  const accountsLoaded = accountsInput ? await loadTable(db, 'accounts', accountFiles) : null;
  const usersLoaded = usersInput ? await loadTable(db, 'users', userFiles) : null;
  const accountKey = accountsLoaded
    ? resolveColumn(accountFiles[0], 'account id', accountsInput!.key, accountsLoaded.columns, [...ACCOUNT_ID_NAMES, 'id'])
    : null;
  const userKey = usersLoaded
    ? resolveColumn(userFiles[0], 'user id', usersInput!.key, usersLoaded.columns, [...USER_ID_NAMES, 'id'])
    : null;
  const join = usersLoaded ? joinColumn(usersLoaded, userFiles[0], usersInput!.accountKey, accountKey, userKey!) : null;

  let accounts: TableOutcome | null = null;
  if (accountsLoaded) {
    accounts = await finishTable(db, accountsLoaded, {
      key: accountKey!,
      join: null,
      exclude: accountsInput!.exclude,
      maxRejectRate: config.output.maxRejectRate,
    });
  }
  let users: TableOutcome | null = null;
  if (usersLoaded) {
    users = await finishTable(db, usersLoaded, {
      key: userKey!,
      join,
      exclude: usersInput!.exclude,
      maxRejectRate: config.output.maxRejectRate,
    });
  }

  // 4. Say what was not used.
  const accounting: RowAccounting[] = [events.accounting];
  if (users) accounting.push(users.accounting);
  if (accounts) accounting.push(accounts.accounting);
  const rejects: RejectedRow[] = [...events.rejects, ...(users?.rejects ?? []), ...(accounts?.rejects ?? [])];
  warn(ctx, accounting, rejects, events.window);
  if (users) warnDuplicateKeys(ctx, 'users', 'user id', users);
  if (accounts) warnDuplicateKeys(ctx, 'accounts', 'account id', accounts);

  return {
    events: { table: 'events', rows: events.accounting.used, mapping: events.mapping },
    users: users
      ? { table: 'users', rows: users.rows, key: userKey!, accountKey: join, attributes: users.attributes, excluded: users.excluded }
      : null,
    accounts: accounts
      ? { table: 'accounts', rows: accounts.rows, key: accountKey!, attributes: accounts.attributes, excluded: accounts.excluded }
      : null,
    window: events.window,
    accounting,
    rejects,
    fingerprints,
  };
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
    return resolveColumn(file, 'account id', null, columns, ACCOUNT_ID_NAMES);
  }
  return findColumn(columns, ACCOUNT_ID_NAMES);
}

function warn(
  ctx: RunContext,
  accounting: readonly RowAccounting[],
  rejects: readonly RejectedRow[],
  window: { start: string; end: string },
): void {
  for (const a of accounting) {
    if (a.rejected > 0) {
      const first = rejects.find((r) => a.files.includes(r.file))!;
      ctx.warn(
        'W_REJECTED_ROWS',
        STAGE,
        `${a.rejected} of ${a.read} ${a.role} rows rejected (first: ${path.basename(first.file)}:${first.line} ${first.reason}); ` +
          'they are listed in rejects.csv',
      );
    }
  }
  const ev = accounting[0];
  if (ev.duplicates > 0) {
    ctx.warn('W_DUPLICATES', STAGE, `${ev.duplicates} of ${ev.read} events repeat an event id already seen; each was counted once`);
  }
  if (ev.outOfWindow > 0) {
    ctx.warn(
      'W_OUT_OF_WINDOW',
      STAGE,
      `${ev.outOfWindow} of ${ev.read} events fall outside the analysis window ${window.start} to ${window.end} and were not used`,
    );
  }
}

function warnDuplicateKeys(ctx: RunContext, role: string, keyWords: string, table: TableOutcome): void {
  const { count, example } = table.duplicateKeys;
  if (count === 0) return;
  ctx.warn(
    'W_DUPLICATE_KEYS',
    STAGE,
    `${count} ${role} rows repeat a ${keyWords} already seen (e.g. ${JSON.stringify(example)}); the first row of each was kept`,
  );
}

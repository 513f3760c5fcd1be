/** `segmint rules export --ruleset DIR --to sql|dbt|flagd|posthog --out DIR`. */
import { shownPath } from '../../run/paths.js';
import type { SqlDialect } from '../../ruleset/dialect.js';
import { exportRuleset, type ExportResult, type ExportTarget } from '../../ruleset/export.js';
import type { Io } from '../io.js';

export interface ExportArgs {
  ruleset: string;
  to: ExportTarget;
  out: string;
  dialect?: SqlDialect;
  asOf?: string;
  eventsTable?: string;
  usersTable?: string;
  accountsTable?: string;
  memberships?: string;
}

export function exportCommand(args: ExportArgs, io: Io): ExportResult {
  const result = exportRuleset({
    ruleset: args.ruleset,
    to: args.to,
    out: args.out,
    dialect: args.dialect,
    asOf: args.asOf,
    tables: { events: args.eventsTable, users: args.usersTable, accounts: args.accountsTable },
    memberships: args.memberships,
  });
  io.out(result.files.map((f) => `${shownPath(f)}\n`).join(''));
  for (const n of result.notes) io.out(`${n}\n`);
  return result;
}

/**
 * `rules export`: the active promoted segments where they run — SQL per warehouse dialect, dbt
 * models, flagd targeting, PostHog cohorts. Every file is written atomically into --out, and the
 * export owns that folder: files an earlier export wrote there and this one does not (a retired
 * segment's) are removed, files it did not write are never touched (export/folder.ts).
 */
import { assertUnreachable } from '../core/errors.js';
import type { SqlDialect } from './dialect.js';
import { segmentSqlFile, warehouseTables, type TableNames } from './export/sql.js';
import { dbtProject, dbtRelation } from './export/dbt.js';
import { syncExportFolder } from './export/folder.js';
import { flagdFlagSet } from './export/flagd.js';
import { posthogCohort, posthogMembersCsv } from './export/posthog.js';
import { readMemberships, type Membership } from './memberships.js';
import type { PromotedSegment } from './schema.js';
import { errors, rulesetErrors } from '../core/messages.js';
import { shownPath } from '../run/paths.js';
import { assertOutFolder, makeOutFolder } from './out-folder.js';
import { readRuleset } from './store.js';
import { normalizeAsOf } from './time.js';

export const EXPORT_TARGETS = ['sql', 'dbt', 'flagd', 'posthog'] as const;
export type ExportTarget = (typeof EXPORT_TARGETS)[number];

export interface ExportOptions {
  readonly ruleset: string;
  readonly to: ExportTarget;
  readonly out: string;
  readonly dialect?: SqlDialect;
  readonly asOf?: string;
  readonly tables?: TableNames;
  /** posthog: a memberships.csv from `rules apply`, for the static cohorts' member lists. */
  readonly memberships?: string;
}

export interface ExportResult {
  readonly files: readonly string[];
  /** Files an earlier export wrote into --out that this one no longer writes, now removed. */
  readonly removed: readonly string[];
  /** Lines for stdout beyond the file list (e.g. which PostHog cohorts are static). */
  readonly notes: readonly string[];
}

/**
 * @example
 * exportRuleset({ ruleset: 'rulesets/prod', to: 'sql', dialect: 'postgres', out: 'exported' });
 */
export function exportRuleset(options: ExportOptions): ExportResult {
  assertOutFolder(options.out);
  // Flags the target does not read are refused, not silently ignored (outside check).
  const writesSql = options.to === 'sql' || options.to === 'dbt';
  const tableFlag = (['events', 'users', 'accounts'] as const).find((t) => options.tables?.[t] !== undefined);
  if (!writesSql && options.dialect !== undefined) throw errors.flagNotRead('dialect', `--to ${options.to}, which writes no SQL`, '--to sql and --to dbt');
  if (!writesSql && tableFlag !== undefined) throw errors.flagNotRead(`${tableFlag}-table`, `--to ${options.to}, which writes no SQL`, '--to sql and --to dbt');
  if (options.to !== 'posthog' && options.memberships !== undefined) throw errors.flagNotRead('memberships', `--to ${options.to}`, '--to posthog');
  // Table names are checked before any work; a dbt relation (source:…, ref:…) only for dbt.
  const tables = options.tables ?? {};
  for (const t of ['events', 'users', 'accounts'] as const) {
    const given = tables[t];
    if (given === undefined) continue;
    const relation = dbtRelation(given, `${t}-table`);
    if (relation !== null && options.to !== 'dbt') throw errors.badFlagValue(`${t}-table`, given, 'a table name like analytics.events with --to sql (source: and ref: name dbt relations, for --to dbt)');
    if (relation === null) warehouseTables({ [t]: given });
  }
  const entries = readRuleset(options.ruleset).filter((e) => e.doc.status === 'active');
  const asOf = options.asOf === undefined ? null : normalizeAsOf(options.asOf);
  const dialect = options.dialect ?? 'duckdb';
  const docs = entries.map((e) => e.doc);
  const files: { name: string; content: string }[] = [];
  const notes: string[] = [];
  switch (options.to) {
    case 'sql':
      for (const doc of docs) files.push({ name: `${doc.key}.sql`, content: segmentSqlFile(doc, dialect, asOf, options.tables ?? {}) });
      break;
    case 'dbt':
      files.push(...dbtProject(docs, dialect, asOf, options.tables ?? {}));
      break;
    case 'flagd':
      files.push({ name: 'flags.flagd.json', content: flagdFlagSet(docs) });
      break;
    case 'posthog': {
      const members = options.memberships === undefined ? null : membersFor(options.memberships, docs);
      for (const doc of docs) {
        const cohort = posthogCohort(doc);
        files.push({ name: `${doc.key}.cohort.json`, content: cohort.json });
        if (cohort.kind === 'dynamic') {
          notes.push(`${doc.key}: dynamic cohort (person properties)`);
        } else if (members) {
          const ids = members.filter((m) => m.segment === doc.key).map((m) => m.userId);
          files.push({ name: `${doc.key}.static.csv`, content: posthogMembersCsv(ids) });
          notes.push(`${doc.key}: static cohort (behavioural features PostHog cannot evaluate); upload ${doc.key}.static.csv`);
        } else {
          notes.push(`${doc.key}: static cohort (behavioural features PostHog cannot evaluate); give --memberships memberships.csv from rules apply to write its member list`);
        }
      }
      break;
    }
    default:
      return assertUnreachable(options.to);
  }

  makeOutFolder(options.out);
  const folder = syncExportFolder(options.out, options.to, files);
  return { files: folder.written, removed: folder.removed, notes: [...notes, ...folder.notes] };
}

/**
 * The members `rules apply` wrote, checked against the segments being exported: a static cohort
 * uploaded from the wrong file is wrong in PostHog with nothing to show it (outside check: a path
 * typo exported cohorts with no member lists, another ruleset's file empty ones, and v1's members
 * went out under v2's rule). Only a segment whose rule selected nobody may have no rows.
 */
function membersFor(file: string, docs: readonly PromotedSegment[]): Membership[] {
  const invalid = rulesetErrors.exportMemberships;
  const shown = shownPath(file);
  const members = readMemberships(file, invalid);
  if (members === null) throw invalid(shown, 'no such file');
  const keys = new Set(docs.map((d) => d.key));
  if (members.length > 0 && !members.some((m) => keys.has(m.segment))) {
    throw invalid(shown, `none of its ${members.length} rows is a member of this ruleset's active segments (${[...keys].join(', ') || 'none'})`);
  }
  for (const doc of docs) {
    const stale = members.find((m) => m.segment === doc.key && m.version !== doc.version);
    if (stale !== undefined) throw invalid(shown, `its members of ${doc.key} were selected by version ${stale.version}, the ruleset's rule is version ${doc.version}`);
  }
  return members;
}

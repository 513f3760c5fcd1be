/**
 * `rules export`: the active promoted segments where they run — SQL per warehouse dialect, dbt
 * models, flagd targeting, PostHog cohorts. Every file is written atomically into --out.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { replaceFile } from '../run/output.js';
import type { SqlDialect } from './dialect.js';
import { segmentSqlFile, type TableNames } from './export/sql.js';
import { readRuleset } from './store.js';
import { normalizeAsOf } from './time.js';

export const EXPORT_TARGETS = ['sql'] as const;
export type ExportTarget = (typeof EXPORT_TARGETS)[number];

export interface ExportOptions {
  readonly ruleset: string;
  readonly to: ExportTarget;
  readonly out: string;
  readonly dialect?: SqlDialect;
  readonly asOf?: string;
  readonly tables?: TableNames;
}

export interface ExportResult {
  readonly files: readonly string[];
  /** Lines for stdout beyond the file list (e.g. which PostHog cohorts are static). */
  readonly notes: readonly string[];
}

/**
 * @example
 * exportRuleset({ ruleset: 'rulesets/prod', to: 'sql', dialect: 'postgres', out: 'exported' });
 */
export function exportRuleset(options: ExportOptions): ExportResult {
  const entries = readRuleset(options.ruleset).filter((e) => e.doc.status === 'active');
  const asOf = options.asOf === undefined ? null : normalizeAsOf(options.asOf);
  const dialect = options.dialect ?? 'duckdb';
  const files: { name: string; content: string }[] = [];
  for (const { doc } of entries) files.push({ name: `${doc.key}.sql`, content: segmentSqlFile(doc, dialect, asOf, options.tables ?? {}) });
  mkdirSync(options.out, { recursive: true });
  const written = files.map((f) => {
    const path = join(options.out, f.name);
    replaceFile(path, f.content);
    return path;
  });
  return { files: written, notes: [] };
}

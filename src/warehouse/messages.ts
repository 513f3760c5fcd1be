/**
 * Errors of the write-back (`--write-assignments`) that the warehouse catalog in
 * core/messages.ts has no entry for yet: its `permissionDenied` speaks of reading and hints at
 * SELECT grants, which would send a user who lacks CREATE the wrong way.
 */
import { SegmintError } from '../core/errors.js';

export const writeBackErrors = {
  schemaMissing: (table: string, schema: string | null, url: string) =>
    new SegmintError({
      code: 'E_WAREHOUSE_TABLE',
      stage: 'report',
      subject: table,
      message:
        schema === null
          ? `the warehouse at ${url} has no schema on the search path to create ${table} in`
          : `the warehouse at ${url} has no schema ${schema} to create ${table} in`,
      hint: 'name the table with an existing schema (--write-assignments analytics.segmint_assignments), or create the schema first',
    }),
  writeDenied: (table: string, url: string, reason: string) =>
    new SegmintError({
      code: 'E_WAREHOUSE_PERMISSION',
      stage: 'report',
      subject: table,
      message: `the warehouse user may not write ${table} at ${url}: ${reason}`,
      hint: 'grant it CREATE on the schema (GRANT CREATE ON SCHEMA analytics TO segmint), or name a table in a schema it may create tables in',
    }),
} as const;

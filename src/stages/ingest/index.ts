/** The ingest stage: input files → DuckDB tables `events`, `users`, `accounts`. */
export { ingest, type IngestOptions } from './ingest.js';
export type * from './types.js';

/**
 * Jobs: the runs of one periodic discovery job share segment keys, are compared with each other
 * and have their own `latest-<job>` pointer. A job is the config's name, or, for an ad-hoc run
 * from flags only, the set of inputs it read (so two ad-hoc runs over the same files are one job
 * and runs over other files are not): the file paths, or for a warehouse run the database (host,
 * port, database; never the user or a credential) and the events, users and accounts tables.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ResolvedConfig } from '../config/types.js';
import { isSegmintError } from '../core/errors.js';
import type { Manifest } from './types.js';
import { loadRunDocuments } from './load.js';
import { warehouseLocation } from '../warehouse/url.js';

const sha = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * The job a run belongs to.
 *
 * @example
 * jobOf(loadConfigFile('pipeline/weekly.yaml')); // 'weekly'
 * jobOf(resolveConfig({}, …, { events: ['e.csv'] })); // 'adhoc-3f9a2c1b'
 * jobOf(resolveConfig({}, …, { warehouse: 'postgres://segmint@db:5432/analytics', eventsTable: 'analytics.events' })); // 'adhoc-…' of db:5432/analytics and analytics.events
 */
export function jobOf(config: ResolvedConfig): string {
  if (config.source !== null) return config.name;
  const { events, users, accounts, warehouse } = config.inputs;
  if (warehouse) {
    // A warehouse run reads no paths: its inputs are the database and the tables in it.
    const tables = { events: warehouse.events.table, users: warehouse.users?.table ?? null, accounts: warehouse.accounts?.table ?? null };
    return `adhoc-${sha(JSON.stringify({ warehouse: warehouseLocation(warehouse.url), ...tables })).slice(0, 8)}`;
  }
  const paths = [...(events?.paths ?? []), ...(users?.paths ?? []), ...(accounts?.paths ?? [])].sort();
  return `adhoc-${sha(JSON.stringify(paths)).slice(0, 8)}`;
}

/** The job of a finished run (runs written before jobs existed: derived from their config). */
export function jobOfManifest(manifest: Manifest): string {
  return manifest.job ?? jobOf(manifest.config);
}

/**
 * The file name of a job's latest pointer: `latest-<job>`. Other characters than [A-Za-z0-9._-]
 * become `_`, and then the name gets a short hash of the job's real name: without it the jobs
 * `a/b`, `a b` and `a_b` shared `latest-a_b`, and each run of one moved the others' pointer.
 * Names of safe characters only (every ad-hoc job, most configs) keep `latest-<job>`.
 *
 * @example
 * latestName('weekly'); // 'latest-weekly'
 * latestName('a b');    // 'latest-a_b-' + 8 hex digits
 */
export function latestName(job: string): string {
  const safe = job.replace(/[^A-Za-z0-9._-]/g, '_');
  return safe === job ? `latest-${job}` : `latest-${safe}-${sha(job).slice(0, 8)}`;
}

/** A finished run as listed in a reports folder. */
export interface ListedRun {
  readonly id: string;
  readonly dir: string;
  readonly job: string;
  readonly manifest: Manifest;
}

/**
 * The finished runs in `reportsDir` whose documents load, oldest first (by finish time, then
 * id). `skipped` hears about the others (edited or half-copied runs).
 */
export function listRuns(reportsDir: string, skipped: (dir: string, e: Error & { hint?: string }) => void = () => {}): ListedRun[] {
  if (!existsSync(reportsDir) || !statSync(reportsDir).isDirectory()) return [];
  const ids = readdirSync(reportsDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !d.name.startsWith('.') && existsSync(join(reportsDir, d.name, 'manifest.json')))
    .map((d) => d.name)
    .sort();
  const runs: ListedRun[] = [];
  for (const id of ids) {
    const dir = join(reportsDir, id);
    try {
      const { manifest } = loadRunDocuments(dir);
      runs.push({ id, dir, job: jobOfManifest(manifest), manifest });
    } catch (e) {
      if (!isSegmintError(e)) throw e;
      skipped(dir, e);
    }
  }
  return runs.sort((a, b) => (a.manifest.finishedAt < b.manifest.finishedAt ? -1 : a.manifest.finishedAt > b.manifest.finishedAt ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}


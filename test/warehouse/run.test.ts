/**
 * A warehouse run against a real PostgreSQL holding the bundled sample gives the segments the
 * CSV run gives: same users, same k, same accounting, the same feature columns, ARI ≥ 0.99.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Papa from 'papaparse';
import type pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfigFile, resolveConfig } from '../../src/config/resolve.js';
import { createContext } from '../../src/core/context.js';
import { runPipeline, type RunOutcome } from '../../src/pipeline.js';
import { adjustedRandIndex } from '../../src/stages/cluster/index.js';
import { usePostgres } from '../helpers/postgres.js';
import { tempDir } from '../helpers/tmp.js';
import { DEFAULT_YAML, loadSample, sampleWarehouse, warehouseYaml } from './helpers.js';

describe('segmint run --warehouse (PostgreSQL)', () => {
  const postgres = usePostgres();
  let client: pg.Client;
  let url: string;
  let dir: string;
  let csv: RunOutcome;
  let wh: RunOutcome;

  beforeAll(async () => {
    client = await postgres.connect();
    await loadSample(client);
    const { host, port, user, database } = postgres.cluster.config;
    url = `postgres://${user}@${host}:${port}/${database}`;
    dir = tempDir();
    const fileConfig = loadConfigFile(DEFAULT_YAML, { out: join(dir, 'csv') });
    csv = await runPipeline(fileConfig, createContext(fileConfig.seed));
    const raw = { ...warehouseYaml({ ...sampleWarehouse(url), write_assignments: 'analytics.segmint_assignments' }), output: { dir: join(dir, 'warehouse') } };
    const whConfig = resolveConfig(raw, { file: DEFAULT_YAML, baseDir: dirname(DEFAULT_YAML), source: DEFAULT_YAML });
    wh = await runPipeline(whConfig, createContext(whConfig.seed));
  }, 600_000);

  it('finds the same segments for the same users (same k, ARI >= 0.99)', () => {
    const a = csv.documents.segments;
    const b = wh.documents.segments;
    expect(b.k).toBe(a.k);
    expect(wh.assignments.map((x) => x.userId)).toEqual(csv.assignments.map((x) => x.userId));
    const ari = adjustedRandIndex(csv.assignments.map((x) => x.segment), wh.assignments.map((x) => x.segment));
    expect(ari).toBeGreaterThanOrEqual(0.99);
    expect(b.usersWithoutEvents).toBe(a.usersWithoutEvents);
  });

  it('builds the same feature columns, with the same meanings, in the same order', () => {
    expect(wh.documents.segments.model.features).toEqual(csv.documents.segments.model.features);
    expect(wh.documents.segments.model.meanings).toEqual(csv.documents.segments.model.meanings);
  });

  it('accounts for every row as the file run does, and keeps the window', () => {
    const strip = (m: RunOutcome) => m.documents.manifest.accounting.map(({ files: _files, ...counts }) => counts);
    expect(strip(wh)).toEqual(strip(csv));
    expect(wh.documents.manifest.window).toEqual(csv.documents.manifest.window);
    expect(wh.documents.manifest.mapping).toMatchObject({ userId: 'user_id', event: 'event', timestamp: 'timestamp', eventId: 'event_id' });
  });

  it('records the warehouse tables as the run inputs, by a URL without a password', () => {
    const manifest = JSON.stringify(wh.documents.manifest);
    expect(manifest).toContain(url);
    expect(wh.documents.manifest.inputs.map((i) => i.path)).toEqual([`${url}#analytics.events`, `${url}#analytics.users`, `${url}#analytics.accounts`]);
  });

  it('writes every user\'s segment back, computed in the warehouse (--write-assignments): assignments.csv user for user', async () => {
    const rows = (
      await client.query<{ user_id: string; segment: number; segment_name: string; distance: number | null; confidence: number | null }>(
        'SELECT user_id, segment, segment_name, distance, confidence FROM analytics.segmint_assignments',
      )
    ).rows;
    const byUser = new Map(rows.map((r) => [r.user_id, r]));
    expect(rows.length).toBe(wh.assignments.length);
    expect(byUser.size).toBe(rows.length);
    const close = (a: number | null, b: number | null) => (a === null || b === null ? a === b : Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(b)));
    const off = wh.assignments.filter((x) => {
      const r = byUser.get(x.userId);
      return !r || r.segment !== x.segment || r.segment_name !== x.segmentName || !close(r.distance, x.distance) || !close(r.confidence, x.confidence);
    });
    expect(off.map((x) => ({ ...x, warehouse: byUser.get(x.userId) }))).toEqual([]);
    expect(rows.filter((r) => r.segment === -1).length).toBe(wh.documents.segments.usersWithoutEvents);
    // And the CSV the run wrote is those rows.
    const csvRows = Papa.parse<Record<string, string>>(readFileSync(join(wh.runDir, 'assignments.csv'), 'utf8'), { header: true, skipEmptyLines: true }).data;
    expect(csvRows.length).toBe(rows.length);
    for (const r of csvRows) expect(byUser.get(r.user_id)?.segment).toBe(Number(r.segment));
  });
});

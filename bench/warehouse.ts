/**
 * A warehouse run against the same run from files: the bundled sample's generator scaled to about
 * a million events, loaded into a throwaway PostgreSQL (test/helpers/postgres.ts starts it, on
 * this machine), then `segmint run` from the CSV files (DuckDB) and `segmint run --warehouse …
 * --write-assignments …` over the same data, each as a whole child process of the built CLI,
 * alternating, three times each. The cluster is stopped afterwards, also when a run fails.
 *
 *   npm run bench -- warehouse            (SEGMINT_BENCH_WAREHOUSE_USERS to change the size)
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPostgres } from '../test/helpers/postgres.js';
import { loadSample } from '../test/warehouse/helpers.js';

export interface Spread {
  readonly min: number;
  readonly median: number;
  readonly max: number;
}

export interface WarehouseFigures {
  users: number;
  eventsRead: number;
  postgres: string;
  repetitions: number;
  /** Wall-clock seconds of each whole child process, in run order. */
  csvSeconds: number[];
  warehouseSeconds: number[];
  /** The write-back stage (model pushed down, assignments written in the warehouse), from each warehouse run's manifest. */
  writeBackSeconds: number[];
  csv: Spread;
  warehouse: Spread;
  writeBack: Spread;
  /** Ingest and features (the work that moves to the warehouse), per side, from the manifests. */
  stages: { csv: Record<string, Spread>; warehouse: Record<string, Spread> };
  /** Median warehouse run over median CSV run. */
  ratio: number;
  loadSeconds: number;
}

const REPETITIONS = 3;
/** The sample has about 79 events per user: 12,600 users give about a million events. */
const DEFAULT_USERS = 12_600;

export async function runWarehouseBench(users = Number(process.env.SEGMINT_BENCH_WAREHOUSE_USERS ?? DEFAULT_USERS)): Promise<WarehouseFigures> {
  const dataDir = join('.tmp', `bench-sample-${users}`);
  if (!existsSync(join(dataDir, 'events.csv.gz'))) {
    process.stderr.write(`generating a ${users.toLocaleString('en-US')}-user sample in ${dataDir} …\n`);
    execFileSync(process.execPath, ['--import', 'tsx', 'data/sample/generate.ts', '--users', String(users), '--accounts', String(Math.round(users / 8)), '--out', dataDir], { stdio: 'inherit' });
  }
  const cli = join('bin', 'segmint.js');
  if (!existsSync(join('dist', 'cli', 'main.js'))) throw new Error('dist/ is missing: run `npm run build` first (npm run bench does)');

  process.stderr.write('starting a throwaway PostgreSQL …\n');
  const cluster = await startPostgres();
  const scratch = mkdtempSync(join(tmpdir(), 'segmint-bench-wh-'));
  try {
    const client = await cluster.connect();
    const t0 = performance.now();
    try {
      process.stderr.write(`loading ${dataDir} into PostgreSQL …\n`);
      await loadSample(client, 'bench', dataDir);
    } finally {
      await client.end();
    }
    const loadSeconds = (performance.now() - t0) / 1000;
    const { host, port, user, database } = cluster.config;
    const url = `postgres://${user}@${host}:${port}/${database}`;

    const csvArgs = ['--events', join(dataDir, 'events.csv.gz'), '--users', join(dataDir, 'users.csv'), '--accounts', join(dataDir, 'accounts.csv')];
    const whArgs = ['--warehouse', url, '--events-table', 'bench.events', '--users-table', 'bench.users', '--accounts-table', 'bench.accounts', '--write-assignments', 'bench.segmint_assignments'];
    const csvSeconds: number[] = [];
    const warehouseSeconds: number[] = [];
    const writeBackSeconds: number[] = [];
    const stageSeconds = { csv: new Map<string, number[]>(), warehouse: new Map<string, number[]>() };
    let eventsRead = 0;
    // A fresh reports folder per run: no run is compared with (or warm-started from) another.
    const timed = (label: string, args: readonly string[]) => {
      const out = mkdtempSync(join(scratch, `${label}-`));
      const started = performance.now();
      const r = spawnSync(process.execPath, [cli, 'run', ...args, '--out', out, '--quiet', '--no-previous'], { encoding: 'utf8', maxBuffer: 1 << 24 });
      const seconds = (performance.now() - started) / 1000;
      if (r.status !== 0) throw new Error(`${label} run failed (exit ${r.status}):\n${r.stderr.trim()}`);
      const manifest = JSON.parse(readFileSync(join(out, runFolder(out), 'manifest.json'), 'utf8')) as {
        timings: { stage: string; ms: number }[];
        accounting: { role: string; read: number }[];
      };
      eventsRead = manifest.accounting.find((a) => a.role === 'events')?.read ?? eventsRead;
      for (const t of manifest.timings) {
        if (!FRONT_STAGES.includes(t.stage)) continue;
        const side = stageSeconds[label as 'csv' | 'warehouse'];
        side.set(t.stage, [...(side.get(t.stage) ?? []), t.ms / 1000]);
      }
      process.stderr.write(`  ${label}: ${seconds.toFixed(1)} s\n`);
      return { seconds, manifest };
    };
    for (let i = 0; i < REPETITIONS; i++) {
      csvSeconds.push(timed('csv', csvArgs).seconds);
      const wh = timed('warehouse', whArgs);
      warehouseSeconds.push(wh.seconds);
      writeBackSeconds.push((wh.manifest.timings.find((t) => t.stage === 'write-back')?.ms ?? NaN) / 1000);
    }
    const csv = spread(csvSeconds);
    const warehouse = spread(warehouseSeconds);
    return {
      users,
      eventsRead,
      postgres: cluster.version,
      repetitions: REPETITIONS,
      csvSeconds,
      warehouseSeconds,
      writeBackSeconds,
      csv,
      warehouse,
      writeBack: spread(writeBackSeconds),
      stages: { csv: spreads(stageSeconds.csv), warehouse: spreads(stageSeconds.warehouse) },
      ratio: warehouse.median / csv.median,
      loadSeconds,
    };
  } finally {
    await cluster.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** The one run folder a fresh reports folder holds. */
function runFolder(out: string): string {
  const runs = readdirSync(out, { withFileTypes: true }).filter((e) => e.isDirectory() && existsSync(join(out, e.name, 'manifest.json')));
  if (runs.length !== 1) throw new Error(`expected one run folder in ${out}, found ${runs.length}`);
  return runs[0].name;
}

const FRONT_STAGES = ['ingest', 'features'];

function spreads(byStage: ReadonlyMap<string, number[]>): Record<string, Spread> {
  return Object.fromEntries([...byStage].map(([stage, xs]) => [stage, spread(xs)]));
}

function spread(xs: readonly number[]): Spread {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return { min: s[0], median: s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2, max: s[s.length - 1] };
}

export function printWarehouse(f: WarehouseFigures): string {
  const med = (s: Spread | undefined) => (s ? `${s.median.toFixed(1)} s` : '-');
  const show = (s: Spread) => `min ${s.min.toFixed(1)} s, median ${s.median.toFixed(1)} s, max ${s.max.toFixed(1)} s`;
  return (
    `warehouse: ${f.users.toLocaleString('en-US')} users, ${f.eventsRead.toLocaleString('en-US')} events, ${f.repetitions} alternating runs each (whole CLI processes; ${f.postgres} on this machine)\n` +
    `  segmint run (CSV, DuckDB)                       ${show(f.csv)}\n` +
    `  segmint run --warehouse (PostgreSQL)            ${show(f.warehouse)}\n` +
    `    of which --write-assignments (model pushdown) ${show(f.writeBack)}\n` +
    FRONT_STAGES.map((stage) => `  ${stage}: median ${med(f.stages.csv[stage])} in DuckDB, ${med(f.stages.warehouse[stage])} in PostgreSQL\n`).join('') +
    `  warehouse / CSV (medians): ${f.ratio.toFixed(2)}×; loading the tables took ${f.loadSeconds.toFixed(1)} s (not timed above)\n`
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write(printWarehouse(await runWarehouseBench()));
}

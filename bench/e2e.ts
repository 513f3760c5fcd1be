/**
 * Scale: segmint on generated usage logs of about 1M, 10M and 100M events (bench/scale-data.ts;
 * 10k, 100k and 1M users), each measurement in a child process of its own:
 *
 * - ingest + features against DuckDB's floor — the same file read by DuckDB with its own type
 *   detection and grouped per user with six aggregates (the least any tool on DuckDB does);
 * - the whole run: wall time, peak resident memory (RSS), and the time per stage;
 * - the notebook reference (bench/notebook.py: pandas + scikit-learn doing the same job) where
 *   Python with pandas and scikit-learn is installed and the log fits its memory.
 *
 *   npm run bench -- e2e                         # 10k, 100k, 1M users
 *   SEGMINT_BENCH_USERS=10000,100000 npm run bench -- e2e
 *
 * Generating the 100M-event file (~4.4 GB of CSV) takes a few minutes the first time; it is kept
 * in .tmp/bench-scale/ (git-ignored).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scaleEvents, scaleEventsAs } from './scale-data.js';

/** The notebook's peak memory grows ~40× the CSV: above this many users it is not run. */
const NOTEBOOK_MAX_USERS = Number(process.env.SEGMINT_BENCH_NOTEBOOK_MAX_USERS ?? 100_000);

interface Child {
  ms: number;
  maxRssMb: number;
  users: number;
  events: number;
  k?: number;
  timings?: { stage: string; ms: number }[];
}

export interface ScaleCase {
  users: number;
  events: number;
  floor: Child;
  features: Child;
  /** segmint ingest + features time ÷ DuckDB's floor. */
  featuresOverFloor: number;
  run: Child;
  notebook: Child | { skipped: string };
  /** segmint's whole run ÷ the notebook's (when it ran). */
  runOverNotebook: number | null;
}

/** Ingest + features on the smallest log stored as Parquet and as JSON lines. */
export interface FormatCase {
  format: 'parquet' | 'jsonl';
  floor: Child;
  features: Child;
  featuresOverFloor: number;
}

export interface E2eFigures {
  cases: ScaleCase[];
  formats: FormatCase[];
}

function child(args: readonly string[]): Child {
  const out = execFileSync(process.execPath, ['--import', 'tsx', 'bench/e2e-child.ts', ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return JSON.parse(out.trim().split('\n').at(-1)!) as Child;
}

/** Debian's Python has the packages (apt); a pyenv shim earlier on PATH may not. */
function python(): string | null {
  for (const candidate of ['/usr/bin/python3', 'python3']) {
    const probe = spawnSync(candidate, ['-c', 'import pandas, sklearn'], { stdio: 'ignore' });
    if (probe.status === 0) return candidate;
  }
  return null;
}

function notebook(file: string, users: number): Child | { skipped: string } {
  if (users > NOTEBOOK_MAX_USERS) return { skipped: `over ${NOTEBOOK_MAX_USERS.toLocaleString('en-US')} users (SEGMINT_BENCH_NOTEBOOK_MAX_USERS)` };
  const py = python();
  if (py === null) return { skipped: 'no Python with pandas and scikit-learn (apt-get install python3-pandas python3-sklearn)' };
  const out = mkdtempSync(join(tmpdir(), 'segmint-notebook-'));
  try {
    const stdout = execFileSync(py, ['bench/notebook.py', file, join(out, 'segments.csv')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    return JSON.parse(stdout.trim().split('\n').at(-1)!) as Child;
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

export async function runE2eBench(sizes: readonly number[] = [10_000, 100_000, 1_000_000]): Promise<E2eFigures> {
  const cases: ScaleCase[] = [];
  for (const users of sizes) {
    if (!existsSync(join('.tmp', 'bench-scale', `events-${users}.csv`))) process.stderr.write(`e2e bench: generating ${users.toLocaleString('en-US')} users …\n`);
    const file = await scaleEvents(users);
    process.stderr.write(`e2e bench: ${file} — DuckDB floor, ingest + features, whole run, notebook …\n`);
    const floor = child(['floor', file]);
    const features = child(['features', file]);
    const out = mkdtempSync(join(tmpdir(), 'segmint-e2e-'));
    let run: Child;
    try {
      run = child(['run', file, out]);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
    const nb = notebook(file, users);
    cases.push({
      users: run.users,
      events: run.events,
      floor,
      features,
      featuresOverFloor: features.ms / floor.ms,
      run,
      notebook: nb,
      runOverNotebook: 'ms' in nb ? run.ms / nb.ms : null,
    });
  }
  const formats: FormatCase[] = [];
  for (const format of ['parquet', 'jsonl'] as const) {
    const file = await scaleEventsAs(sizes[0], format);
    process.stderr.write(`e2e bench: ${file} — DuckDB floor, ingest + features …\n`);
    const floor = child(['floor', file]);
    const features = child(['features', file]);
    formats.push({ format, floor, features, featuresOverFloor: features.ms / floor.ms });
  }
  return { cases, formats };
}

const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export function printE2e(e: E2eFigures): string {
  const lines = ['end to end on generated logs (each figure one child process; peak RSS of that process)'];
  for (const c of e.cases) {
    const nb = 'ms' in c.notebook ? `${s(c.notebook.ms)}, ${c.notebook.maxRssMb} MB, k = ${c.notebook.k}` : `not run: ${c.notebook.skipped}`;
    const stages = (c.run.timings ?? []).map((t) => `${t.stage} ${s(t.ms)}`).join(', ');
    lines.push(
      `  ${c.events.toLocaleString('en-US')} events, ${c.users.toLocaleString('en-US')} users:`,
      `    ingest + features ${s(c.features.ms)} (${c.features.maxRssMb} MB) vs DuckDB floor ${s(c.floor.ms)} → ${c.featuresOverFloor.toFixed(1)}×`,
      `    whole run ${s(c.run.ms)}, peak RSS ${c.run.maxRssMb} MB, k = ${c.run.k} (${stages})`,
      `    notebook (pandas + scikit-learn): ${nb}${c.runOverNotebook === null ? '' : ` → segmint ${c.runOverNotebook.toFixed(2)}× its time`}`,
    );
  }
  for (const f of e.formats ?? []) {
    lines.push(`  the first log as ${f.format}: ingest + features ${s(f.features.ms)} (${f.features.maxRssMb} MB) vs DuckDB floor ${s(f.floor.ms)} → ${f.featuresOverFloor.toFixed(1)}×`);
  }
  return lines.join('\n') + '\n';
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const sizes = (process.argv[2] ?? '10000').split(',').map(Number);
  process.stdout.write(printE2e(await runE2eBench(sizes)));
}

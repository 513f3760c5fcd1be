/**
 * End to end on the bundled sample's generator scaled up: time per stage and peak resident
 * memory of the whole run (measured in a child process).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface E2eFigures {
  users: number;
  eventsRead: number;
  k: number;
  timings: { stage: string; ms: number }[];
  totalMs: number;
  maxRssMb: number;
}

export async function runE2eBench(users: number, dataDir = join('.tmp', `bench-sample-${users}`)): Promise<E2eFigures> {
  if (!existsSync(join(dataDir, 'events.csv.gz'))) {
    process.stderr.write(`generating a ${users.toLocaleString('en-US')}-user sample in ${dataDir} …\n`);
    execFileSync(process.execPath, ['--import', 'tsx', 'data/sample/generate.ts', '--users', String(users), '--accounts', String(Math.round(users / 8)), '--out', dataDir], { stdio: 'inherit' });
  }
  const out = mkdtempSync(join(tmpdir(), 'segmint-bench-'));
  const stdout = execFileSync(process.execPath, ['--import', 'tsx', 'bench/e2e-child.ts', dataDir, out], { encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as E2eFigures;
}

export function printE2e(f: E2eFigures): string {
  const stages = f.timings.map((t) => `${t.stage} ${(t.ms / 1000).toFixed(1)} s`).join(', ');
  return `end to end: ${f.users.toLocaleString('en-US')} users, ${f.eventsRead.toLocaleString('en-US')} events read, k = ${f.k}: ${(f.totalMs / 1000).toFixed(1)} s total (${stages}); peak RSS ${f.maxRssMb} MB\n`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const users = Number(process.argv[2] ?? 100_000);
  process.stdout.write(printE2e(await runE2eBench(users)));
}

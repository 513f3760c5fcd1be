/**
 * Two runs at once, both spilling to disk under a tiny DuckDB memory limit
 * (`SEGMINT_DUCKDB_MEMORY`, src/core/duckdb.ts): each has its own private spill folder, both
 * finish, into distinct run folders, with identical segments — into one `--out` and into two.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync, watch, writeFileSync, type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir } from '../helpers/cli.js';
import { expectAccountingAddsUp, expectOnlyCompleteRuns, readManifest, runFolders, spawnCli } from './helpers.js';

/**
 * Enough rows that DuckDB spills under the limit (~200k events, 14 MB), few enough users that
 * clustering stays quick. A CSV scan needs one 64 MiB buffer, so the limit cannot go much lower.
 */
const MEMORY_LIMIT = '80MB';

function spillingLog(path: string): void {
  const lines = ['user_id,event,timestamp,page'];
  const kinds = ['view', 'edit', 'share', 'comment'];
  for (let i = 0; i < 200_000; i++) {
    const u = i % 400;
    const day = String(1 + (i % 28)).padStart(2, '0');
    const time = `${String(i % 24).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}:00`;
    lines.push(`user-${u},${kinds[(u * 7 + i) % 4]}${u % 3},2024-05-${day}T${time}Z,/page/${i % 5000}/section-${i % 97}`);
  }
  writeFileSync(path, lines.join('\n') + '\n');
}

/**
 * Starts one run with its own TMPDIR and notes whether DuckDB wrote a spill file there (watched
 * through file-system events: the spill folder appearing, then a file appearing in it).
 */
function spillingRun(events: string, out: string) {
  const tmp = tempDir('segmint-concurrent-tmp-');
  const watchers: FSWatcher[] = [];
  let spilled = false;
  watchers.push(
    watch(tmp, (_, name) => {
      if (!name?.startsWith('segmint-spill-')) return;
      try {
        watchers.push(watch(join(tmp, name), () => (spilled = true)));
      } catch {
        // removed already: the run finished without our seeing it spill
      }
    }),
  );
  const child = spawnCli(['run', '--events', events, '--out', out, '--seed', '3', '--quiet'], {
    env: { TMPDIR: tmp, SEGMINT_DUCKDB_MEMORY: MEMORY_LIMIT },
    limitMs: 170_000,
  });
  return child.done.then((result) => {
    for (const w of watchers) w.close();
    return { ...result, spilled };
  });
}

/** The run folder a `segmint run` printed as its report path. */
function reportedRun(stdout: string, out: string): string {
  const m = /report: .*?([^/\s]+)\/report\.html/.exec(stdout);
  expect(m, stdout).not.toBeNull();
  return join(out, m![1]);
}

describe('two runs spilling at once', () => {
  const dir = tempDir('segmint-concurrent-');
  const events = join(dir, 'events.csv');
  spillingLog(events);

  for (const shared of [true, false]) {
    it(shared ? 'into the same --out' : 'into separate outs', async () => {
      const outs = shared ? [join(dir, 'shared'), join(dir, 'shared')] : [join(dir, 'a'), join(dir, 'b')];
      const results = await Promise.all(outs.map((out) => spillingRun(events, out)));
      for (const r of results) {
        expect(r.code, r.stderr).toBe(0);
        expect(r.stderr).not.toMatch(/Error|error:/);
        expect(r.spilled, 'DuckDB spilled under the memory limit').toBe(true);
      }
      const runs = results.map((r, i) => reportedRun(r.stdout, outs[i]));
      expect(new Set(runs).size).toBe(2);
      for (const out of new Set(outs)) expectOnlyCompleteRuns(out);
      if (shared) expect(runFolders(outs[0])).toHaveLength(2);
      for (const run of runs) expectAccountingAddsUp(readManifest(run));
      for (const file of ['segments.json', 'assignments.csv', 'rules.json', 'rules.sql']) {
        expect(readFileSync(join(runs[0], file), 'utf8'), file).toBe(readFileSync(join(runs[1], file), 'utf8'));
      }
      const list = await runCli(['runs', 'list', '--dir', outs[0]]);
      expect(list.code, list.stderr).toBe(0);
    });
  }
});

/**
 * A run killed with SIGKILL at any point leaves nothing that looks finished: no run folder without
 * every file, `latest` still on a finished run, `runs list` still working, the next run into the
 * same folder succeeding, and the killed run's DuckDB spill folder private (0700).
 *
 * The kill points are stage markers on stderr (a stage's summary line is printed when it ends,
 * so the next one is running) and file-system events (the spill folder or the temporary run
 * folder appearing), never a timer.
 */
import { describe, expect, it } from 'vitest';
import { mkdirSync, readdirSync, watch, writeFileSync, type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir } from '../helpers/cli.js';
import { eventLog, expectAccountingAddsUp, expectOnlyCompleteRuns, latestRun, modeOf, readManifest, runFolders, spawnCli, toCsv } from './helpers.js';

interface KillPoint {
  readonly name: string;
  /** A line on stderr that starts the kill (the stage before it has just ended). */
  readonly marker?: RegExp;
  /** Or a file-system event: the spill folder, the temporary run folder, its first file. */
  readonly fsEvent?: 'spill-folder' | 'temp-run-folder' | 'first-run-file';
  /** DuckDB is open by then, so the killed run's spill folder is left behind. */
  readonly afterDuckdb: boolean;
}

const KILL_POINTS: readonly KillPoint[] = [
  { name: 'as DuckDB opens (spill folder created)', fsEvent: 'spill-folder', afterDuckdb: false },
  { name: 'after ingest', marker: /^segmint ingest\s/m, afterDuckdb: true },
  { name: 'after features', marker: /^segmint features\s/m, afterDuckdb: true },
  { name: 'in the k sweep', marker: /^segmint k = 2:/m, afterDuckdb: true },
  { name: 'after cluster', marker: /^segmint cluster\s/m, afterDuckdb: true },
  { name: 'after rules', marker: /^segmint rules\s/m, afterDuckdb: true },
  { name: 'as the temporary run folder appears', fsEvent: 'temp-run-folder', afterDuckdb: true },
  { name: 'as the first run file is written', fsEvent: 'first-run-file', afterDuckdb: true },
];

describe('segmint run killed with SIGKILL', () => {
  const dir = tempDir('segmint-kill-');
  const events = join(dir, 'events.csv');
  writeFileSync(events, toCsv(eventLog({ users: 90 })));
  // One output folder for every kill in turn: each kill lands among the previous debris.
  const out = join(dir, 'out');
  mkdirSync(out);

  for (const point of KILL_POINTS) {
    it(`${point.name}: nothing half-written looks finished and the next run succeeds`, async () => {
      const tmp = tempDir('segmint-kill-tmp-');
      const watchers: FSWatcher[] = [];
      const before = runFolders(out);
      try {
        let killNow: () => void = () => {};
        if (point.fsEvent === 'spill-folder') {
          watchers.push(watch(tmp, (_, name) => name?.startsWith('segmint-spill-') && killNow()));
        } else if (point.fsEvent) {
          const firstFile = point.fsEvent === 'first-run-file';
          watchers.push(
            watch(out, (_, name) => {
              if (!name?.startsWith('.tmp-')) return;
              if (!firstFile) return killNow();
              try {
                watchers.push(watch(join(out, name), () => killNow()));
              } catch {
                killNow(); // already renamed into place: the kill lands after the run finished
              }
            }),
          );
        }
        const child = spawnCli(['run', '--events', events, '--out', out, '--seed', '7'], {
          env: { TMPDIR: tmp },
          onStderr: (stderr, kill) => point.marker?.test(stderr) && kill(),
        });
        killNow = child.kill;
        const result = await child.done;
        expect(result.signal, `killed ${point.name}; stderr:\n${result.stderr}`).toBe('SIGKILL');

        expectOnlyCompleteRuns(out);
        // The killed run's spill folder is left behind (nothing ran its cleanup), private.
        const spills = readdirSync(tmp).filter((n) => n.startsWith('segmint-spill-'));
        if (point.afterDuckdb) expect(spills.length).toBeGreaterThan(0);
        for (const s of spills) expect(modeOf(join(tmp, s)).toString(8), `${s} mode`).toBe('700');

        const list = await runCli(['runs', 'list', '--dir', out]);
        expect(list.code, list.stderr).toBe(0);
        for (const id of runFolders(out)) expect(list.stdout).toContain(id);

        const rerun = await runCli(['run', '--events', events, '--out', out, '--seed', '7', '--quiet']);
        expect(rerun.code, rerun.stderr).toBe(0);
        expectOnlyCompleteRuns(out);
        const runDir = latestRun(out);
        expect(before).not.toContain(runDir.split('/').at(-1));
        expectAccountingAddsUp(readManifest(runDir));
      } finally {
        for (const w of watchers) w.close();
      }
    });
  }
});

/**
 * The timed stage runner (src/core/stage.ts): it names the running stage to code below it, and
 * clears progress when a stage ends or fails; the DuckDB wrapper (src/core/duckdb.ts) tracks
 * query progress only inside a stage whose progress is shown.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createContext, noProgress, type Logger, type ProgressUpdate } from '../../src/core/context.js';
import { openDb, type Db } from '../../src/core/duckdb.js';
import { runningStage, timedStages, untimed } from '../../src/core/stage.js';

/** A logger recording stage lines and progress calls. */
function recordingLogger() {
  const calls: string[] = [];
  const updates: ProgressUpdate[] = [];
  const log: Logger = {
    stageStart: (s) => calls.push(`start ${s}`),
    stageEnd: (s, summary) => calls.push(`end ${s}: ${summary}`),
    info: (m) => calls.push(`info ${m}`),
    progress: {
      update: (u) => void updates.push(u),
      clear: () => void calls.push('clear'),
    },
  };
  return { log, calls, updates };
}

let db: Db | undefined;
afterEach(() => {
  db?.close();
  db = undefined;
});

describe('timedStages', () => {
  it('names the running stage to the code it runs, also across awaits', async () => {
    const { log } = recordingLogger();
    const ctx = createContext(1, log);
    const { stage, timings } = timedStages(ctx);
    const seen = await stage('features', async () => {
      await new Promise((r) => setTimeout(r, 1));
      return runningStage();
    }, () => 'ok');
    expect(seen?.name).toBe('features');
    expect(seen?.progress.enabled).toBe(true);
    expect(runningStage()).toBeUndefined();
    expect(timings.map((t) => t.stage)).toEqual(['features']);
  });

  it('clears progress at the end of a stage and when it fails', async () => {
    const { log, calls } = recordingLogger();
    const ctx = createContext(1, log);
    const { stage } = timedStages(ctx);
    await stage('ingest', () => 1, () => 'one');
    await expect(stage('cluster', () => { throw new Error('boom'); }, () => '')).rejects.toThrow('boom');
    expect(calls).toEqual(['start ingest', 'clear', 'end ingest: one', 'start cluster', 'clear']);
  });

  it('progress is a no-op for a context without a progress sink', async () => {
    const ctx = createContext(1);
    expect(ctx.progress).toBe(noProgress);
    expect(() => ctx.progress.update({ done: 1 })).not.toThrow();
    expect(await untimed('x', () => runningStage(), () => '')).toBeUndefined();
  });
});

describe('DuckDB query progress', () => {
  const setting = async (d: Db) => (await d.all<{ v: boolean }>("SELECT current_setting('enable_progress_bar') AS v"))[0].v;
  const query = 'SELECT count(*)::INTEGER AS n FROM range(3000000) t(i) WHERE i % 7 = 0';

  it('is tracked inside a stage whose progress is shown, and reported as rows processed of that stage', async () => {
    db = await openDb();
    const { log, updates } = recordingLogger();
    const { stage } = timedStages(createContext(1, log));
    const rows = await stage('ingest', () => db!.all<{ n: number }>(query), () => '');
    expect(rows).toEqual([{ n: 428572 }]);
    expect(await setting(db)).toBe(true);
    // How many polls land depends on the machine's speed; each that does has this shape.
    for (const u of updates) {
      expect(u).toMatchObject({ stage: 'ingest', unit: 'rows processed' });
      expect(u.done).toBeGreaterThanOrEqual(0);
    }
  });

  it('stays off outside a stage and where progress is not shown', async () => {
    db = await openDb();
    const { stage } = timedStages(createContext(1));
    expect(await stage('ingest', () => db!.all<{ n: number }>(query), () => '')).toEqual([{ n: 428572 }]);
    expect(await db.all(query)).toEqual([{ n: 428572 }]);
    expect(await setting(db)).toBe(false);
  });
});

/**
 * The status line (src/cli/progress.ts) on a fake terminal, and the logger around it: throttled
 * rewrites, erased before every log line and at the end of a stage, and nothing at all where
 * progress is not shown (stderr not a terminal, --quiet, TERM=dumb).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { captureIo, type Io } from '../../src/cli/io.js';
import { stderrLogger } from '../../src/cli/logger.js';
import { CLEAR_LINE, THROTTLE_MS, formatProgress, statusLine, stderrStatusLine } from '../../src/cli/progress.js';
import { createContext } from '../../src/core/context.js';
import { timedStages } from '../../src/core/stage.js';

/** A terminal that records what is written, with a clock the test moves. */
function fakeTerminal(columns = 120) {
  let written = '';
  let clock = 0;
  const line = statusLine({ write: (s) => void (written += s), columns: () => columns }, { now: () => clock });
  return {
    line,
    written: () => written,
    tick: (ms: number) => void (clock += ms),
  };
}

/** An Io whose stderr claims to be a terminal. */
function terminalIo(): Io & { stderr(): string } {
  const io = captureIo();
  return { ...io, errTerminal: { columns: 100 } };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('statusLine', () => {
  it('rewrites one line in place', () => {
    const t = fakeTerminal();
    t.line.show('segmint ingest    10 rows processed (1%)');
    expect(t.written()).toBe(`${CLEAR_LINE}segmint ingest    10 rows processed (1%)`);
  });

  it('holds back rewrites of the same step within the interval and shows the newest after it', () => {
    vi.useFakeTimers();
    const t = fakeTerminal();
    t.line.show('a 1', 'rows');
    t.tick(THROTTLE_MS / 4);
    t.line.show('a 2', 'rows');
    t.line.show('a 3', 'rows');
    expect(t.written()).toBe(`${CLEAR_LINE}a 1`);
    // The held-back text is drawn when the interval has passed, even with no further update.
    t.tick(THROTTLE_MS);
    vi.advanceTimersByTime(THROTTLE_MS);
    expect(t.written()).toBe(`${CLEAR_LINE}a 1${CLEAR_LINE}a 3`);
    // And an update after the interval is drawn at once.
    t.tick(THROTTLE_MS);
    t.line.show('a 4', 'rows');
    expect(t.written()).toBe(`${CLEAR_LINE}a 1${CLEAR_LINE}a 3${CLEAR_LINE}a 4`);
  });

  it('never rewrites more often than the interval for one step', () => {
    vi.useFakeTimers();
    const t = fakeTerminal();
    for (let i = 0; i < 100; i++) {
      t.line.show(`rows ${i}`, 'rows');
      t.tick(THROTTLE_MS / 10);
    }
    // 100 updates over ten intervals: at most one rewrite per interval (plus the first).
    expect(t.written().split(CLEAR_LINE).length - 1).toBeLessThanOrEqual(11);
  });

  it('shows a new step at once', () => {
    const t = fakeTerminal();
    t.line.show('k = 2', 'k = 2');
    t.line.show('k = 3', 'k = 3');
    expect(t.written()).toBe(`${CLEAR_LINE}k = 2${CLEAR_LINE}k = 3`);
  });

  it('does not redraw an unchanged text', () => {
    const t = fakeTerminal();
    t.line.show('same', 's');
    t.tick(THROTTLE_MS * 2);
    t.line.show('same', 's');
    expect(t.written()).toBe(`${CLEAR_LINE}same`);
  });

  it('clears only when something shows, and drops a held-back text', () => {
    vi.useFakeTimers();
    const t = fakeTerminal();
    t.line.clear();
    expect(t.written()).toBe('');
    t.line.show('a 1', 'rows');
    t.line.show('a 2', 'rows');
    t.line.clear();
    vi.advanceTimersByTime(10 * THROTTLE_MS);
    expect(t.written()).toBe(`${CLEAR_LINE}a 1${CLEAR_LINE}`);
  });

  it('cuts the line to the terminal width so that it can be erased', () => {
    const t = fakeTerminal(20);
    t.line.show('x'.repeat(50));
    expect(t.written()).toBe(`${CLEAR_LINE}${'x'.repeat(18)}…`);
  });
});

describe('formatProgress', () => {
  it('says rows, k tried and restarts', () => {
    expect(formatProgress('ingest', { done: 12_345_678, unit: 'rows processed', percent: 45.7 })).toBe('segmint ingest    12,345,678 rows processed (45%)');
    expect(formatProgress('cluster', { step: 'k = 5', done: 4, total: 9, unit: 'tried' })).toBe('segmint cluster   k = 5 (4 of 9 tried)');
    expect(formatProgress('cluster', { step: 'fitting k = 6 on 5,000 users', done: 3, total: 10, unit: 'restarts' })).toBe('segmint cluster   fitting k = 6 on 5,000 users (3 of 10 restarts)');
    expect(formatProgress('cluster', { step: 'comparing k = 2..10' })).toBe('segmint cluster   comparing k = 2..10');
  });
});

describe('stderrStatusLine', () => {
  it('is null when stderr is not a terminal, with --quiet, and under TERM=dumb', () => {
    expect(stderrStatusLine(captureIo(), { quiet: false, env: {} })).toBeNull();
    expect(stderrStatusLine(terminalIo(), { quiet: true, env: {} })).toBeNull();
    expect(stderrStatusLine(terminalIo(), { quiet: false, env: { TERM: 'dumb' } })).toBeNull();
    expect(stderrStatusLine(terminalIo(), { quiet: false, env: { TERM: 'xterm', NO_COLOR: '1' } })).not.toBeNull();
  });
});

describe('stderrLogger with a status line', () => {
  /** A two-stage run with progress, through the real stage runner. */
  async function run(io: Io & { stderr(): string }, quiet: boolean): Promise<string> {
    const ctx = createContext(1, stderrLogger({ quiet, write: io.err, status: stderrStatusLine(io, { quiet, env: {} }) }));
    const { stage } = timedStages(ctx);
    await stage('ingest', () => {
      ctx.progress.update({ done: 1000, unit: 'rows processed', percent: 50 });
      ctx.log.info('columns   user_id <- id');
      return 1;
    }, () => 'done');
    await stage('cluster', () => {
      ctx.progress.update({ step: 'k = 2', done: 1, total: 2, unit: 'tried' });
      ctx.progress.update({ step: 'k = 3', done: 2, total: 2, unit: 'tried' });
      return 3;
    }, (k) => `k = ${k}`);
    return io.stderr();
  }

  it('erases the status line before each log line and at the end of each stage', async () => {
    const err = await run(terminalIo(), false);
    const parts = err.split(CLEAR_LINE);
    expect(parts).toEqual([
      '',
      'segmint ingest    1,000 rows processed (50%)',
      expect.stringMatching(/^segmint columns {3}user_id <- id\nsegmint ingest +\d+ ms {2}done\n$/),
      'segmint cluster   k = 2 (1 of 2 tried)',
      'segmint cluster   k = 3 (2 of 2 tried)',
      expect.stringMatching(/^segmint cluster +\d+ ms {2}k = 3\n$/),
    ]);
    // Nothing shows after the last stage.
    expect(err.endsWith('\n')).toBe(true);
  });

  it('writes no status line and no \\r when stderr is not a terminal', async () => {
    const err = await run(captureIo(), false);
    expect(err).not.toContain('\r');
    expect(err).not.toContain('rows processed');
    expect(err).not.toContain('tried');
    expect(err).toMatch(/^segmint columns {3}user_id <- id\nsegmint ingest +\d+ ms {2}done\nsegmint cluster +\d+ ms {2}k = 3\n$/);
  });

  it('writes nothing at all with --quiet, even on a terminal', async () => {
    expect(await run(terminalIo(), true)).toBe('');
  });

  it('erases the line when a stage fails', async () => {
    const io = terminalIo();
    const ctx = createContext(1, stderrLogger({ quiet: false, write: io.err, status: stderrStatusLine(io, { quiet: false, env: {} }) }));
    const { stage } = timedStages(ctx);
    await expect(
      stage('features', () => {
        ctx.progress.update({ done: 5, unit: 'rows processed' });
        throw new Error('boom');
      }, () => ''),
    ).rejects.toThrow('boom');
    expect(io.stderr()).toBe(`${CLEAR_LINE}segmint features  5 rows processed${CLEAR_LINE}`);
  });
});

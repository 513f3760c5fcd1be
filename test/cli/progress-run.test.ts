/**
 * Progress end to end: `segmint run` on the bundled sample as a child process. With stderr piped
 * (not a terminal) it writes no status line at all; under a pseudo-terminal (util-linux `script`)
 * it shows rows processed while ingesting and the k sweep.
 */
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, spawnCli } from '../hardening/helpers.js';
import { tempDir } from '../helpers/tmp.js';

/** util-linux `script` runs a command on a pseudo-terminal without a native dependency. */
const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).stdout?.includes('util-linux') ?? false;

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

describe('segmint run progress', () => {
  it('writes no status line when stderr is not a terminal', async () => {
    const out = tempDir('segmint-progress-pipe-');
    const { code, stderr } = await spawnCli(['run', '--out', out]).done;
    expect(code).toBe(0);
    expect(stderr).not.toContain('\r');
    expect(stderr).not.toContain('\x1b[');
    expect(stderr).not.toContain('rows processed');
    expect(stderr).not.toMatch(/\(\d+ of \d+ tried\)/);
    // The stage lines are there as before.
    expect(stderr).toMatch(/^segmint ingest +[\d.]+ m?s {2}/m);
    expect(stderr).toMatch(/^segmint cluster +[\d.]+ m?s {2}k = \d+/m);
  });

  it.skipIf(!hasScript)('shows rows processed and the k sweep under a terminal (skipped without util-linux script)', async () => {
    const out = tempDir('segmint-progress-tty-');
    const command = [process.execPath, '--import', 'tsx', join(ROOT, 'test/hardening/segmint-bin.ts'), 'run', '--out', out].map(quote).join(' ');
    const output = await new Promise<string>((resolve, reject) => {
      // -q quiet, -f flush, -e the command's exit code, -c the command; the typescript file is /dev/null.
      const child = spawn('script', ['-qfec', command, '/dev/null'], {
        cwd: ROOT,
        env: { ...process.env, TZ: 'UTC', LC_ALL: 'C', TERM: 'xterm', COLUMNS: '200' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let text = '';
      child.stdout.setEncoding('utf8').on('data', (s: string) => (text += s));
      child.stderr.setEncoding('utf8').on('data', (s: string) => (text += s));
      child.on('error', reject);
      child.on('close', (code) => (code === 0 ? resolve(text) : reject(new Error(`script exited with ${code}:\n${text}`))));
    });
    // Stdout and stderr share the terminal here: the status lines are the \r-rewritten ones.
    const status = output.split(/\r\x1b\[2K/).map((s) => s.split(/\r?\n/)[0]);
    expect(status.some((s) => /^segmint ingest +[\d,]+ rows processed \(\d+%\)$/.test(s))).toBe(true);
    expect(status.some((s) => /^segmint cluster +k = \d+ \(\d+ of \d+ tried\)$/.test(s))).toBe(true);
    // Every stage line starts on a line of its own: a status line before it was erased.
    const stageLines = [...output.matchAll(/segmint (ingest|features|cluster) +[\d.]+ m?s {2}/g)];
    expect(stageLines.map((m) => m[1])).toEqual(['ingest', 'features', 'cluster']);
    for (const m of stageLines) expect(output.slice(0, m.index).endsWith('\n') || output.slice(0, m.index).endsWith('\r\x1b[2K')).toBe(true);
  });
});

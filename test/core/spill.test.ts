/**
 * Spill folders never outlive their run: removed on SIGINT/SIGTERM, and a folder left by a
 * process that was killed outright is removed by the next segmint once that process is gone.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSpillDir, removeSpillDir, removeStaleSpillDirs } from '../../src/core/spill.js';
import { tempDir } from '../helpers/tmp.js';

describe('spill folders', () => {
  it('removes folders of processes that are gone, and only those', () => {
    const root = tempDir('segmint-spill-root-');
    const dead = join(root, 'segmint-spill-4000001-abc');
    const living = join(root, 'segmint-spill-4000002-def');
    const mine = createSpillDir(root);
    const unrelated = join(root, 'something-else');
    for (const d of [dead, living, unrelated]) mkdirSync(d);
    const removed = removeStaleSpillDirs(root, (pid) => pid === 4000002);
    expect(removed).toEqual([dead]);
    expect(readdirSync(root).sort()).toEqual(['segmint-spill-4000002-def', mine.slice(root.length + 1), 'something-else'].sort());
    removeSpillDir(mine);
    expect(existsSync(mine)).toBe(false);
  });

  it.each([['SIGTERM', 143], ['SIGINT', 130]] as const)('a process stopped by %s removes its open spill folders (exit %i)', async (signal, code) => {
    const root = tempDir('segmint-spill-signal-');
    const script = [
      `import { createSpillDir } from ${JSON.stringify(new URL('../../src/core/spill.ts', import.meta.url).href)};`,
      `const dir = createSpillDir(${JSON.stringify(root)});`,
      `console.log(dir);`,
      `setTimeout(() => {}, 60_000);`,
    ].join('\n');
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    const dir = await new Promise<string>((resolve, reject) => {
      child.stdout.once('data', (d: Buffer) => resolve(d.toString().trim()));
      child.once('exit', () => reject(new Error('child exited before creating its folder')));
    });
    expect(existsSync(dir)).toBe(true);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
    child.kill(signal);
    expect(await exited).toBe(code);
    expect(existsSync(dir)).toBe(false);
  });

  it.each([['SIGINT', 130], ['SIGTERM', 143]] as const)('a run folder being written is removed when the process is stopped by %s, unless released first', async (signal, code) => {
    const root = tempDir('segmint-run-signal-');
    const script = [
      `import { mkdirSync } from 'node:fs';`,
      `import { removeOnExit } from ${JSON.stringify(new URL('../../src/core/spill.ts', import.meta.url).href)};`,
      `const writing = ${JSON.stringify(join(root, '.tmp-run-a'))};`,
      `const finished = ${JSON.stringify(join(root, 'run-b'))};`,
      `mkdirSync(writing); mkdirSync(finished);`,
      `removeOnExit(writing);`,
      `removeOnExit(finished)();`,
      `console.log('ready');`,
      `setTimeout(() => {}, 60_000);`,
    ].join('\n');
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      child.stdout.once('data', () => resolve());
      child.once('exit', () => reject(new Error('child exited before creating its folders')));
    });
    expect(existsSync(join(root, '.tmp-run-a'))).toBe(true);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
    child.kill(signal);
    expect(await exited).toBe(code);
    expect(readdirSync(root)).toEqual(['run-b']);
  });
});

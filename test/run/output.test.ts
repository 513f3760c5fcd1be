import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { errors } from '../../src/core/messages.js';
import {
  abandonRun, finishRun, makeRunId, nodeWriterFs, prepareRunDir, probeOutputDir, replaceFile, reserveRunId, tempRunDir, writeRunFiles, type WriterFs,
} from '../../src/run/output.js';
import { entries, tempDir } from '../helpers/tmp.js';

describe('run folder writing', () => {
  it('makes sortable ids from the start time and config hash, unique within a folder', () => {
    const out = tempDir();
    const at = new Date('2026-11-01T09:08:07.123Z');
    const id = makeRunId(at, 'abcdef123456', out);
    expect(id).toBe('2026-11-01T09-08-07Z-abcdef');
    mkdirSync(join(out, id));
    expect(makeRunId(at, 'abcdef123456', out)).toBe(`${id}-2`);
  });

  it('claims a run id by creating its temporary folder, so identical runs started together never share one', async () => {
    const out = join(tempDir(), 'reports');
    const at = new Date('2026-11-01T09:08:07.999Z');
    const ids = await Promise.all(Array.from({ length: 6 }, () => reserveRunId(at, 'abcdef123456', out)));
    expect(new Set(ids).size).toBe(6);
    expect([...ids].sort()).toEqual(['', '-2', '-3', '-4', '-5', '-6'].map((s) => `2026-11-01T09-08-07Z-abcdef${s}`));
    for (const id of ids) expect(existsSync(tempRunDir(out, id))).toBe(true);
    // A finished run with the next id is skipped too.
    mkdirSync(join(out, '2026-11-01T09-08-07Z-abcdef-7'));
    expect(await reserveRunId(at, 'abcdef123456', out)).toBe('2026-11-01T09-08-07Z-abcdef-8');
  });

  it('creates folders before the call returns, so a claimed run folder is never on disk unregistered while a signal is handled', async () => {
    const dir = join(tempDir(), 'claimed');
    const pending = nodeWriterFs.mkdir(dir);
    expect(existsSync(dir)).toBe(true);
    await pending;
    // Failures still arrive as a rejected promise, as from node's own fs.promises.
    await expect(nodeWriterFs.mkdir(dir)).rejects.toMatchObject({ code: 'EEXIST' });
  });

  it('writes into a temporary folder and renames it into place, repointing latest', async () => {
    const out = tempDir();
    for (const id of ['run-a', 'run-b']) {
      const tmp = await prepareRunDir(out, id);
      await writeRunFiles(tmp, [{ name: 'x.txt', content: id }]);
      expect(existsSync(join(out, id))).toBe(false);
      await finishRun(out, id);
      expect(readFileSync(join(out, id, 'x.txt'), 'utf8')).toBe(id);
      expect(readlinkSync(join(out, 'latest'))).toBe(id);
    }
  });

  it('leaves nothing behind when a run is abandoned', async () => {
    const out = tempDir();
    const tmp = await prepareRunDir(out, 'broken');
    await writeRunFiles(tmp, [{ name: 'half.json', content: '{' }]);
    await abandonRun(out, 'broken');
    expect(existsSync(tmp)).toBe(false);
    expect(existsSync(join(out, 'broken'))).toBe(false);
  });
});

/** node's file system, with one call failing with `code` when `when` matches its path. */
function failingFs(call: 'mkdir' | 'writeFile' | 'rename', code: string, when: (path: string) => boolean): WriterFs {
  const fail = (path: string) => Object.assign(new Error(`${code}: simulated, ${call} '${path}'`), { code });
  return {
    ...nodeWriterFs,
    [call]: async (path: string, ...rest: unknown[]) => {
      if (when(path)) throw fail(path);
      return (nodeWriterFs[call] as (...a: unknown[]) => Promise<unknown>)(path, ...rest);
    },
  };
}

const oneLine = (fn: () => Promise<unknown>) =>
  fn().then(
    () => {
      throw new Error('expected a failure');
    },
    (e: unknown) => (e as { oneLine(): string }).oneLine(),
  );

describe('probing the output folder before any work', () => {
  it('accepts a folder, a path to be created (creating nothing), and latest as a link', async () => {
    const root = tempDir();
    await probeOutputDir(join(root, 'a', 'b'));
    expect(entries(root)).toEqual([]);
    mkdirSync(join(root, 'reports'));
    symlinkSync('some-run', join(root, 'reports', 'latest'), 'dir');
    await probeOutputDir(join(root, 'reports'));
    expect(entries(join(root, 'reports'))).toEqual(['latest']);
  });

  it('--out pointing at a file, or inside one', async () => {
    const root = tempDir();
    const file = join(root, 'notes.txt');
    writeFileSync(file, 'x');
    expect(await oneLine(() => probeOutputDir(file))).toBe(errors.outputNotFolder(file, 'a file').oneLine());
    expect(await oneLine(() => probeOutputDir(join(file, 'runs')))).toBe(errors.outputNotFolder(join(file, 'runs'), 'inside a file').oneLine());
  });

  it('latest being a real folder', async () => {
    const out = tempDir();
    mkdirSync(join(out, 'latest'));
    expect(await oneLine(() => probeOutputDir(out))).toBe(errors.latestNotPointer(join(out, 'latest')).oneLine());
  });

  it('a read-only folder (the probe entry cannot be created)', async () => {
    const out = tempDir();
    const fs = failingFs('mkdir', 'EACCES', (p) => p.includes('.segmint-probe-'));
    expect(await oneLine(() => probeOutputDir(out, fs))).toBe(errors.outputNotWritable(out, 'permission denied (EACCES)').oneLine());
    const missing = join(out, 'new', 'runs');
    expect(await oneLine(() => probeOutputDir(missing, failingFs('mkdir', 'EROFS', () => true)))).toBe(
      errors.outputNotWritable(missing, `the file system is read-only (EROFS) in ${out}`).oneLine(),
    );
    expect(entries(out)).toEqual([]);
  });
});

describe('file-system failures while writing a run', () => {
  it('a full disk: one SegmintError naming the file; abandoning leaves nothing', async () => {
    const out = tempDir();
    const tmp = await prepareRunDir(out, 'run-x');
    const fs = failingFs('writeFile', 'ENOSPC', (p) => p.endsWith('report.html'));
    const files = [{ name: 'manifest.json', content: '{}' }, { name: 'report.html', content: '<html>' }];
    expect(await oneLine(() => writeRunFiles(tmp, files, fs))).toBe(errors.outputWriteFailed(join(tmp, 'report.html'), 'the disk is full (ENOSPC)').oneLine());
    await abandonRun(out, 'run-x');
    expect(entries(out)).toEqual([]);
  });

  it('permission lost while claiming the run id', async () => {
    const out = tempDir();
    const fs = failingFs('mkdir', 'EACCES', (p) => p.includes('.tmp-'));
    const line = await oneLine(() => reserveRunId(new Date('2026-11-01T00:00:00Z'), 'abcdef', out, fs));
    expect(line).toMatch(/^error: cannot write .*\.tmp-2026-11-01T00-00-00Z-abcdef: permission denied \(EACCES\) \(hint: /);
  });

  it('latest turned into a folder after the probe: the run is not published', async () => {
    const out = tempDir();
    const tmp = await prepareRunDir(out, 'run-y');
    await writeRunFiles(tmp, [{ name: 'x.txt', content: 'y' }]);
    mkdirSync(join(out, 'latest'));
    expect(await oneLine(() => finishRun(out, 'run-y'))).toBe(errors.latestNotPointer(join(out, 'latest')).oneLine());
    expect(existsSync(join(out, 'run-y'))).toBe(false);
    await abandonRun(out, 'run-y');
    expect(entries(out)).toEqual(['latest']);
  });

  it('other errors are bugs and pass through unchanged', async () => {
    const out = tempDir();
    const fs = failingFs('writeFile', 'EBADF', () => true);
    await expect(writeRunFiles(out, [{ name: 'a', content: '' }], fs)).rejects.toThrow(/EBADF: simulated/);
  });

  it('replaceFile leaves no temporary file when the write fails, and names the file', () => {
    const dir = tempDir();
    const file = join(dir, 'report.md');
    mkdirSync(join(file, 'inside'), { recursive: true }); // a folder stands where the file goes
    expect(() => replaceFile(file, 'new')).toThrow(/^cannot write .*report\.md: a folder is in the way \((EISDIR|ENOTEMPTY)\)$/);
    expect(entries(dir)).toEqual(['report.md']);
    expect(entries(file)).toEqual(['inside']);
  });
});

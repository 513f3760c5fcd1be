import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { abandonRun, finishRun, makeRunId, prepareRunDir, reserveRunId, tempRunDir, writeRunFiles } from '../../src/run/output.js';
import { tempDir } from '../helpers/tmp.js';

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

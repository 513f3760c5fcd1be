/**
 * A full disk while the run folder is written (simulated: the writer's writeFile fails with
 * ENOSPC on report.html): one line naming the file, exit 1, and no run — finished or
 * temporary — left in --out.
 */
import { describe, expect, it, vi } from 'vitest';
import { join } from 'node:path';
import { entries, runCli, tempDir } from '../helpers/cli.js';
import { plantedEvents } from './inputs.js';

const diskFull = vi.hoisted(() => ({ on: false }));

vi.mock('node:fs/promises', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs/promises')>();
  const writeFile = (async (path: Parameters<typeof fs.writeFile>[0], ...rest: unknown[]) => {
    if (diskFull.on && String(path).endsWith('report.html')) {
      throw Object.assign(new Error(`ENOSPC: no space left on device, write '${String(path)}'`), { code: 'ENOSPC' });
    }
    return (fs.writeFile as (...a: unknown[]) => Promise<void>)(path, ...rest);
  }) as typeof fs.writeFile;
  return { ...fs, default: { ...fs, writeFile }, writeFile };
});

describe('segmint run on a full disk', () => {
  it('one line, non-zero exit, no half-written run', async () => {
    const dir = tempDir();
    const out = join(dir, 'reports');
    diskFull.on = true;
    try {
      const r = await runCli(['run', '--events', plantedEvents(dir), '--out', out, '--k', '2', '--quiet']);
      expect(r.code).toBe(1);
      const errorsOnly = r.stderr.split('\n').filter((line) => !line.startsWith('warning: ') && line !== '');
      expect(errorsOnly).toHaveLength(1);
      expect(errorsOnly[0]).toMatch(/^error: cannot write .*reports\/\.tmp-[^/]+\/report\.html: the disk is full \(ENOSPC\) \(hint: free disk space/);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(entries(out)).toEqual([]);
    } finally {
      diskFull.on = false;
    }
  }, 60_000);
});

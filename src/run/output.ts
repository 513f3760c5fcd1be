/**
 * Writing a run folder safely: everything goes into a hidden temporary folder beside the final
 * one, which is renamed into place only when complete, so a crash never leaves a half-written run
 * that looks finished. `latest` is then repointed at the new run.
 */
import { mkdir, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export interface RunFile {
  readonly name: string;
  readonly content: string;
}

/** A sortable, filesystem-safe run id: UTC time to the second plus a short config hash. */
export function makeRunId(startedAt: Date, configHash: string, outDir: string, taken: (id: string) => boolean = (id) => existsSync(join(outDir, id))): string {
  const stamp = startedAt.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/:/g, '-');
  const base = `${stamp}-${configHash.slice(0, 6)}`;
  let id = base;
  for (let n = 2; taken(id); n++) id = `${base}-${n}`;
  return id;
}

/**
 * Picks a run id and claims it by creating its temporary folder exclusively, so two runs started
 * in the same second with the same config (two identical runs into one `--out`) can never write
 * into one folder: the second finds the folder taken and moves on to the next id.
 */
export async function reserveRunId(startedAt: Date, configHash: string, outDir: string): Promise<string> {
  await mkdir(outDir, { recursive: true });
  const tried = new Set<string>();
  for (;;) {
    const id = makeRunId(startedAt, configHash, outDir, (candidate) => tried.has(candidate) || existsSync(join(outDir, candidate)));
    tried.add(id);
    try {
      await mkdir(tempRunDir(outDir, id));
      return id;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
}

/** The temporary folder a run writes into before it is complete. */
export function tempRunDir(outDir: string, runId: string): string {
  return join(outDir, `.tmp-${runId}`);
}

export async function prepareRunDir(outDir: string, runId: string): Promise<string> {
  const tmp = tempRunDir(outDir, runId);
  await mkdir(tmp, { recursive: true });
  return tmp;
}

export async function writeRunFiles(dir: string, files: readonly RunFile[]): Promise<void> {
  for (const f of files) await writeFile(join(dir, f.name), f.content);
}

/** Rename the temporary folder into place and repoint `latest`. Returns the final path. */
export async function finishRun(outDir: string, runId: string): Promise<string> {
  const finalDir = join(outDir, runId);
  await rename(tempRunDir(outDir, runId), finalDir);
  const link = join(outDir, 'latest');
  const tmpLink = join(outDir, `.latest-${runId}`);
  await rm(tmpLink, { force: true });
  await symlink(runId, tmpLink, 'dir');
  await rename(tmpLink, link);
  return finalDir;
}

/** Remove a partially written run (called when any stage fails). */
export async function abandonRun(outDir: string, runId: string): Promise<void> {
  await rm(tempRunDir(outDir, runId), { recursive: true, force: true });
}

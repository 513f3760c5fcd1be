/**
 * Writing a run folder safely: everything goes into a hidden temporary folder beside the final
 * one, which is renamed into place only when complete, so a crash never leaves a half-written run
 * that looks finished. `latest` is then repointed at the new run.
 *
 * The output folder is probed before any work starts (`probeOutputDir`), and a file-system
 * failure while writing (a full disk, a folder made read-only meanwhile) becomes one
 * SegmintError naming the path, instead of a stack trace.
 */
import * as nodeFsPromises from 'node:fs/promises';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { errors } from '../core/messages.js';
import { latestName } from './jobs.js';
import { shownPath } from './paths.js';

export interface RunFile {
  readonly name: string;
  /** The text, or its pieces in order (written as a stream: a large file is never one string). */
  readonly content: string | Iterable<string>;
}

/** The file-system calls the writer makes (node's by default; tests pass failing ones). */
export interface WriterFs {
  mkdir(path: string, options?: { recursive?: boolean }): Promise<unknown>;
  writeFile(path: string, content: string | Iterable<string>): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  rm(path: string, options: { recursive?: boolean; force?: boolean }): Promise<void>;
  symlink(target: string, path: string, type: 'dir'): Promise<void>;
  /** Stats without following a final symlink (undefined when nothing is there). */
  lstat(path: string): Promise<{ isDirectory(): boolean; isSymbolicLink(): boolean } | undefined>;
  /** Stats following symlinks (undefined when nothing is there). */
  stat(path: string): Promise<{ isDirectory(): boolean } | undefined>;
}

const orUndefined = async <T>(p: Promise<T>): Promise<T | undefined> => {
  try {
    return await p;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
};

export const nodeWriterFs: WriterFs = {
  // Synchronous: a run registers its claimed `.tmp-<run-id>` folder for removal on SIGINT/SIGTERM
  // in the same turn of the event loop as it is created. With the thread pool's mkdir, a signal
  // handled after the folder was made but before its completion came back left it behind, empty.
  mkdir: async (path, options) => mkdirSync(path, options),
  writeFile: (path, content) => nodeFsPromises.writeFile(path, content),
  rename: (from, to) => nodeFsPromises.rename(from, to),
  rm: (path, options) => nodeFsPromises.rm(path, options),
  symlink: (target, path, type) => nodeFsPromises.symlink(target, path, type),
  lstat: (path) => orUndefined(nodeFsPromises.lstat(path)),
  stat: (path) => orUndefined(nodeFsPromises.stat(path)),
};

/** File-system error codes a user can act on, in words. Anything else is a bug and keeps its stack. */
const REASONS: Readonly<Record<string, string>> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
  ENOTDIR: 'part of the path is a file, not a folder',
  EISDIR: 'a folder is in the way',
  EEXIST: 'a file is in the way',
  ENOTEMPTY: 'a folder is in the way',
  EIO: 'an input/output error from the disk',
};

/** The one-line reason for a file-system error, or null when it is not one a user can fix. */
export function fsReason(e: unknown): string | null {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  return code && REASONS[code] ? `${REASONS[code]} (${code})` : null;
}

/** A file-system error while writing `path` as a SegmintError; other errors unchanged. */
export function writeFailure(path: string, e: unknown): unknown {
  const reason = fsReason(e);
  return reason === null ? e : errors.outputWriteFailed(shownPath(path), reason);
}

/**
 * Checks, before any analysis, that runs can be written into `outDir`: it is a folder (or can be
 * created as one), a temporary entry can be created and removed in it, and `latest` in it is
 * not a real folder (it is repointed at every run). Creates nothing that outlives the probe.
 *
 * @example
 * await probeOutputDir(config.output.dir); // throws errors.outputNotWritable(...) on a read-only folder
 */
export async function probeOutputDir(outDir: string, fs: WriterFs = nodeWriterFs): Promise<void> {
  // The folder itself, or the nearest ancestor that exists (the run creates the rest).
  let existing = outDir;
  let stats = await statOrFail(fs, existing, outDir);
  while (!stats && dirname(existing) !== existing) {
    existing = dirname(existing);
    stats = await statOrFail(fs, existing, outDir);
  }
  if (stats && !stats.isDirectory()) throw errors.outputNotFolder(shownPath(existing), 'a file');

  const probe = join(existing, `.segmint-probe-${process.pid}-${Math.random().toString(36).slice(2, 10)}`);
  try {
    await fs.mkdir(probe);
  } catch (e) {
    const reason = fsReason(e);
    if (reason === null) throw e;
    throw errors.outputNotWritable(shownPath(outDir), existing === outDir ? reason : `${reason} in ${shownPath(existing)}`);
  }
  await fs.rm(probe, { recursive: true, force: true });

  if (existing === outDir) await checkLatest(fs, outDir);
}

async function statOrFail(fs: WriterFs, path: string, outDir: string) {
  try {
    return await fs.stat(path);
  } catch (e) {
    const reason = fsReason(e);
    if (reason === null) throw e;
    // ENOTDIR: a file stands where a folder of the path should be.
    if ((e as NodeJS.ErrnoException).code === 'ENOTDIR') throw errors.outputNotFolder(shownPath(outDir), 'inside a file');
    throw errors.outputNotWritable(shownPath(outDir), reason);
  }
}

async function checkLatest(fs: WriterFs, outDir: string, name = 'latest'): Promise<void> {
  const latest = join(outDir, name);
  const stats = await fs.lstat(latest);
  if (stats && stats.isDirectory() && !stats.isSymbolicLink()) throw errors.latestNotPointer(shownPath(latest));
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
export async function reserveRunId(startedAt: Date, configHash: string, outDir: string, fs: WriterFs = nodeWriterFs): Promise<string> {
  try {
    await fs.mkdir(outDir, { recursive: true });
  } catch (e) {
    throw writeFailure(outDir, e);
  }
  const tried = new Set<string>();
  for (;;) {
    const id = makeRunId(startedAt, configHash, outDir, (candidate) => tried.has(candidate) || existsSync(join(outDir, candidate)));
    tried.add(id);
    try {
      await fs.mkdir(tempRunDir(outDir, id));
      return id;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw writeFailure(tempRunDir(outDir, id), e);
    }
  }
}

/** The temporary folder a run writes into before it is complete. */
export function tempRunDir(outDir: string, runId: string): string {
  return join(outDir, `.tmp-${runId}`);
}

export async function prepareRunDir(outDir: string, runId: string, fs: WriterFs = nodeWriterFs): Promise<string> {
  const tmp = tempRunDir(outDir, runId);
  try {
    await fs.mkdir(tmp, { recursive: true });
  } catch (e) {
    throw writeFailure(tmp, e);
  }
  return tmp;
}

/** Writes the files into the (temporary) run folder; a full disk or lost permission is one SegmintError. */
export async function writeRunFiles(dir: string, files: readonly RunFile[], fs: WriterFs = nodeWriterFs): Promise<void> {
  for (const f of files) {
    const path = join(dir, f.name);
    try {
      await fs.writeFile(path, f.content);
    } catch (e) {
      throw writeFailure(path, e);
    }
  }
}

/**
 * Rename the temporary folder into place and repoint the pointers: `latest-<job>` for the run's
 * job and, while it stays unambiguous (no other job has a pointer in this folder), `latest`. Once
 * a second job writes into the folder, `latest` is removed rather than left naming one job's run
 * as everyone's latest. Without a job (callers from before jobs), only `latest`. Returns the final path.
 */
export async function finishRun(outDir: string, runId: string, fs: WriterFs = nodeWriterFs, job?: string): Promise<string> {
  const finalDir = join(outDir, runId);
  const own = job === undefined ? null : latestName(job);
  // Checked again here (the probe ran before the analysis): a real folder named latest cannot be
  // replaced by a link, and finding that out after the rename would leave the run half-published.
  await checkLatest(fs, outDir);
  if (own) await checkLatest(fs, outDir, own);
  const others = own === null ? [] : otherJobPointers(outDir, own);
  try {
    await fs.rename(tempRunDir(outDir, runId), finalDir);
  } catch (e) {
    throw writeFailure(finalDir, e);
  }
  if (own) await pointAt(fs, outDir, own, runId);
  if (others.length === 0) await pointAt(fs, outDir, 'latest', runId);
  else {
    const global = await fs.lstat(join(outDir, 'latest'));
    if (global?.isSymbolicLink()) {
      try {
        await fs.rm(join(outDir, 'latest'), { force: true });
      } catch (e) {
        throw writeFailure(join(outDir, 'latest'), e);
      }
    }
  }
  return finalDir;
}

/** Pointers of other jobs in `outDir` (`latest-*` links other than `own`). */
function otherJobPointers(outDir: string, own: string): string[] {
  try {
    return readdirSync(outDir, { withFileTypes: true })
      .filter((d) => d.isSymbolicLink() && d.name.startsWith('latest-') && d.name !== own)
      .map((d) => d.name);
  } catch {
    return [];
  }
}

/** Repoint the link `name` in `outDir` at `runId` atomically (a link beside, renamed over). */
async function pointAt(fs: WriterFs, outDir: string, name: string, runId: string): Promise<void> {
  const link = join(outDir, name);
  const tmpLink = join(outDir, `.${name}-${runId}`);
  try {
    await fs.rm(tmpLink, { force: true });
    await fs.symlink(runId, tmpLink, 'dir');
    await fs.rename(tmpLink, link);
  } catch (e) {
    // The run itself is complete and in place; only the pointer could not be moved.
    await fs.rm(tmpLink, { force: true }).catch(() => undefined);
    throw writeFailure(link, e);
  }
}

/** Remove a partially written run (called when any stage fails). */
export async function abandonRun(outDir: string, runId: string, fs: WriterFs = nodeWriterFs): Promise<void> {
  await fs.rm(tempRunDir(outDir, runId), { recursive: true, force: true });
}

/**
 * Replace one file atomically (write beside, then rename), for `report` and `assign`: a reader
 * never sees a half-written file, and a failed write leaves the old file and no temporary one.
 */
export function replaceFile(file: string, content: string): void {
  const tmp = join(dirname(file), `.${basename(file)}.tmp`);
  try {
    writeFileSync(tmp, content);
    renameSync(tmp, file);
  } catch (e) {
    // Best effort: the write's own error is the one to report.
    try {
      rmSync(tmp, { force: true });
    } catch {
      /* something else is in the way; left as it was */
    }
    throw writeFailure(file, e);
  }
}

/**
 * DuckDB's private spill folders. Each database gets a fresh one (mode 0700, named after this
 * process), removed when the database closes, when the process exits, and on SIGINT/SIGTERM; a
 * folder left by a process that died without cleaning up (SIGKILL, power loss) is removed by the
 * next segmint that starts, once its owner is known to be gone.
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PREFIX = 'segmint-spill-';
const OURS = /^segmint-spill-(\d+)-/;
const open = new Set<string>();
let hooksInstalled = false;

/** A new private spill folder for this process. */
export function createSpillDir(root = tmpdir()): string {
  removeStaleSpillDirs(root);
  installExitHooks();
  const dir = mkdtempSync(join(root, `${PREFIX}${process.pid}-`));
  open.add(dir);
  return dir;
}

export function removeSpillDir(dir: string): void {
  open.delete(dir);
  rmSync(dir, { recursive: true, force: true });
}

/**
 * Remove `dir` too if the process exits or is stopped (SIGINT/SIGTERM) before the returned
 * function is called: a run's `.tmp-<run-id>` folder while its files are written, so Ctrl-C there
 * leaves nothing behind (QA found one left after Ctrl-C in the report stage). Call the function
 * once the folder is renamed into place or removed.
 */
export function removeOnExit(dir: string): () => void {
  installExitHooks();
  open.add(dir);
  return () => {
    open.delete(dir);
  };
}

/**
 * Removes spill folders under `root` whose process is gone. Only folders of this user: another
 * user's are not ours to judge (and their mode keeps us out anyway).
 *
 * @returns the folders removed
 */
export function removeStaleSpillDirs(root = tmpdir(), alive: (pid: number) => boolean = processAlive): string[] {
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(root);
  } catch {
    return removed;
  }
  const uid = process.getuid?.();
  for (const name of names) {
    const m = OURS.exec(name);
    if (m === null) continue;
    const pid = Number(m[1]);
    if (pid === process.pid || alive(pid)) continue;
    const dir = join(root, name);
    try {
      if (uid !== undefined && statSync(dir).uid !== uid) continue;
      rmSync(dir, { recursive: true, force: true });
      removed.push(dir);
    } catch {
      // Gone already, or not ours to remove: either way nothing to do.
    }
  }
  return removed;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function removeAllOpen(): void {
  for (const dir of open) rmSync(dir, { recursive: true, force: true });
  open.clear();
}

/**
 * On exit, remove what is still open. SIGINT/SIGTERM end the process as they would by default
 * (exit codes 130/143), which runs the exit hook first; a program that handles them itself keeps
 * its own handler (we add ours only when there is none).
 */
function installExitHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on('exit', removeAllOpen);
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    if (process.listenerCount(signal) > 0) continue;
    process.once(signal, () => {
      removeAllOpen();
      process.exit(code);
    });
  }
}

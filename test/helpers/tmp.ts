/** Temporary folders for tests. */
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function tempDir(prefix = 'segmint-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Entries in a folder (empty when it does not exist). */
export function entries(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).sort() : [];
}

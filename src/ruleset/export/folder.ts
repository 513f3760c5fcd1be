/**
 * An export owns its `--out` folder: it records the files it wrote (name and sha256) in
 * `.segmint-export.json` there, and the next export into the folder removes the recorded files it
 * no longer writes — a retired segment's model, an older dbt version, another target's files — so
 * a dbt project stops building a segment that is gone. It never removes a file it did not write:
 * one missing from the record, outside the folder, or changed since it was written (left in place,
 * and said so).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { replaceFile, writeFailure } from '../../run/output.js';
import { shownPath } from '../../run/paths.js';

export const EXPORT_MANIFEST = '.segmint-export.json';

export interface ExportFile {
  readonly name: string;
  readonly content: string;
}

export interface FolderSync {
  /** Paths written, in order. */
  readonly written: readonly string[];
  /** Paths of earlier exports' files removed because this export no longer writes them. */
  readonly removed: readonly string[];
  /** Lines for stdout: what was removed, and what was left in place and why. */
  readonly notes: readonly string[];
}

/** The names an export writes: flat file names (keys, dbt model names, fixed names), nothing else. */
const FILE_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

const manifestSchema = z.object({
  kind: z.literal('segmint.export'),
  version: z.literal(1),
  to: z.string(),
  files: z.record(z.string(), z.string()),
});

const sha256 = (text: string | Buffer) => `sha256:${createHash('sha256').update(text).digest('hex')}`;

/**
 * Writes `files` into `dir` (each atomically), removes the files the previous export recorded and
 * this one does not write, then records this export.
 *
 * @example
 * syncExportFolder('models/segments', 'dbt', [{ name: 'schema.yml', content: '…' }]);
 * // { written: ['models/segments/schema.yml'], removed: ['models/segments/segment_old_v1.sql'], notes: ['removed …'] }
 */
export function syncExportFolder(dir: string, to: string, files: readonly ExportFile[]): FolderSync {
  const manifestFile = join(dir, EXPORT_MANIFEST);
  const previous = readManifest(manifestFile);
  const notes: string[] = [];
  if (previous === 'unreadable') notes.push(`${shownPath(manifestFile)} could not be read; no earlier files were removed`);

  const written = files.map((f) => {
    const path = join(dir, f.name);
    replaceFile(path, f.content);
    return path;
  });

  const removed: string[] = [];
  const now = new Set(files.map((f) => f.name));
  if (previous !== null && previous !== 'unreadable') {
    for (const [name, hash] of Object.entries(previous.files)) {
      if (now.has(name) || name === EXPORT_MANIFEST || !FILE_NAME.test(name)) continue;
      const path = join(dir, name);
      if (!existsSync(path)) continue;
      if (sha256(readFileSync(path)) !== hash) {
        notes.push(`left ${shownPath(path)} in place: no longer exported, but changed since segmint wrote it`);
        continue;
      }
      try {
        rmSync(path);
      } catch (e) {
        throw writeFailure(path, e);
      }
      removed.push(path);
      notes.push(`removed ${shownPath(path)}: no longer exported`);
    }
  }

  const record = { kind: 'segmint.export', version: 1, to, files: Object.fromEntries(files.map((f) => [f.name, sha256(f.content)])) };
  replaceFile(manifestFile, JSON.stringify(record, null, 2) + '\n');
  return { written, removed, notes };
}

function readManifest(file: string): z.output<typeof manifestSchema> | null | 'unreadable' {
  if (!existsSync(file)) return null;
  try {
    const parsed = manifestSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data : 'unreadable';
  } catch {
    return 'unreadable';
  }
}

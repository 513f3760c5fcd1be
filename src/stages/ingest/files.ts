/**
 * Input files: resolving paths, directories and globs to a sorted list of real files,
 * recognising their format, and fingerprinting them for the run manifest.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { errors } from '../../core/messages.js';
import type { InputFingerprint } from './types.js';
import { compareStrings, expandGlob, hasGlob, listFiles } from './glob.js';
import { scanFile, type ScanKind } from './scan.js';
import { checkNotBinary } from './magic.js';

export type FileFormat = 'csv' | 'tsv' | 'jsonl' | 'json' | 'parquet';

const COMPRESSION = /\.(gz|gzip|zst)$/i;
const FORMATS: readonly (readonly [RegExp, FileFormat])[] = [
  [/\.(csv|txt)$/i, 'csv'],
  [/\.(tsv|tab)$/i, 'tsv'],
  [/\.(jsonl|ndjson)$/i, 'jsonl'],
  [/\.json$/i, 'json'],
  [/\.(parquet|pq)$/i, 'parquet'],
];

/** The format a file name announces (compression suffixes ignored), or null when unknown. */
export function formatOf(file: string): FileFormat | null {
  const name = path.basename(file).replace(COMPRESSION, '');
  for (const [re, format] of FORMATS) if (re.test(name)) return format;
  return null;
}

/**
 * Turn configured paths (files, directories or globs) into absolute files, sorted within each
 * directory or glob, in the order the paths were given, without repeats.
 * A named file that does not exist is an error; so is a directory or glob that matches nothing.
 * Directories and globs only pick up files with a known extension (and skip hidden files), so
 * `_SUCCESS` markers or READMEs next to an export are not read as data.
 *
 * @example
 * await resolveInputs(['/data/events/*.csv.gz'], 'events'); // ['/data/events/2024-01.csv.gz', …]
 */
export async function resolveInputs(paths: readonly string[], role: string): Promise<string[]> {
  const out: string[] = [];
  const seen = new Set<string>();
  const add = (f: string) => {
    if (!seen.has(f)) {
      seen.add(f);
      out.push(f);
    }
  };
  for (const p of paths) {
    const abs = path.resolve(p);
    if (hasGlob(abs)) {
      const matched = (await expandGlob(abs)).filter(isDataFile);
      if (matched.length === 0) throw errors.noMatchingFiles(p, role);
      matched.forEach(add);
      continue;
    }
    const info = await stat(abs).catch(() => null);
    if (!info) throw errors.fileNotFound(abs, role);
    if (info.isDirectory()) {
      const listed = (await listFiles(abs)).filter(isDataFile).sort(compareStrings);
      if (listed.length === 0) throw errors.noMatchingFiles(p, role);
      listed.forEach(add);
    } else {
      add(abs);
    }
  }
  for (const f of out) await checkNotBinary(f, role);
  return out;
}

function isDataFile(file: string): boolean {
  const name = path.basename(file);
  return !name.startsWith('.') && !name.startsWith('_') && formatOf(file) !== null;
}

/** What `scanFile` should look for in a file of this name. */
export function scanKind(file: string): ScanKind {
  const format = formatOf(file) ?? 'csv';
  return format === 'parquet' ? 'binary' : format === 'json' || format === 'jsonl' ? 'json' : 'csv';
}

/**
 * Size and SHA-256 of a file, hashed as a stream so large exports never sit in memory (a gzip
 * file is also checked to be complete).
 *
 * @example
 * await fingerprint('/data/events.csv'); // { path: '/data/events.csv', bytes: 1234, sha256: '…' }
 */
export async function fingerprint(file: string): Promise<InputFingerprint> {
  return (await scanFile(file, scanKind(file))).fingerprint;
}

/**
 * A small glob matcher, so input patterns resolve in JavaScript (sorted, deterministic) and the
 * run's fingerprints list the real files. DuckDB could glob too, but then the manifest would
 * only know the pattern, not which files a run actually read.
 *
 * Supports `*`, `?`, `**`, `[abc]` / `[!abc]` and `{a,b}`; patterns use `/` as separator.
 */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';

const GLOB_CHARS = /[*?[{]/;

export function hasGlob(pattern: string): boolean {
  return GLOB_CHARS.test(pattern);
}

/**
 * The regular expression a glob pattern stands for (matched against a `/`-separated path).
 *
 * @example
 * globToRegExp('events/**\/*.csv').test('events/2024/05/a.csv'); // true
 */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  let braces = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') {
      if (glob[i + 1] === '*') {
        // `**/` matches zero or more whole directories; a bare `**` anything at all.
        if (glob[i + 2] === '/') {
          re += '(?:.*/)?';
          i += 2;
        } else {
          re += '.*';
          i += 1;
        }
      } else {
        re += '[^/]*';
      }
    } else if (c === '?') {
      re += '[^/]';
    } else if (c === '[') {
      const close = glob.indexOf(']', i + 2);
      if (close < 0) {
        re += '\\[';
      } else {
        let body = glob.slice(i + 1, close);
        if (body.startsWith('!')) body = '^' + body.slice(1);
        re += '[' + body.replace(/\\/g, '\\\\') + ']';
        i = close;
      }
    } else if (c === '{') {
      braces++;
      re += '(?:';
    } else if (c === '}' && braces > 0) {
      braces--;
      re += ')';
    } else if (c === ',' && braces > 0) {
      re += '|';
    } else {
      re += c.replace(/[.+^$()|\\\]{}]/g, '\\$&');
    }
  }
  return new RegExp('^' + re + '$');
}

/** Byte-order string comparison (locale-independent, so every machine sorts alike). */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Every file under `dir`, recursively, as absolute paths, sorted. */
export async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const out: string[] = [];
  for (const e of entries) {
    if (!e.isFile()) continue;
    // `parentPath` is the current name; `path` is its deprecated alias on older Node 20 releases.
    const parent = (e as unknown as { parentPath?: string; path?: string }).parentPath ?? (e as unknown as { path: string }).path;
    out.push(path.join(parent, e.name));
  }
  return out.sort(compareStrings);
}

/** Absolute files matching an absolute glob pattern, sorted. */
export async function expandGlob(pattern: string): Promise<string[]> {
  const posix = pattern.split(path.sep).join('/');
  const parts = posix.split('/');
  const firstGlob = parts.findIndex((p) => hasGlob(p));
  const base = parts.slice(0, firstGlob).join('/') || '/';
  const rest = parts.slice(firstGlob).join('/');
  const exists = await stat(base).then((s) => s.isDirectory(), () => false);
  if (!exists) return [];
  const re = globToRegExp(rest);
  const files = await listFiles(base);
  return files.filter((f) => re.test(path.relative(base, f).split(path.sep).join('/')));
}

/** Paths as messages show them. */
import { isAbsolute, relative } from 'node:path';

/** Relative to the current directory when inside it (as the user typed it), else absolute. */
export function shownPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

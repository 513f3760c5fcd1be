/** Writes both reports into a run folder. */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunDocuments } from '../../run/types.js';
import { renderHtml } from './html.js';
import { renderMarkdown } from './markdown.js';

/**
 * Writes `report.md` and `report.html` into `dir` (which must exist).
 *
 * @example
 * await writeReports('/tmp/run', docs); // → /tmp/run/report.md, /tmp/run/report.html
 */
export async function writeReports(dir: string, docs: RunDocuments): Promise<void> {
  // Render both before writing either, so a rendering bug never leaves one report without the other.
  const md = renderMarkdown(docs);
  const html = renderHtml(docs);
  await writeFile(join(dir, 'report.md'), md, 'utf8');
  await writeFile(join(dir, 'report.html'), html, 'utf8');
}

/** How a run read its event columns, said in a line of its log. */
import path from 'node:path';
import type { EventColumnMapping } from './types.js';

/**
 * The timestamp format(s) the event files were read in: `iso`, or, when the files differ, each
 * format with how many files (the file named when it is the only one), e.g.
 * `iso in 89 files, epoch_ms in 2026-03-01.csv`.
 */
export function timestampFormatWords(m: EventColumnMapping): string {
  if (!m.byFile) return m.timestampFormat;
  const files = new Map<string, string[]>();
  for (const f of m.byFile) files.set(f.timestampFormat, [...(files.get(f.timestampFormat) ?? []), f.file]);
  if (files.size === 1) return `${m.timestampFormat}; columns differ between files (manifest.json: mapping.byFile)`;
  return [...files].map(([format, of]) => `${format} in ${of.length === 1 ? path.basename(of[0]) : `${of.length} files`}`).join(', ');
}

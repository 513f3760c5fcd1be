import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderHtml, renderMarkdown, writeReports } from '../../../src/stages/report/index.js';
import { makeRunDocuments } from '../../helpers/run-documents.js';

describe('writeReports', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('writes report.md and report.html into the folder', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'segmint-report-'));
    dirs.push(dir);
    const docs = makeRunDocuments();
    await writeReports(dir, docs);
    expect(await readFile(join(dir, 'report.md'), 'utf8')).toBe(renderMarkdown(docs));
    expect(await readFile(join(dir, 'report.html'), 'utf8')).toBe(renderHtml(docs));
  });
});

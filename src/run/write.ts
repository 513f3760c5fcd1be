/**
 * Writing a whole run: claim its id, build its documents and files, write them into the hidden
 * temporary folder and rename it into place (see output.ts). Any failure removes the temporary
 * folder, so no half-written run is ever left behind.
 */
import type { ResolvedConfig } from '../config/types.js';
import type { RunContext } from '../core/context.js';
import { renderRulesSql } from '../stages/rules/index.js';
import { renderHtml, renderMarkdown } from '../stages/report/index.js';
import { assignmentsCsv, toAssignments, type Assignment } from './assignments.js';
import { buildDocuments, type Analysis } from './documents.js';
import { stableJson } from './json.js';
import { abandonRun, finishRun, prepareRunDir, reserveRunId, writeRunFiles, type RunFile } from './output.js';
import { rejectsCsv } from './rejects.js';
import type { RunDocuments } from './types.js';

export interface WrittenRun {
  readonly runDir: string;
  readonly documents: RunDocuments;
  readonly assignments: readonly Assignment[];
  readonly files: number;
}

/**
 * @example
 * const written = await writeRun(analysis, config, ctx, { startedAt, configHash: hash, now: () => new Date() });
 */
export async function writeRun(
  a: Analysis,
  config: ResolvedConfig,
  ctx: RunContext,
  clock: { readonly startedAt: Date; readonly configHash: string; readonly now: () => Date },
): Promise<WrittenRun> {
  const outDir = config.output.dir;
  const runId = await reserveRunId(clock.startedAt, clock.configHash, outDir);
  try {
    const stamp = { runId, startedAt: clock.startedAt, finishedAt: clock.now(), configHash: clock.configHash };
    const documents = buildDocuments(stamp, config, ctx, a);
    const assignments = toAssignments(a.features.userIds, a.cluster.placement, a.profiles.map((p) => p.name), a.features.usersWithoutEvents);
    const files: RunFile[] = [
      { name: 'manifest.json', content: stableJson(documents.manifest) },
      { name: 'segments.json', content: stableJson(documents.segments) },
      { name: 'rules.json', content: stableJson(documents.rules) },
      { name: 'rules.sql', content: renderRulesSql(documents.rules) },
      { name: 'assignments.csv', content: assignmentsCsv(assignments) },
      { name: 'report.md', content: renderMarkdown(documents) },
      { name: 'report.html', content: renderHtml(documents) },
    ];
    if (a.ingest.rejects.length > 0) files.push({ name: 'rejects.csv', content: rejectsCsv(a.ingest.rejects) });
    const tmp = await prepareRunDir(outDir, runId);
    await writeRunFiles(tmp, files);
    const runDir = await finishRun(outDir, runId);
    return { runDir, documents, assignments, files: files.length };
  } catch (e) {
    await abandonRun(outDir, runId);
    throw e;
  }
}

/**
 * Writing a whole run: claim its id, build its documents and files, write them into the hidden
 * temporary folder and rename it into place (see output.ts). Any failure removes the temporary
 * folder, so no half-written run is ever left behind.
 */
import type { ResolvedConfig } from '../config/types.js';
import type { RunContext } from '../core/context.js';
import { warnings } from '../core/warnings.js';
import { renderRulesSql } from '../stages/rules/index.js';
import { renderHtml, renderMarkdown } from '../stages/report/index.js';
import { assignmentsCsvChunks, toAssignments, type Assignment } from './assignments.js';
import { buildDocuments, type Analysis } from './documents.js';
import { jobOf } from './jobs.js';
import { computeLineage, runOrigin } from './lineage.js';
import { transitionsCsv } from './transitions.js';
import { stableJson } from './json.js';
import { removeOnExit } from '../core/spill.js';
import { abandonRun, finishRun, prepareRunDir, reserveRunId, tempRunDir, writeRunFiles, type RunFile } from './output.js';
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
  const release = removeOnExit(tempRunDir(outDir, runId));
  try {
    const stamp = { runId, startedAt: clock.startedAt, finishedAt: clock.now(), configHash: clock.configHash };
    const job = jobOf(config);
    const lineage = computeLineage({
      job,
      origin: runOrigin(a.ingest.fingerprints.map((f) => f.sha256), a.ingest.window),
      userIds: a.features.userIds,
      labels: a.cluster.labels,
      points: a.reduce.projected,
      k: a.cluster.k,
      usersWithoutEvents: a.features.usersWithoutEvents,
      profiles: a.profiles,
      previous: a.previous ?? null,
    });
    if (a.previous && lineage.sharedUsers === 0) ctx.warn(warnings.previousSharesNoUsers(a.previous.docs.manifest.runId));
    const documents = buildDocuments(stamp, config, ctx, a, { job, lineage });
    const assignments = toAssignments(a.features.userIds, a.cluster.placement, lineage.names, a.features.usersWithoutEvents);
    const files: RunFile[] = [
      { name: 'manifest.json', content: stableJson(documents.manifest) },
      { name: 'segments.json', content: stableJson(documents.segments) },
      { name: 'rules.json', content: stableJson(documents.rules) },
      { name: 'rules.sql', content: renderRulesSql(documents.rules) },
      { name: 'assignments.csv', content: assignmentsCsvChunks(assignments) },
      { name: 'report.md', content: renderMarkdown(documents) },
      { name: 'report.html', content: renderHtml(documents) },
    ];
    if (a.ingest.rejects.length > 0) files.push({ name: 'rejects.csv', content: rejectsCsv(a.ingest.rejects) });
    if (a.previous) files.push({ name: 'transitions.csv', content: transitionsCsv(lineage.transitions) });
    const tmp = await prepareRunDir(outDir, runId);
    await writeRunFiles(tmp, files);
    const runDir = await finishRun(outDir, runId, undefined, job);
    return { runDir, documents, assignments, files: files.length };
  } catch (e) {
    await abandonRun(outDir, runId);
    throw e;
  } finally {
    release();
  }
}

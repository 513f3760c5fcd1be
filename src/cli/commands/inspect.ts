/** Read-only commands over finished runs: `report`, `runs list|show|diff`, `rules list`. */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isSegmintError } from '../../core/errors.js';
import { errors } from '../../core/messages.js';
import { diffAssignments } from '../../run/diff.js';
import { loadAssignments, loadRunDocuments, resolveRunDir } from '../../run/load.js';
import { replaceFile } from '../../run/output.js';
import { shownPath } from '../../run/paths.js';
import { meanF1 } from '../../pipeline.js';
import { renderHtml, renderMarkdown } from '../../stages/report/index.js';
import type { Io } from '../io.js';
import { summaryTable } from './run.js';
import { textTable } from '../table.js';

/** Re-render report.md and report.html of a finished run from its JSON documents. */
export function reportCommand(run: string, reportsDir: string, io: Io): void {
  const dir = resolveRunDir(run, reportsDir);
  const docs = loadRunDocuments(dir);
  // Both rendered before either is replaced; each written beside, then renamed.
  const rendered = [['report.md', renderMarkdown(docs)], ['report.html', renderHtml(docs)]] as const;
  for (const [name, content] of rendered) replaceFile(join(dir, name), content);
  io.out(`${join(dir, 'report.html')}\n${join(dir, 'report.md')}\n`);
}

/**
 * The finished runs in `reportsDir`, oldest first. A run whose documents do not load (edited,
 * truncated, half-copied) is named on stderr and skipped; the others are still listed.
 */
export function runsList(reportsDir: string, io: Io): void {
  if (!existsSync(reportsDir)) {
    io.out(`no runs in ${reportsDir}\n`);
    return;
  }
  if (!statSync(reportsDir).isDirectory()) throw errors.outputNotFolder(reportsDir, 'a file');
  const ids = readdirSync(reportsDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !d.name.startsWith('.') && existsSync(join(reportsDir, d.name, 'manifest.json')))
    .map((d) => d.name)
    .sort();
  const rows: string[][] = [];
  for (const id of ids) {
    try {
      const docs = loadRunDocuments(join(reportsDir, id));
      rows.push([id, docs.manifest.config.name, String(docs.segments.users), String(docs.segments.k), meanF1(docs.rules).toFixed(2)]);
    } catch (e) {
      if (!isSegmintError(e)) throw e;
      io.err(`warning: skipped ${shownPath(join(reportsDir, id))}: ${e.message} (${e.hint})\n`);
    }
  }
  io.out(textTable(['run', 'config', 'users', 'k', 'mean F1'], rows, [false, false, true, true, true]));
}

export function runsShow(run: string, reportsDir: string, io: Io): void {
  const dir = resolveRunDir(run, reportsDir);
  io.out(`${dir}\n\n${summaryTable(loadRunDocuments(dir))}`);
}

export function runsDiff(runA: string, runB: string, reportsDir: string, io: Io): void {
  const a = resolveRunDir(runA, reportsDir);
  const b = resolveRunDir(runB, reportsDir);
  const docsA = loadRunDocuments(a);
  const docsB = loadRunDocuments(b);
  const namesA = docsA.segments.segments;
  const namesB = docsB.segments.segments;
  const rows = diffAssignments(loadAssignments(a, docsA.segments.k), loadAssignments(b, docsB.segments.k)).map((m) => [
    `${m.segment} ${namesB[m.segment]?.name ?? ''}`,
    String(m.size),
    m.previous === null ? '-' : `${m.previous} ${namesA[m.previous]?.name ?? ''}`,
    String(m.previousSize),
    m.jaccard.toFixed(2),
    m.status,
  ]);
  io.out(textTable(['segment (new run)', 'users', 'best match (old run)', 'users', 'jaccard', 'status'], rows, [false, true, false, true, true, false]));
}

export function rulesList(run: string, reportsDir: string, io: Io): void {
  const docs = loadRunDocuments(resolveRunDir(run, reportsDir));
  for (const r of docs.rules.rules) {
    const m = r.metrics;
    io.out(`${r.id}  ${r.segmentName}\n  ${r.text}\n  precision ${m.precision.toFixed(2)}  recall ${m.recall.toFixed(2)}  F1 ${m.f1.toFixed(2)}  support ${(100 * m.support).toFixed(1)}%  lift ${m.lift.toFixed(1)}  ${r.verified ? 'SQL verified' : 'SQL NOT verified'}\n\n`);
  }
}

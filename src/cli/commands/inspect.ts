/** Read-only commands over finished runs: `report`, `runs list|show|diff`, `rules list`. */
import { existsSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { diffAssignments } from '../../run/diff.js';
import { loadAssignments, loadRunDocuments, resolveRunDir } from '../../run/load.js';
import { meanF1 } from '../../pipeline.js';
import { renderHtml, renderMarkdown } from '../../stages/report/index.js';
import { summaryTable } from './run.js';
import { textTable } from '../table.js';

type Out = (s: string) => void;

/** Re-render report.md and report.html of a finished run from its JSON documents. */
export function reportCommand(run: string, reportsDir: string, out: Out): void {
  const dir = resolveRunDir(run, reportsDir);
  const docs = loadRunDocuments(dir);
  for (const [name, content] of [['report.md', renderMarkdown(docs)], ['report.html', renderHtml(docs)]] as const) {
    // Write beside, then rename: a reader never sees a half-written report.
    writeFileSync(join(dir, `.${name}.tmp`), content);
    renameSync(join(dir, `.${name}.tmp`), join(dir, name));
  }
  out(`${join(dir, 'report.html')}\n${join(dir, 'report.md')}\n`);
}

export function runsList(reportsDir: string, out: Out): void {
  if (!existsSync(reportsDir)) {
    out(`no runs in ${reportsDir}\n`);
    return;
  }
  const ids = readdirSync(reportsDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !d.name.startsWith('.') && existsSync(join(reportsDir, d.name, 'manifest.json')))
    .map((d) => d.name)
    .sort();
  const rows = ids.map((id) => {
    const docs = loadRunDocuments(join(reportsDir, id));
    return [id, docs.manifest.config.name, String(docs.segments.users), String(docs.segments.k), meanF1(docs.rules).toFixed(2)];
  });
  out(textTable(['run', 'config', 'users', 'k', 'mean F1'], rows, [false, false, true, true, true]));
}

export function runsShow(run: string, reportsDir: string, out: Out): void {
  const dir = resolveRunDir(run, reportsDir);
  out(`${dir}\n\n${summaryTable(loadRunDocuments(dir))}`);
}

export function runsDiff(runA: string, runB: string, reportsDir: string, out: Out): void {
  const a = resolveRunDir(runA, reportsDir);
  const b = resolveRunDir(runB, reportsDir);
  const namesA = loadRunDocuments(a).segments.segments;
  const namesB = loadRunDocuments(b).segments.segments;
  const rows = diffAssignments(loadAssignments(a), loadAssignments(b)).map((m) => [
    `${m.segment} ${namesB[m.segment]?.name ?? ''}`,
    String(m.size),
    m.previous === null ? '-' : `${m.previous} ${namesA[m.previous]?.name ?? ''}`,
    String(m.previousSize),
    m.jaccard.toFixed(2),
    m.status,
  ]);
  out(textTable(['segment (new run)', 'users', 'best match (old run)', 'users', 'jaccard', 'status'], rows, [false, true, false, true, true, false]));
}

export function rulesList(run: string, reportsDir: string, out: Out): void {
  const docs = loadRunDocuments(resolveRunDir(run, reportsDir));
  for (const r of docs.rules.rules) {
    const m = r.metrics;
    out(`${r.id}  ${r.segmentName}\n  ${r.text}\n  precision ${m.precision.toFixed(2)}  recall ${m.recall.toFixed(2)}  F1 ${m.f1.toFixed(2)}  support ${(100 * m.support).toFixed(1)}%  lift ${m.lift.toFixed(1)}  ${r.verified ? 'SQL verified' : 'SQL NOT verified'}\n\n`);
  }
}

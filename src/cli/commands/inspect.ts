/** Read-only commands over finished runs: `report`, `runs list|show|diff`, `rules list`. */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { errors } from '../../core/messages.js';
import { diffRuns } from '../../run/diff.js';
import { outcomeChanges } from '../../run/outcome-diff.js';
import { listRuns } from '../../run/jobs.js';
import { keysOf } from '../../run/lineage.js';
import { loadAssignments, loadRunDocuments, resolveRunDir } from '../../run/load.js';
import { replaceFile } from '../../run/output.js';
import { shownPath } from '../../run/paths.js';
import { meanF1 } from '../../pipeline.js';
import { renderHtml, renderMarkdown } from '../../stages/report/index.js';
import { formatPercent } from '../../stages/report/format.js';
import type { Io } from '../io.js';
import { sinceLine, summaryTable } from './run.js';
import { clip, textTable } from '../table.js';

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
 * The finished runs in `reportsDir` (of one job with `job`), oldest first. A run whose documents
 * do not load (edited, truncated, half-copied) is named on stderr and skipped; the others are
 * still listed. A folder that does not exist is an error.
 */
export function runsList(reportsDir: string, io: Io, job?: string): void {
  checkReportsDir(reportsDir);
  const rows: string[][] = [];
  for (const run of listRuns(reportsDir, (dir, e) => io.err(`warning: skipped ${shownPath(dir)}: ${e.message} (${e.hint})\n`))) {
    if (job !== undefined && run.job !== job) continue;
    const docs = loadRunDocuments(run.dir);
    const lineage = docs.segments.lineage;
    rows.push([
      run.id,
      run.job,
      docs.manifest.window.end.slice(0, 10),
      String(docs.segments.users),
      String(docs.segments.k),
      meanF1(docs.rules).toFixed(2),
      lineage?.previousRun ?? '-',
      lineage?.previousRun && lineage.sharedUsers > 0 ? `${((100 * lineage.keptKey) / lineage.sharedUsers).toFixed(1)}%` : '-',
    ]);
  }
  if (job !== undefined && rows.length === 0) {
    io.out(`no runs of job ${job} in ${reportsDir}\n`);
    return;
  }
  io.out(textTable(['run', 'job', 'window end', 'users', 'k', 'mean F1', 'compared with', 'kept key'], rows, [false, false, false, true, true, true, false, true]));
}

/** A run's segment table, with each segment's key and lineage and the segments that ended. */
export function runsShow(run: string, reportsDir: string, io: Io): void {
  const dir = resolveRunDir(run, reportsDir);
  const docs = loadRunDocuments(dir);
  let text = `${dir}\n\n${summaryTable(docs)}`;
  const since = sinceLine(docs);
  if (since) {
    const rows = docs.segments.segments.map((s) => [
      s.key ?? '-',
      clip(s.name, 32),
      s.lineage?.status ?? '-',
      s.lineage?.score === null || s.lineage?.score === undefined ? '-' : s.lineage.score.toFixed(2),
      s.lineage?.from.join(', ') || '-',
      s.lineage?.previousName ? `renamed, was ${clip(s.lineage.previousName, 32)}` : '',
    ]);
    for (const e of docs.segments.lineage?.ended ?? []) rows.push([e.key, clip(e.name, 32), `${e.status} (ended)`, e.score === null ? '-' : e.score.toFixed(2), e.into.length ? `into ${e.into.join(', ')}` : '-', '']);
    text += `\n${since}\n\n${textTable(['key', 'segment', 'status', 'jaccard', 'from', 'note'], rows, [false, false, false, true, false, false])}`;
  }
  io.out(text);
}

/**
 * The segments of the later of the two runs against the earlier one, one-to-one, whichever order
 * they are given in (by the time each finished, as a job's runs follow each other; said on stderr
 * when the order is turned round); warns (stderr) when the runs are of different jobs or share no
 * users.
 */
export function runsDiff(runA: string, runB: string, reportsDir: string, io: Io): void {
  const side = (run: string) => {
    const dir = resolveRunDir(run, reportsDir);
    const docs = loadRunDocuments(dir);
    return { docs, assignments: loadAssignments(dir, docs.segments) };
  };
  const given = [side(runA), side(runB)] as const;
  const [first, second] = given.map((g) => g.docs.manifest);
  const turned = second.finishedAt < first.finishedAt;
  const [a, b] = turned ? [given[1], given[0]] : given;
  if (turned) io.err(`note: ${first.runId} finished after ${second.runId}, so it is shown as the later run\n`);
  const d = diffRuns(a, b);
  for (const w of d.warnings) io.err(`warning: ${w}\n`);
  const rows = d.rows.map((r) => [
    r.key,
    `${r.segment} ${clip(r.name, 32)}`,
    String(r.size),
    r.status === 'split' || r.status === 'merged' ? `${r.status} from ${r.from.join(', ')}` : r.status,
    r.score === null ? '-' : r.score.toFixed(2),
    r.matched ? `${r.matched.key} ${r.matched.id} ${clip(r.matched.name, 32)}` : '-',
    r.matched ? String(r.matched.size) : '-',
  ]);
  for (const e of d.ended) rows.push(['-', '-', '0', `${e.status} (ended)${e.into.length ? ` into ${e.into.join(', ')}` : ''}`, e.score === null ? '-' : e.score.toFixed(2), `${e.key} ${e.previousId} ${clip(e.name, 32)}`, String(e.size)]);
  const kept = d.sharedUsers === 0 ? 'no users in common' : `${d.keptKey} of ${d.sharedUsers} users in both runs (${((100 * d.keptKey) / d.sharedUsers).toFixed(1)}%) kept their key`;
  io.out(
    textTable(['key', 'segment (later run)', 'users', 'status', 'jaccard', 'matched (earlier run)', 'users'], rows, [false, false, true, false, true, false, true]) +
      `\n${kept}${d.recorded ? ' (as recorded when the later run ran)' : ''}\n`,
  );
  const changes = outcomeChanges(a.docs.segments.outcomes, b.docs.segments.outcomes, d.rows.map((r) => ({ key: r.key, segment: r.segment, matched: r.matched?.id ?? null })));
  if (changes.length > 0) {
    const measure = (m: string, v: number | null) => (v === null ? '-' : b.docs.segments.outcomes!.find((o) => o.label === m)!.kind === 'rate' ? `${(100 * v).toFixed(1)}%` : v.toPrecision(4));
    const rows = changes.map((c) => [c.measure, c.key, String(c.segment), measure(c.measure, c.after), measure(c.measure, c.before)]);
    io.out(`\noutcomes (later run vs its matched earlier segment)\n${textTable(['outcome', 'key', 'segment', 'later', 'earlier'], rows, [false, false, true, true, true])}`);
  }
}

/** A reports folder given to list or history: a missing one is a mistyped --dir, not "no runs". */
function checkReportsDir(reportsDir: string): void {
  if (!existsSync(reportsDir)) throw errors.reportsFolderNotFound(reportsDir);
  if (!statSync(reportsDir).isDirectory()) throw errors.outputNotFolder(reportsDir, 'a file');
}

/** Each key's size over the runs of `job` in `reportsDir`, oldest run first. */
export function runsHistory(job: string, reportsDir: string, io: Io): void {
  checkReportsDir(reportsDir);
  const all = listRuns(reportsDir, (dir, e) => io.err(`warning: skipped ${shownPath(dir)}: ${e.message} (${e.hint})\n`));
  const runs = all.filter((r) => r.job === job);
  if (runs.length === 0) throw errors.jobNotFound(job, shownPath(reportsDir), [...new Set(all.map((r) => r.job))].sort());
  const sizes = new Map<string, { name: string; sizes: (number | null)[] }>();
  runs.forEach((run, i) => {
    const { segments, manifest } = loadRunDocuments(run.dir);
    const keys = keysOf(job, segments, manifest.runId);
    segments.segments.forEach((s, j) => {
      const entry = sizes.get(keys[j]) ?? { name: s.name, sizes: new Array<number | null>(runs.length).fill(null) };
      entry.name = s.name;
      entry.sizes[i] = s.size;
      sizes.set(keys[j], entry);
    });
  });
  const legend = runs.map((r, i) => `#${i + 1}  ${r.id}  window end ${r.manifest.window.end}`).join('\n');
  const rows = [...sizes].map(([key, e]) => [key, clip(e.name, 32), ...e.sizes.map((v) => (v === null ? '-' : String(v)))]);
  io.out(`job ${job}: ${runs.length} run${runs.length === 1 ? '' : 's'}\n${legend}\n\n${textTable(['key', 'segment (latest name)', ...runs.map((_, i) => `#${i + 1}`)], rows, [false, false, ...runs.map(() => true)])}`);
}

export function rulesList(run: string, reportsDir: string, io: Io): void {
  const docs = loadRunDocuments(resolveRunDir(run, reportsDir));
  for (const r of docs.rules.rules) {
    const m = r.metrics;
    io.out(`${r.id}  ${r.segmentName}\n  ${r.text}\n  precision ${formatPercent(m.precision)}  recall ${formatPercent(m.recall)}  F1 ${m.f1.toFixed(3)}  support ${(100 * m.support).toFixed(1)}%  lift ${m.lift.toFixed(1)}  ${r.verified ? 'SQL verified' : 'SQL NOT verified'}\n\n`);
  }
}

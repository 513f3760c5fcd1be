/** report.html's "Since the previous run" section (the model is in ../since.ts). Every value is escaped. */
import type { RunDocuments } from '../../../run/types.js';
import { formatInt, formatNumber, MISSING } from '../format.js';
import { groupLabel, keptSentence, psiReading, sinceModel, statusWords, type SinceModel, type SizeSeries } from '../since.js';
import { GRID, MUTED } from '../svg/palette.js';
import { segmentColour, segmentShape } from '../svg/palette.js';
import { linear } from '../svg/scales.js';
import { el, num, svgRoot, text, title } from '../svg/svg.js';
import { esc, figure, section, table } from './elements.js';

const keyCell = (k: string, side: 'from' | 'to') => (k === '' || k === '-1' ? esc(groupLabel(k, side)) : `<code>${esc(k)}</code>`);

function swatch(id: number | null): string {
  return id === null
    ? `<span class="swatch" style="background:${MUTED}"></span>`
    : `<span class="swatch ${segmentShape(id)}" style="background:${segmentColour(id)}"></span>`;
}

function segmentsTable(m: SinceModel): string {
  return table(
    [{ heading: '#', numeric: true }, { heading: 'Key' }, { heading: 'Segment' }, { heading: 'Status' }, { heading: 'Jaccard', numeric: true }, { heading: 'Users before', numeric: true }, { heading: 'Users now', numeric: true }],
    m.rows.map((r) => [
      String(r.id),
      `<code>${esc(r.key)}</code>`,
      esc(r.name) + (r.previousName !== null ? ` <small>(renamed; was ${esc(r.previousName)})</small>` : ''),
      esc(statusWords(r.status)) + (r.status === 'split' || r.status === 'merged' ? ` ${r.from.map((k) => `<code>${esc(k)}</code>`).join(', ')}` : ''),
      r.score === null ? MISSING : formatNumber(r.score, 2),
      r.previousSize === null ? MISSING : formatInt(r.previousSize),
      formatInt(r.size),
    ]),
  );
}

function endedTable(m: SinceModel): string {
  if (m.ended.length === 0) return '';
  return `<h4>Segments that ended</h4>${table(
    [{ heading: 'Key' }, { heading: 'Segment (previous run)' }, { heading: 'Status' }, { heading: 'Users before', numeric: true }, { heading: 'Went to' }],
    m.ended.map((e) => [`<code>${esc(e.key)}</code>`, esc(e.name), esc(e.status), formatInt(e.size), e.into.length ? e.into.map((k) => `<code>${esc(k)}</code>`).join(', ') : MISSING]),
  )}`;
}

function transitionTable(m: SinceModel): string {
  const { matrix } = m;
  return `<h4>Transitions</h4>${table(
    [{ heading: 'From \\ to' }, ...matrix.to.map((k) => ({ heading: groupLabel(k, 'to'), numeric: true }))],
    matrix.from.map((k, i) => [keyCell(k, 'from'), ...matrix.counts[i].map((n) => (n === 0 ? '<span class="muted">·</span>' : formatInt(n)))]),
    () => null,
    'data transitions',
  )}<p class="intro">Users by their segment key in the previous run (rows) and in this one (columns); <code>transitions.csv</code> lists every user who moved.</p>`;
}

/** Each key's size over the job's runs: one line per key, coloured like its segment (grey once ended). */
function historyChart(m: SinceModel): string {
  const width = 560;
  const height = 190;
  const pad = { top: 12, right: 16, bottom: 28, left: 52 };
  const runs = m.history.length;
  const max = Math.max(1, ...m.series.flatMap((s) => s.sizes.map((v) => v ?? 0)));
  const sx = linear(runs > 1 ? [0, runs - 1] : [-1, 1], [pad.left + 6, width - pad.right - 6]);
  const sy = linear([0, max], [height - pad.bottom, pad.top]);
  const parts: string[] = [];
  for (const t of [0, max]) {
    parts.push(el('line', { x1: pad.left, x2: width - pad.right, y1: sy(t), y2: sy(t), stroke: GRID }));
    parts.push(text(pad.left - 6, sy(t) + 4, formatInt(t), { 'text-anchor': 'end', class: 'tick' }));
  }
  // At most about eight dates under the axis; the last run always labelled.
  const every = Math.max(1, Math.ceil(runs / 8));
  m.history.forEach((h, i) => {
    if (i % every === 0 || i === runs - 1) parts.push(text(sx(i), height - 8, h.end.slice(5, 10), { 'text-anchor': 'middle', class: 'tick' }));
  });
  const line = (s: SizeSeries) => {
    const colour = s.id === null ? MUTED : segmentColour(s.id);
    let d = '';
    let pen = false;
    s.sizes.forEach((v, i) => {
      if (v === null) {
        pen = false;
        return;
      }
      d += `${pen ? 'L' : 'M'}${num(sx(i), 1)} ${num(sy(v), 1)}`;
      pen = true;
    });
    const dots = s.sizes.map((v, i) => (v === null ? '' : el('circle', { cx: sx(i), cy: sy(v), r: 3, fill: colour }, title(`${s.key} ${s.name}: ${formatInt(v)} users`)))).join('');
    return (d ? el('path', { d, fill: 'none', stroke: colour, 'stroke-width': 2, 'stroke-dasharray': s.id === null ? '4 3' : undefined }) : '') + dots;
  };
  parts.push(...m.series.map(line));
  const chart = svgRoot(width, height, `Segment sizes over the job's last ${runs} runs`, parts.join(''));
  const legend = `<ul class="legend">${m.series.map((s) => `<li>${swatch(s.id)}<span><code>${esc(s.key)}</code> ${esc(s.name)}</span></li>`).join('')}</ul>`;
  return `<h4>Size history</h4>${figure(chart, `Users per key over the job's last ${runs} run${runs === 1 ? '' : 's'} (window end dates); a dashed grey line is a key that has ended.`)}${legend}`;
}

function driftTable(m: SinceModel): string {
  if (m.drift.length === 0) return '<h4>Feature drift</h4><p class="intro">No feature distributions from the previous run to compare with.</p>';
  return `<h4>Feature drift</h4>${table(
    [{ heading: 'Feature' }, { heading: 'PSI', numeric: true }, { heading: 'Reading' }],
    m.drift.map((d) => [esc(d.label), formatNumber(d.psi, 3), esc(psiReading(d.psi))]),
  )}<p class="intro">Population stability index against the previous run, largest first (below 0.1 stable, above 0.25 a major shift).</p>`;
}

/** The section (a one-line note for a run written before lineage: the table of contents links here). */
export function sinceSection(docs: RunDocuments): string {
  const m = sinceModel(docs);
  if (!m) return section('since', 'Since the previous run', '', 'This run was written before segmint kept segment keys, so it is compared with no earlier run.');
  if (m.previousRun === null) {
    const body = `<div class="card">${table(
      [{ heading: '#', numeric: true }, { heading: 'Key' }, { heading: 'Segment' }],
      m.rows.map((r) => [String(r.id), `<code>${esc(r.key)}</code>`, esc(r.name)]),
    )}</div>`;
    return section('since', 'Since the previous run', body, `Job ${esc(m.job)}: no previous run to compare with (the job's first run in this folder, or <code>--no-previous</code>), so every segment has a new key.`);
  }
  const intro =
    `Compared with run <code>${esc(m.previousRun)}</code> of job ${esc(m.previousJob ?? m.job)}${m.previousEnd ? ` (window ending ${esc(m.previousEnd)})` : ''}. ${esc(keptSentence(m))}` +
    (m.warmStart ? ' Segments were started from the previous run’s centres (<code>cluster.warm_start: previous</code>).' : '');
  const body = [
    `<div class="card"><h4>Segments</h4>${segmentsTable(m)}${endedTable(m)}</div>`,
    `<div class="card">${transitionTable(m)}</div>`,
    `<div class="card"><div class="chart-scroll">${historyChart(m)}</div></div>`,
    `<div class="card">${driftTable(m)}</div>`,
  ].join('\n');
  return section('since', 'Since the previous run', body, intro);
}

/** The segments: sizes and the 2-D map side by side, then one card per segment. */
import type { RunDocuments } from '../../../run/types.js';
import type { Rule } from '../../rules/types.js';
import { formatInt, formatNumber, formatPercent, formatRatio, formatSigned } from '../format.js';
import { attributeOnly, isUnstable, rulesFor, segmentsById, traitLabel, traitValue, type ReportSegment } from '../model.js';
import { barChart, divergingBound, divergingChart, divergingPad, meter } from '../svg/bars.js';
import { OVER, segmentColour, segmentShape } from '../svg/palette.js';
import { scatterChart } from '../svg/scatter.js';
import { esc, figure, table } from './elements.js';

/** Traits drawn in a card's chart (the full list is in the table under it). */
const CHART_TRAITS = 8;

function swatch(id: number): string {
  return `<span class="swatch ${segmentShape(id)}" style="background:${segmentColour(id)}"></span>`;
}

function legend(segments: readonly ReportSegment[]): string {
  const items = segments.map((s) => `<li>${swatch(s.id)}<span><strong>${s.id}</strong> ${esc(s.name)}</span></li>`);
  return `<ul class="legend">${items.join('')}</ul>`;
}

function overview(docs: RunDocuments, segments: readonly ReportSegment[]): string {
  const sizes = barChart(
    segments.map((s) => ({ label: `${s.id} · ${s.name}`, value: s.share, display: `${formatInt(s.size)} · ${formatPercent(s.share)}`, colour: segmentColour(s.id) })),
    { width: 460, max: Math.max(...segments.map((s) => s.share), 0), label: 'Segment sizes' },
  );
  const ev = docs.segments.explainedVariance;
  const axis = (i: number) => `PC${i + 1}${ev[i] === undefined ? '' : ` (${formatPercent(ev[i])} of variance)`}`;
  const map = scatterChart(docs.segments.map, {
    width: 620, height: 430, xLabel: axis(0), yLabel: axis(1), names: new Map(segments.map((s) => [s.id, s.name])),
  });
  let cumulative = 0;
  const variance = barChart(
    ev.map((v, i) => {
      cumulative += v;
      return { label: `PC${i + 1}`, value: v, display: `${formatPercent(v)} (Σ ${formatPercent(cumulative)})`, colour: '#8fa3b8' };
    }),
    { width: 460, max: Math.max(0, ...ev), label: 'Variance explained by each principal component', labelWidth: 60, valueWidth: 120 },
  );
  const shown = docs.segments.map.length;
  return `<div class="overview">
<div class="card"><h4>Segment sizes</h4>${figure(sizes, `${formatInt(docs.segments.users)} users in ${segments.length} segments.`)}
<h4>Variance explained</h4>${figure(variance, `${ev.length} principal components (the clustering space); the map shows the first two.`)}</div>
<div class="card"><h4>Segment map</h4>${figure(map, `${formatInt(shown)} users${shown < docs.segments.users ? ' (a sample)' : ''} on the first two principal components; numbered badges mark each segment's centre (a badge moved aside so it stays readable has a line to its centre).`)}${legend(segments)}</div>
</div>`;
}

function chips(events: readonly string[], cls: 'over' | 'under'): string {
  const items = events.length === 0 ? ['<li class="none">none</li>'] : events.map((e) => `<li><code>${esc(e)}</code></li>`);
  return `<ul class="chips ${cls}">${items.join('')}</ul>`;
}

function traitsTable(s: ReportSegment): string {
  return table(
    [{ heading: 'Trait' }, { heading: 'Segment', numeric: true }, { heading: 'Population', numeric: true },
      { heading: 'Effect', numeric: true }, { heading: 'Lift', numeric: true }, { heading: 'Direction' }],
    s.traits.map((t) => [
      `${esc(traitLabel(t))}<br><small>${esc(t.phrase)}</small>`,
      traitValue(t, t.segmentValue), traitValue(t, t.populationValue),
      formatSigned(t.effect), formatRatio(t.lift),
      t.direction === 'over' ? '<span class="over">▲ over</span>' : '<span class="under">▼ under</span>',
    ]),
  );
}

function ruleBox(rule: Rule): string {
  const m = rule.metrics;
  const verified = rule.verified
    ? '<span class="badge ok">✓ SQL verified</span>'
    : '<span class="badge bad">✗ SQL not verified</span>';
  const metric = (label: string, value: string) => `<div><dt>${label}</dt><dd>${value}</dd></div>`;
  return `<div class="rule"><h4>Suggested rule <code>${esc(rule.id)}</code> ${verified}</h4>
<pre><code>${esc(rule.text)}</code></pre>
<div class="meters">
<span>Precision</span>${meter(m.precision, `precision ${formatPercent(m.precision)}`, OVER)}<strong>${formatPercent(m.precision)}</strong>
<span>Recall</span>${meter(m.recall, `recall ${formatPercent(m.recall)}`, '#009E73')}<strong>${formatPercent(m.recall)}</strong>
</div>
<dl class="metrics">${[
    metric('F1', formatNumber(m.f1, 3)), metric('Support', formatPercent(m.support)), metric('Lift', formatRatio(m.lift)),
    metric('Selected', formatInt(m.selected)), metric('In segment', formatInt(m.truePositives)), metric('Segment size', formatInt(m.segmentSize)),
  ].join('')}</dl>
<details><summary>SQL</summary><pre><code>${esc(rule.sql)}</code></pre></details>
</div>`;
}

function card(docs: RunDocuments, s: ReportSegment, axis: { bound: number; valuePad: number }): string {
  const rules = rulesFor(docs, s.id);
  const stability = s.stability === null
    ? ''
    : ` · stability ${formatNumber(s.stability, 2)}${isUnstable(docs, s) ? ' <span class="badge warn">unstable</span>' : ''}`;
  const traits = s.traits.slice(0, CHART_TRAITS);
  // An attribute-only run has no events to over- or under-index.
  const events = attributeOnly(docs)
    ? ''
    : `\n<h4>Over-indexed events</h4>${chips(s.overIndexedEvents, 'over')}\n<h4>Under-indexed events</h4>${chips(s.underIndexedEvents, 'under')}`;
  const chart = traits.length === 0
    ? '<p class="intro">No distinguishing traits.</p>'
    : `<div class="chart-scroll">${divergingChart(
      traits.map((t) => ({
        label: traitLabel(t), value: t.effect, display: formatSigned(t.effect),
        detail: `segment ${traitValue(t, t.segmentValue)} vs population ${traitValue(t, t.populationValue)}`,
      })),
      { width: 600, ...axis, label: `Effect sizes of the top traits of segment ${s.id}` },
    )}</div>`;
  return `<article class="card" id="segment-${s.id}">
<div class="seg-head">${swatch(s.id)}<div><div class="eyebrow">Segment ${s.id}</div><h3>${esc(s.name)}</h3></div>
<div class="size"><strong>${formatInt(s.size)}</strong> users<br><span class="sub">${formatPercent(s.share)} of users${stability}</span></div></div>
<div class="share-bar" aria-hidden="true"><span style="width:${formatNumber(Math.max(0, Math.min(1, s.share)) * 100, 2)}%;background:${segmentColour(s.id)}"></span></div>
<p class="desc">${esc(s.description)}</p>
<div class="seg-body">
<div><h4>Top traits <small>(effect size: <span class="over">over</span> / <span class="under">under</span>-indexed)</small></h4>${chart}
<details><summary>All traits as a table</summary>${traitsTable(s)}</details>${events}</div>
<div>${rules.length === 0 ? '<div class="rule"><h4>Suggested rule</h4><p>No rule was suggested for this segment.</p></div>' : rules.map(ruleBox).join('')}</div>
</div>
</article>`;
}

/**
 * The segments section.
 *
 * @example
 * segmentsSection(docs).includes('id="segment-0"'); // true
 */
export function segmentsSection(docs: RunDocuments): string {
  const segments = segmentsById(docs);
  // One axis for every card, so a long bar means the same in every segment.
  const charted = segments.flatMap((s) => s.traits.slice(0, CHART_TRAITS));
  const bound = divergingBound(charted.map((t) => t.effect));
  // …and the same room for values beside it, so one effect has one bar length everywhere.
  const axis = { bound, valuePad: divergingPad(charted.map((t) => formatSigned(t.effect))) };
  return `<section id="segments"><h2>Segments</h2>
<p class="intro">Effect sizes are standardised mean differences against the other users (numeric traits) or log₂ lift (categories); the axis is the same (±${formatNumber(bound, 1)}) in every card; longer bars stop at its edge and show their value.</p>
${overview(docs, segments)}
${segments.map((s) => card(docs, s, axis)).join('\n')}
</section>`;
}

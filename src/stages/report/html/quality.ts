/** Choosing k: one small chart per criterion across the k tried, then the full scores table. */
import type { RunDocuments } from '../../../run/types.js';
import { formatNumber, formatPercent } from '../format.js';
import { criteriaFor, eligibility, eligibilityRule, scoresByK, scoreValue } from '../model.js';
import { lineChart } from '../svg/lines.js';
import { segmentColour } from '../svg/palette.js';
import { esc, section, table } from './elements.js';

/**
 * The k-selection section.
 *
 * @example
 * kSelectionSection(docs).includes('id="k-selection"'); // true
 */
export function kSelectionSection(docs: RunDocuments): string {
  const scores = scoresByK(docs);
  const chosen = docs.segments.k;
  const criteria = criteriaFor(docs);
  const charts = criteria.map((c, i) => {
    const format = (v: number) => (c.percent ? formatPercent(v) : formatNumber(v, c.digits));
    const chart = lineChart(
      scores.map((s) => ({ x: s.k, y: scoreValue(s, c), muted: !s.eligible })),
      { width: 300, height: 140, label: `${c.label} by k; k = ${chosen} chosen`, highlight: chosen, colour: segmentColour(c.key === 'minShare' ? 7 : i), format,
        reference: c.key === 'minShare' ? docs.manifest.config.cluster.minShare : undefined },
    );
    const hint = c.better === 'higher' ? 'higher is better' : c.better === 'lower' ? 'lower is better' : c.key === 'inertia' ? 'look for the elbow' : `eligible from ${formatPercent(docs.manifest.config.cluster.minShare)}`;
    return `<figure><h3>${esc(c.label)} <small>${esc(hint)}</small></h3>${chart}</figure>`;
  });
  const rows = scores.map((s) => [
    s.k === chosen ? `${s.k} ◀` : String(s.k),
    ...criteria.map((c) => (c.percent ? formatPercent(scoreValue(s, c)) : formatNumber(scoreValue(s, c), c.digits))),
    `<span class="${s.eligible ? 'ok' : 'bad'}">${esc(eligibility(docs, s))}</span>`,
  ]);
  const scoresTable = table(
    [{ heading: 'k', numeric: true }, ...criteria.map((c) => ({ heading: c.label, numeric: true })), { heading: 'Eligible' }],
    rows,
    (i) => (scores[i].k === chosen ? 'chosen' : scores[i].eligible ? null : 'muted'),
  );
  const intro = `${docs.segments.selection.method === 'fixed' ? 'k was fixed in the config; the scores are shown for reference.' : 'k was chosen automatically.'} ` +
    `${esc(docs.segments.selection.reason.replace(/[.\s]+$/, ''))}. The chosen k is highlighted; hollow points failed a gate. ${esc(eligibilityRule(docs))}`;
  return section('k-selection', 'Choosing k', `<div class="small-multiples">${charts.join('')}</div>${scoresTable}`, intro);
}

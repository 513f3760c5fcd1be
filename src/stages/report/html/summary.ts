/** The header (run identity) and the summary tiles with the k-selection reason. */
import { NO_EVENTS_GROUP } from '../../../core/groups.js';
import type { RunDocuments } from '../../../run/types.js';
import { formatInt, formatPercent } from '../format.js';
import { attributeOnly, eventsUsed, wholeLog, windowEndDate, windowNotice } from '../model.js';
import { esc } from './elements.js';

/** The dark header band with the run id and config name. */
export function hero(docs: RunDocuments): string {
  const { manifest } = docs;
  return `<header class="hero"><div class="wrap">
<div class="eyebrow">segmint report</div>
<h1>${esc(manifest.config.name)} · <span class="mono">${esc(manifest.runId)}</span></h1>
<div class="meta">Started <code>${esc(manifest.startedAt)}</code> · finished <code>${esc(manifest.finishedAt)}</code> · seed <code>${esc(manifest.seed)}</code></div>
</div></header>`;
}

/** In-page links only: nothing here may point outside the file. */
export function toc(): string {
  const links: [string, string][] = [
    ['summary', 'Summary'], ['segments', 'Segments'], ['since', 'Since previous'], ['k-selection', 'Choosing k'],
    ['accounting', 'Row accounting'], ['warnings', 'Warnings'], ['timings', 'Timings'], ['provenance', 'Provenance'],
  ];
  return `<nav class="toc" aria-label="Sections"><div class="wrap">${links.map(([id, label]) => `<a href="#${id}">${label}</a>`).join('')}</div></nav>`;
}

function tile(label: string, value: string, sub: string): string {
  return `<div class="tile"><div class="label">${esc(label)}</div><div class="value">${value}</div><div class="sub">${sub}</div></div>`;
}

/** The no-events group, when there is one: never dropped, so it is said up front. */
function noEventsCallout(docs: RunDocuments): string {
  const n = docs.segments.usersWithoutEvents ?? 0;
  if (n === 0) return '';
  const all = n + docs.segments.users;
  return `<div class="callout warn" id="no-events" role="note"><strong>${formatInt(n)} users (${formatPercent(n / all)}) had no events in the window.</strong>
They are in the users table but have nothing to cluster on, so they are not in any segment above: <code>assignments.csv</code> lists them
as segment ${NO_EVENTS_GROUP.segment} “${esc(NO_EVENTS_GROUP.name)}”, and <code>rules.sql</code> selects them.</div>`;
}

/** When the window leaves out most users: first in the summary, with the flags that change it. */
function windowCallout(docs: RunDocuments): string {
  const n = windowNotice(docs);
  if (n === null) return '';
  // The fix is constant text whose only markup is `code` spans.
  const fix = esc(n.fix).replace(/`([^`]*)`/g, '<code>$1</code>');
  return `<div class="callout warn" id="window-drops-users" role="note"><strong>${esc(n.headline)}.</strong> ${esc(n.detail)} ${fix}</div>\n`;
}

/** The window tile: its days and dates, or the whole log. */
function windowTile(docs: RunDocuments): string {
  const w = docs.manifest.window;
  return wholeLog(docs)
    ? tile('Window', 'whole log', `up to ${esc(windowEndDate(docs))}`)
    : tile('Window', `${formatInt(w.days)} days`, `${esc(w.start.slice(0, 10))} → ${esc(windowEndDate(docs))}${w.firstEvent ? `; events from ${esc(w.firstEvent.slice(0, 10))}` : ''}`);
}

/** Key figures, why this k, and a clear note when the data has no strong cluster structure. */
export function summary(docs: RunDocuments): string {
  const { manifest, segments } = docs;
  const ev = segments.explainedVariance.reduce((s, v) => s + v, 0);
  const used = eventsUsed(docs);
  const tiles = [
    tile('Users', formatInt(segments.users), `${formatInt(manifest.features)} features each`),
    // An attribute-only run has no events and no window.
    ...(attributeOnly(docs) ? [] : [tile('Events used', formatInt(used), 'inside the analysis window'), windowTile(docs)]),
    tile('Segments', String(segments.k), segments.selection.method === 'fixed' ? 'k fixed in config' : 'k chosen automatically'),
    tile('PCA components', String(segments.explainedVariance.length), `${formatPercent(ev)} of variance`),
    // Which days peak_day_share counts, so a reader can tell a sale day from a weekend.
    ...(manifest.peakDays?.length ? [tile('Peak days', String(manifest.peakDays.length), manifest.peakDays.map(esc).join(', '))] : []),
    tile('Warnings', String(manifest.warnings.length), manifest.warnings.length === 0 ? 'none' : '<a href="#warnings">see below</a>'),
  ];
  const structure = segments.selection.strongStructure
    ? ''
    : `<div class="callout warn" role="note"><strong>No strong cluster structure.</strong> The users do not separate cleanly into
groups: treat these segments as a useful partition of a continuum rather than distinct populations, and check each
rule's precision before acting on it.</div>`;
  return `<section id="summary"><h2 class="visually-hidden">Summary</h2>
${windowCallout(docs)}<div class="tiles">${tiles.join('')}</div>
<div class="callout"><strong>Why k = ${segments.k}:</strong> ${esc(segments.selection.reason)}</div>
${structure}${noEventsCallout(docs)}
</section>`;
}

/**
 * report.html: one self-contained file (inline CSS and SVG, no script, no network) that an
 * analyst can open offline or attach to a ticket. Every data value passes through escapeHtml.
 */
import type { RunDocuments } from '../../run/types.js';
import { footer, accountingSection, provenanceSection, timingsSection, warningsSection } from './html/run.js';
import { kSelectionSection } from './html/quality.js';
import { page } from './html/page.js';
import { promotedHtml, type ReportExtras } from './promoted.js';
import { segmentsSection } from './html/segments.js';
import { outcomesHtml } from './outcomes.js';
import { sinceSection } from './html/since.js';
import { hero, summary, toc } from './html/summary.js';

/**
 * Renders report.html from a run's documents alone, plus the optional extras (the promoted
 * segments the run's segments match, with `--ruleset`). Deterministic: the same documents always
 * give the same string.
 *
 * @example
 * const html = renderHtml({ manifest, segments, rules });
 * html.includes('<script'); // false
 */
export function renderHtml(docs: RunDocuments, extras: ReportExtras = {}): string {
  const body = [
    hero(docs),
    toc(),
    '<main class="wrap">',
    summary(docs),
    segmentsSection(docs),
    ...[outcomesHtml(docs)].filter((s) => s !== ''),
    ...(extras.promoted ? [promotedHtml(docs, extras.promoted)] : []),
    sinceSection(docs),
    kSelectionSection(docs),
    accountingSection(docs),
    warningsSection(docs),
    timingsSection(docs),
    provenanceSection(docs),
    '</main>',
    footer(docs),
  ].join('\n');
  return page(`segmint report · ${docs.manifest.config.name} · ${docs.manifest.runId}`, body);
}

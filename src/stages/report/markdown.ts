/**
 * report.md: the run as GitHub-flavoured markdown for a pull request. Every data value goes
 * through escapeMarkdown / markdownCode / markdownBlock; numbers through format.ts.
 */
import { NO_EVENTS_GROUP } from '../../core/groups.js';
import type { RunDocuments } from '../../run/types.js';
import type { Rule } from '../rules/types.js';
import { escapeMarkdown as md, escapeMarkdownLine, markdownBlock, markdownCode as code } from './escape.js';
import { formatBytes, formatInt, formatMs, formatNumber, formatPercent, formatRatio, formatSigned, MISSING } from './format.js';
import {
  eligibility,
  eligibilityRule,
  accountingTotals, attributeOnly, criteriaFor, eventsUsed, isUnstable, rulesFor, scoresByK, segmentsById, sortedVersions,
  scoreValue, topTraits, totalMs, traitLabel, traitValue, unaccounted, wholeLog, windowEndDate, windowNotice, type ReportSegment,
} from './model.js';
import { promotedMarkdown, type ReportExtras } from './promoted.js';
import { outcomesMarkdown } from './outcomes.js';
import { sinceMarkdown } from './since.js';

type Align = 'l' | 'r';

/** A GFM table; cells must already be escaped. */
function table(headers: readonly string[], align: readonly Align[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  const rule = align.map((a) => (a === 'r' ? '---:' : '---'));
  return [line(headers), line(rule), ...rows.map(line)].join('\n');
}


function header(docs: RunDocuments): string {
  const { manifest } = docs;
  return [
    `# segmint report: ${code(manifest.runId, false)} (${md(manifest.config.name)})`,
    '',
    `Run ${code(manifest.runId, false)} of config ${md(manifest.config.name)}, seed ${manifest.seed}, ` +
      `started ${md(manifest.startedAt)}, finished ${md(manifest.finishedAt)}.`,
  ].join('\n');
}

function summary(docs: RunDocuments): string {
  const { manifest, segments } = docs;
  const w = manifest.window;
  const ev = segments.explainedVariance;
  const evTotal = ev.reduce((s, v) => s + v, 0);
  // An attribute-only run has no events and no window: those rows would only say nothing.
  const events = attributeOnly(docs)
    ? []
    : [
      ['Events used', formatInt(eventsUsed(docs))],
      ['Window', wholeLog(docs) ? `the whole log, up to ${md(windowEndDate(docs))}` : `${md(w.start)} → ${md(w.end)} (${formatInt(w.days)} days${w.firstEvent ? `; events from ${md(w.firstEvent.slice(0, 10))}` : ''})`],
    ];
  const rows = [
    ['Users', formatInt(segments.users)],
    ...events,
    ['Features', formatInt(manifest.features)],
    // Which days peak_day_share counts, so a reader can tell a sale day from a weekend.
    ...(manifest.peakDays?.length ? [['Peak days', `${manifest.peakDays.map(md).join(', ')} (twice the active users of most days within a week)`]] : []),
    ['PCA components', `${ev.length} (${formatPercent(evTotal)} of variance)`],
    ['Segments (k)', `${segments.k} (${segments.selection.method === 'fixed' ? 'fixed in config' : 'chosen automatically'})`],
  ];
  const out = ['## Summary', ''];
  const dropped = windowNotice(docs);
  // First thing in the summary: segments of a minority of the users are easy to misread.
  if (dropped) out.push('> [!WARNING]', `> **${md(dropped.headline)}.** ${md(dropped.detail)} ${dropped.fix}`, '');
  out.push(table(['Measure', 'Value'], ['l', 'r'], rows), '', `**Why k = ${segments.k}:** ${md(segments.selection.reason)}`);
  const noEvents = segments.usersWithoutEvents ?? 0;
  if (noEvents > 0) {
    out.push(
      '',
      '> [!NOTE]',
      `> **${formatInt(noEvents)} users (${formatPercent(noEvents / (noEvents + segments.users))}) had no events in the window.** ` +
        `They are in the users table but have nothing to cluster on, so they are in no segment: \`assignments.csv\` lists them as ` +
        `segment ${NO_EVENTS_GROUP.segment} "${NO_EVENTS_GROUP.name}", and \`rules.sql\` selects them.`,
    );
  }
  if (!segments.selection.strongStructure) {
    out.push(
      '',
      '> [!WARNING]',
      '> **No strong cluster structure.** The users do not separate cleanly into groups: treat these ' +
        'segments as a useful partition of a continuum, not as distinct populations, and check the ' +
        'rules\' precision before acting on them.',
    );
  }
  return out.join('\n');
}

function stabilityCell(docs: RunDocuments, s: ReportSegment): string {
  if (s.stability === null) return MISSING;
  return `${formatNumber(s.stability, 2)}${isUnstable(docs, s) ? ' ⚠ unstable' : ''}`;
}

function bestF1(rules: readonly Rule[]): number | null {
  return rules.length === 0 ? null : Math.max(...rules.map((r) => r.metrics.f1));
}

function overview(docs: RunDocuments): string {
  const rows = segmentsById(docs).map((s) => [
    String(s.id),
    md(s.name),
    formatInt(s.size),
    formatPercent(s.share),
    topTraits(s, 3).map((t) => md(t.phrase)).join('; ') || MISSING,
    formatNumber(bestF1(rulesFor(docs, s.id)), 2),
    stabilityCell(docs, s),
  ]);
  return ['## Segments', '', table(['#', 'Segment', 'Users', 'Share', 'Top traits', 'Rule F1', 'Stability'], ['r', 'l', 'r', 'r', 'l', 'r', 'r'], rows)].join('\n');
}

function traitsTable(s: ReportSegment): string {
  if (s.traits.length === 0) return '_No distinguishing traits._';
  const rows = s.traits.map((t) => [
    md(traitLabel(t)),
    traitValue(t, t.segmentValue),
    traitValue(t, t.populationValue),
    formatSigned(t.effect),
    formatRatio(t.lift),
    t.direction === 'over' ? '▲ over' : '▼ under',
  ]);
  return table(['Trait', 'Segment', 'Population', 'Effect', 'Lift', 'Direction'], ['l', 'r', 'r', 'r', 'r', 'l'], rows);
}

function eventList(events: readonly string[]): string {
  return events.length === 0 ? 'none' : events.map((e) => code(e, false)).join(', ');
}

function ruleSection(rule: Rule): string {
  const m = rule.metrics;
  const verified = rule.verified ? '✓ SQL verified in DuckDB' : '✗ SQL **not** verified';
  return [
    `**Suggested rule** ${code(rule.id, false)} (${verified}):`,
    '',
    markdownBlock(rule.text),
    '',
    table(
      ['Precision', 'Recall', 'F1', 'Support', 'Lift', 'Selected', 'True positives', 'Segment size'],
      ['r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
      [[
        formatPercent(m.precision), formatPercent(m.recall), formatNumber(m.f1, 3), formatPercent(m.support),
        formatRatio(m.lift), formatInt(m.selected), formatInt(m.truePositives), formatInt(m.segmentSize),
      ]],
    ),
    '',
    '<details><summary>SQL</summary>',
    '',
    markdownBlock(rule.sql, 'sql'),
    '',
    '</details>',
  ].join('\n');
}

function segmentSection(docs: RunDocuments, s: ReportSegment): string {
  const rules = rulesFor(docs, s.id);
  return [
    `### Segment ${s.id}: ${md(s.name)}`,
    '',
    `${formatInt(s.size)} users (${formatPercent(s.share)}), stability ${stabilityCell(docs, s)}.`,
    '',
    escapeMarkdownLine(s.description),
    '',
    traitsTable(s),
    '',
    ...(attributeOnly(docs)
      ? []
      : [`**Over-indexed events:** ${eventList(s.overIndexedEvents)}  `, `**Under-indexed events:** ${eventList(s.underIndexedEvents)}`, '']),
    rules.length === 0 ? '_No rule was suggested for this segment._' : rules.map(ruleSection).join('\n\n'),
  ].join('\n');
}

function kSelection(docs: RunDocuments): string {
  const criteria = criteriaFor(docs);
  const headers = ['k', ...criteria.map((c) => c.label + (c.better ? ` (${c.better === 'higher' ? '↑' : '↓'})` : '')), 'Eligible', 'Chosen'];
  const rows = scoresByK(docs).map((s) => {
    const chosen = s.k === docs.segments.k;
    return [
      chosen ? `**${s.k}**` : String(s.k),
      ...criteria.map((c) => (c.percent ? formatPercent(scoreValue(s, c)) : formatNumber(scoreValue(s, c), c.digits))),
      md(eligibility(docs, s)),
      chosen ? '◀ chosen' : '',
    ];
  });
  return [
    '## Choosing k',
    '',
    `Method: ${docs.segments.selection.method}. ${md(docs.segments.selection.reason)}`,
    '',
    table(headers, ['r', ...criteria.map((): Align => 'r'), 'l', 'l'], rows),
    '',
    `↑ higher is better, ↓ lower is better. ${md(eligibilityRule(docs))}`,
  ].join('\n');
}

function accounting(docs: RunDocuments): string {
  const acc = docs.manifest.accounting;
  const rows = acc.map((a) => [
    a.role,
    a.files.map((f) => code(f, true)).join('<br>') || MISSING,
    formatInt(a.read), formatInt(a.used), formatInt(a.outOfWindow), formatInt(a.duplicates), formatInt(a.setAside ?? 0), formatInt(a.rejected),
    unaccounted(a) === 0 ? '✓' : `✗ ${formatInt(unaccounted(a))} unaccounted`,
  ]);
  const t = accountingTotals(acc);
  const bad = acc.filter((a) => unaccounted(a) !== 0);
  rows.push(['**total**', '', formatInt(t.read), formatInt(t.used), formatInt(t.outOfWindow), formatInt(t.duplicates), formatInt(t.setAside ?? 0), formatInt(t.rejected), bad.length === 0 ? '✓' : '✗']);
  const note = bad.length === 0
    ? 'Every row read is accounted for: read = used + out of window + duplicates + set aside (vendor-internal events) + rejected.'
    : `⚠ Rows not accounted for in: ${bad.map((a) => a.role).join(', ')}.`;
  return [
    '## Row accounting',
    '',
    table(['Input', 'Files', 'Read', 'Used', 'Out of window', 'Duplicates', 'Set aside', 'Rejected', 'read = sum'], ['l', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'l'], rows),
    '',
    note,
  ].join('\n');
}

function warnings(docs: RunDocuments): string {
  const w = docs.manifest.warnings;
  if (w.length === 0) return '## Warnings\n\nNone.';
  return ['## Warnings', '', table(['Code', 'Stage', 'Message'], ['l', 'l', 'l'], w.map((x) => [code(x.code, true), md(x.stage), md(x.message)]))].join('\n');
}

function timings(docs: RunDocuments): string {
  const rows = docs.manifest.timings.map((t) => [md(t.stage), formatMs(t.ms)]);
  rows.push(['**total**', `**${formatMs(totalMs(docs))}**`]);
  return ['## Timings', '', table(['Stage', 'Time'], ['l', 'r'], rows)].join('\n');
}

function provenance(docs: RunDocuments): string {
  const { manifest } = docs;
  const inputs = manifest.inputs.map((i) => [code(i.path, true), formatBytes(i.bytes), code(i.sha256.slice(0, 16), true)]);
  return [
    '## Provenance',
    '',
    `Config ${manifest.config.source === null ? '(CLI flags only)' : code(manifest.config.source, false)}, hash ${code(manifest.configHash, false)}.`,
    '',
    inputs.length === 0 ? 'No input fingerprints.' : table(['Input file', 'Size', 'SHA-256 (prefix)'], ['l', 'r', 'l'], inputs),
    '',
    `Versions: ${sortedVersions(docs).map(([k, v]) => `${md(k)} ${md(v)}`).join(', ') || MISSING}.`,
  ].join('\n');
}

/**
 * Renders report.md from a run's documents alone (so `segmint report RUN` can re-render it), plus
 * the optional extras (the promoted segments the run's segments match, with `--ruleset`).
 * Deterministic: the same documents always give the same string.
 *
 * @example
 * const text = renderMarkdown({ manifest, segments, rules });
 * text.startsWith('# segmint report'); // true
 */
export function renderMarkdown(docs: RunDocuments, extras: ReportExtras = {}): string {
  const sections = [
    header(docs),
    summary(docs),
    overview(docs),
    ...[outcomesMarkdown(docs)].filter((s) => s !== ''),
    ...[sinceMarkdown(docs)].filter((s) => s !== ''),
    ...(extras.promoted ? [promotedMarkdown(docs, extras.promoted)] : []),
    ...segmentsById(docs).map((s) => segmentSection(docs, s)),
    kSelection(docs),
    accounting(docs),
    warnings(docs),
    timings(docs),
    provenance(docs),
  ];
  return `${sections.join('\n\n')}\n`;
}

/**
 * The report's "Promoted segments" section: which of the run's segments match a segment already
 * promoted to a ruleset (`segmint run|report … --ruleset DIR`), and which promoted segments match
 * none of them (each compared one is named). The matching is computed outside
 * the report stage (src/ruleset/match.ts) and handed to the renderers as an optional extra, so
 * the run's documents stay what they were. Every value is escaped like the rest of the report.
 */
import type { RunDocuments } from '../../run/types.js';
import { escapeHtml as esc, escapeMarkdown as md, markdownCode as code } from './escape.js';
import { formatNumber } from './format.js';
import { segmentsById } from './model.js';
import { section, table as htmlTable } from './html/elements.js';

/** One promoted segment whose rule, evaluated on the run's users, overlaps a run segment best with Jaccard ≥ 0.5. */
export interface PromotedMatch {
  /** The run's segment. */
  readonly segment: number;
  readonly key: string;
  readonly version: number;
  /** The promoted segment's name. */
  readonly name: string;
  readonly jaccard: number;
  /** The promoted rule's text, and whether it differs from the rule the run suggests for the segment. */
  readonly rule: string;
  readonly ruleDiffers: boolean;
}

/**
 * A promoted segment evaluated on the run that matches none of its segments: the one an analyst
 * most needs to see (QA: the section listed the five that matched and never named the sixth).
 */
export interface PromotedMiss {
  readonly key: string;
  readonly version: number;
  readonly name: string;
  /** The promoted rule's text. */
  readonly rule: string;
  /** The run's users the rule selects. */
  readonly selected: number;
  /** The run segment its selection overlaps best and their Jaccard (below 0.5), or null when it shares no user with any. */
  readonly best: { readonly segment: number; readonly jaccard: number } | null;
}

export interface PromotedMatches {
  /** The ruleset folder, as shown to the user. */
  readonly ruleset: string;
  /** Promoted segments whose rules were evaluated on the run: each is in `matches` or in `unmatched`. */
  readonly compared: number;
  readonly matches: readonly PromotedMatch[];
  readonly unmatched: readonly PromotedMiss[];
  /** Promoted segments that could not be evaluated on the run's data, and why. */
  readonly skipped: readonly { readonly key: string; readonly reason: string }[];
}

/** Extras a renderer may be given besides the run's documents. */
export interface ReportExtras {
  readonly promoted?: PromotedMatches;
}

const INTRO =
  'Each promoted rule is evaluated on this run’s users as of the run’s window end; it matches the run segment its selection ' +
  'overlaps best, when that overlap has a Jaccard index (shared users ÷ users in either) of at least 0.5.';

function segmentName(docs: RunDocuments, id: number): string {
  return segmentsById(docs).find((s) => s.id === id)?.name ?? '';
}

/** The run's segments no promoted segment matches. */
function segmentsWithoutMatch(docs: RunDocuments, p: PromotedMatches): number[] {
  return segmentsById(docs).map((s) => s.id).filter((id) => !p.matches.some((m) => m.segment === id));
}

/**
 * The cells of the section's table, one row per compared promoted segment (the matched ones by
 * segment, then the unmatched ones by key), each value through the renderer's escapes: `text`
 * for prose, `code` for keys and rules. The last column names the promoted rule as such (QA:
 * "differs from this run's suggestion: <rule>" read as if the quoted rule were the run's).
 */
function tableRows(docs: RunDocuments, p: PromotedMatches, text: (v: string) => string, code: (v: string) => string): string[][] {
  const matched = p.matches.map((m) => [
    `${m.segment} ${text(segmentName(docs, m.segment))}`,
    `${code(m.key)} ${text(m.name)}`,
    `v${m.version}`,
    formatNumber(m.jaccard, 2),
    m.ruleDiffers ? `differs from this run’s suggestion; the promoted rule is ${code(m.rule)}` : 'same as this run’s suggestion',
  ]);
  const unmatched = p.unmatched.map((u) => {
    const selects = `it selects ${u.selected === 0 ? 'none' : formatNumber(u.selected, 0)} of this run’s users`;
    const best = u.best === null ? (u.selected === 0 ? '' : ', none in a segment') : `; best overlap: ${u.best.segment} ${text(segmentName(docs, u.best.segment))}`;
    return [
      `none: no segment of this run matches it (${selects}${best})`,
      `${code(u.key)} ${text(u.name)}`,
      `v${u.version}`,
      // Jaccard with every segment is 0 when it shares no user with any.
      formatNumber(u.best?.jaccard ?? 0, 2),
      `the promoted rule is ${code(u.rule)}`,
    ];
  });
  return [...matched, ...unmatched];
}

/** The section as GitHub-flavoured markdown. */
export function promotedMarkdown(docs: RunDocuments, p: PromotedMatches): string {
  const out = ['## Promoted segments', '', `Compared with ${p.compared} promoted segment(s) of ${code(p.ruleset, false)}. ${md(INTRO)}`, ''];
  if (p.matches.length === 0) out.push('No segment of this run matches a promoted segment.');
  if (p.matches.length + p.unmatched.length > 0) {
    const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
    if (p.matches.length === 0) out.push('');
    out.push(
      line(['Segment', 'Promoted segment', 'Version', 'Jaccard', 'Promoted rule']),
      line(['---', '---', '---:', '---:', '---']),
      ...tableRows(docs, p, md, (v) => code(v, true)).map(line),
    );
  }
  const rest = segmentsWithoutMatch(docs, p);
  if (p.matches.length > 0 && rest.length > 0) out.push('', `Segments matching no promoted segment: ${rest.join(', ')}.`);
  if (p.skipped.length > 0) out.push('', `Not evaluated on this run’s data: ${p.skipped.map((s) => `${code(s.key, false)} (${md(s.reason)})`).join('; ')}.`);
  return out.join('\n');
}

/** The section as report.html markup. */
export function promotedHtml(docs: RunDocuments, p: PromotedMatches): string {
  const parts: string[] = [];
  if (p.matches.length === 0) parts.push('<p>No segment of this run matches a promoted segment.</p>');
  if (p.matches.length + p.unmatched.length > 0) {
    const rows = tableRows(docs, p, esc, (v) => `<code>${esc(v)}</code>`);
    parts.push(htmlTable([{ heading: 'Segment' }, { heading: 'Promoted segment' }, { heading: 'Version', numeric: true }, { heading: 'Jaccard', numeric: true }, { heading: 'Promoted rule' }], rows));
  }
  const rest = segmentsWithoutMatch(docs, p);
  if (p.matches.length > 0 && rest.length > 0) parts.push(`<p>Segments matching no promoted segment: ${rest.join(', ')}.</p>`);
  if (p.skipped.length > 0) parts.push(`<p>Not evaluated on this run’s data: ${p.skipped.map((s) => `<code>${esc(s.key)}</code> (${esc(s.reason)})`).join('; ')}.</p>`);
  return section('promoted', 'Promoted segments', parts.join('\n'), `Compared with ${p.compared} promoted segment(s) of <code>${esc(p.ruleset)}</code>. ${esc(INTRO)}`);
}

/**
 * Small derivations both renderers share, so report.md and report.html can never disagree
 * about what a run's documents say.
 */
import type { RunDocuments, SegmentsDoc } from '../../run/types.js';
import type { KScore } from '../cluster/types.js';
import { SEGMENT_STABLE, STABLE } from '../cluster/select-k.js';
import type { RowAccounting } from '../ingest/types.js';
import type { Trait } from '../profile/types.js';
import type { Rule } from '../rules/types.js';
import { WHOLE_LOG_DAYS } from '../../config/resolve.js';
import { formatInt, formatPercent, formatValue } from './format.js';

export type ReportSegment = SegmentsDoc['segments'][number];

/** Segments in id order (documents are expected to be, but the report must not depend on it). */
export function segmentsById(docs: RunDocuments): ReportSegment[] {
  return [...docs.segments.segments].sort((a, b) => a.id - b.id);
}

/** The suggested rules for one segment, in document order (usually exactly one). */
export function rulesFor(docs: RunDocuments, segment: number): Rule[] {
  return docs.rules.rules.filter((r) => r.segment === segment);
}

/** read − (used + outOfWindow + duplicates + rejected + setAside): 0 when every row is accounted for. */
export function unaccounted(a: RowAccounting): number {
  return a.read - (a.used + a.outOfWindow + a.duplicates + a.rejected + (a.setAside ?? 0));
}

/** Sum of every role's counts (the totals row). */
export function accountingTotals(rows: readonly RowAccounting[]): Omit<RowAccounting, 'role' | 'files'> {
  const sum = (pick: (a: RowAccounting) => number) => rows.reduce((s, a) => s + pick(a), 0);
  return {
    read: sum((a) => a.read),
    used: sum((a) => a.used),
    outOfWindow: sum((a) => a.outOfWindow),
    duplicates: sum((a) => a.duplicates),
    rejected: sum((a) => a.rejected),
    setAside: sum((a) => a.setAside ?? 0),
  };
}

/** Events that made it into the analysis (the events role's `used`), or null without one. */
export function eventsUsed(docs: RunDocuments): number | null {
  return docs.manifest.accounting.find((a) => a.role === 'events')?.used ?? null;
}

/** A run over a users table alone: no window, no events, nothing event-shaped to show. */
export function attributeOnly(docs: RunDocuments): boolean {
  return eventsUsed(docs) === null;
}

/** The run used `window.days: all` (the whole log). */
export function wholeLog(docs: RunDocuments): boolean {
  return docs.manifest.config.window.days >= WHOLE_LOG_DAYS;
}

/** The window's last day (its end, as a date). */
export function windowEndDate(docs: RunDocuments): string {
  return docs.manifest.window.end.slice(0, 10);
}

/** What the window left out, when it is more than half of the users, in plain text (renderers escape it). */
export interface WindowNotice {
  /** "The 90-day window leaves out 62% of users". */
  readonly headline: string;
  /** Which users, how many, up to when. */
  readonly detail: string;
  /** The settings and flags that change it; constant text whose only markup is `code` spans. */
  readonly fix: string;
}

/**
 * Said at the top of both reports and the CLI's summary when the window drops more than half of
 * the users: users whose events all fall before it (`usersOutOfWindow` in the events' row
 * accounting), or users-table users with no event in it (the no-events group). Null otherwise, in
 * attribute-only runs, and when the window is already the whole log (nothing to widen).
 */
export function windowNotice(docs: RunDocuments): WindowNotice | null {
  if (attributeOnly(docs) || wholeLog(docs)) return null;
  const clustered = docs.segments.users;
  const outside = docs.manifest.accounting.find((a) => a.role === 'events')?.usersOutOfWindow ?? 0;
  const noEvents = docs.segments.usersWithoutEvents ?? 0;
  const share = (part: number, whole: number) => (whole === 0 ? 0 : part / whole);
  const days = formatInt(docs.manifest.window.days);
  const span = `the ${days} days up to ${windowEndDate(docs)}`;
  let dropped: number;
  let detail: string;
  if (share(outside, clustered + outside) > 0.5) {
    dropped = share(outside, clustered + outside);
    detail = `${formatInt(outside)} of ${formatInt(clustered + outside)} users with events have none in ${span}, so they are in no segment.`;
  } else if (share(noEvents, clustered + noEvents) > 0.5) {
    dropped = share(noEvents, clustered + noEvents);
    detail = `${formatInt(noEvents)} of ${formatInt(clustered + noEvents)} users in the users table have no events in ${span}, so they are in no segment.`;
  } else {
    return null;
  }
  return {
    headline: `The ${days}-day window leaves out ${formatPercent(dropped)} of users`,
    detail,
    // Constant text: `code` spans are the only markup (markdown as it is, <code> in HTML, bare in the terminal).
    fix: 'Widen it with `--window-days N` (`window.days: N` in the config), or use the whole log with `--window-days all` (`window.days: all`); `--as-of DATE` (`window.end`) moves its end.',
  };
}

/** A trait's feature label, with the category it compares when it is a category trait. */
export function traitLabel(t: Trait): string {
  if (t.kind !== 'category' || t.category === undefined || t.label.includes(t.category)) return t.label;
  return `${t.label}: ${t.category}`;
}

/** Category traits compare shares (shown as %); numeric traits compare means. */
export function traitValue(t: Trait, v: number): string {
  return t.kind === 'category' ? formatPercent(v) : formatValue(v);
}

/** True when a segment's stability is known and below the configured threshold. */
export function isUnstable(docs: RunDocuments, s: ReportSegment): boolean {
  return s.stability !== null && s.stability < docs.manifest.config.cluster.unstableBelow;
}

/** The k-selection criteria, in the order both reports show them. */
export interface Criterion {
  readonly key: 'inertia' | 'silhouette' | 'calinskiHarabasz' | 'daviesBouldin' | 'stability' | 'gap' | 'minShare';
  readonly label: string;
  readonly better: 'higher' | 'lower' | null;
  readonly digits: number;
  readonly percent?: boolean;
}

export const CRITERIA: readonly Criterion[] = [
  // Inertia always falls as k grows, so it has no "better" direction on its own (look for the elbow).
  { key: 'inertia', label: 'Inertia', better: null, digits: 1 },
  { key: 'silhouette', label: 'Silhouette', better: 'higher', digits: 3 },
  { key: 'calinskiHarabasz', label: 'Calinski–Harabasz', better: 'higher', digits: 1 },
  { key: 'daviesBouldin', label: 'Davies–Bouldin', better: 'lower', digits: 3 },
  { key: 'stability', label: 'Stability (ARI)', better: 'higher', digits: 3 },
  { key: 'gap', label: 'Gap statistic', better: 'higher', digits: 3 },
  { key: 'minShare', label: 'Smallest segment (sweep sample)', better: null, digits: 1, percent: true },
];

/** The criteria a run has: the gap statistic is optional (absent when k was fixed). */
export function criteriaFor(docs: RunDocuments): Criterion[] {
  return CRITERIA.filter((c) => c.key !== 'gap' || docs.segments.scores.some((s) => s.gap !== undefined));
}

/** A score's value for a criterion; absent and not computed are both null. */
export function scoreValue(s: KScore, c: Criterion): number | null {
  return s[c.key] ?? null;
}

/** Scores in ascending k. */
/**
 * Why a candidate k could or could not compete: "yes", or every gate it failed, e.g.
 * "no: smallest segment ~12 users (< 20); a segment not reproduced (0.62 < 0.8)". Runs written before the gates
 * were recorded show the plain flag.
 */
export function eligibility(docs: RunDocuments, s: KScore): string {
  const c = docs.manifest.config.cluster;
  if (s.gates === undefined) return s.eligible ? 'yes' : 'no';
  const failed: string[] = [];
  if (!s.gates.size) failed.push(`smallest segment ~${s.smallestUsers} users (< ${c.minSize})`);
  if (!s.gates.share) failed.push(`a segment below ${formatPercent(c.minShare)} that is not stable`);
  if (!s.gates.stable) {
    failed.push(s.weakestSegment === null || s.weakestSegment === undefined ? `unstable (${s.stability?.toFixed(2) ?? 'n/a'} < ${STABLE})` : `a segment not reproduced (${s.weakestSegment.toFixed(2)} < ${SEGMENT_STABLE})`);
  }
  const small = s.smallStable > 0 ? ` (${s.smallStable} small distinct group${s.smallStable > 1 ? 's' : ''})` : '';
  return failed.length === 0 ? `yes${small}` : `no: ${failed.join('; ')}`;
}

/** One sentence on what makes a k eligible, for under the scores table. */
export function eligibilityRule(docs: RunDocuments): string {
  const c = docs.manifest.config.cluster;
  return (
    `A k is eligible when every segment has at least ${c.minSize} users, every segment holds at least ${formatPercent(c.minShare)} of users ` +
    `or is a stable small group (Jaccard ≥ ${c.unstableBelow} across resamples), and every segment is reproduced across resamples (Jaccard ≥ ${SEGMENT_STABLE}). ` +
    `The largest eligible k is chosen while each step up still separates its extra segments about as well as the ones before (gap statistic). Stability (ARI) compares whole partitions across resamples: it stays high when one small segment ` +
    `is not reproduced, which is why the gate judges each segment on its own.`
  );
}

export function scoresByK(docs: RunDocuments): KScore[] {
  return [...docs.segments.scores].sort((a, b) => a.k - b.k);
}

/** The top `n` traits (the profile already orders them strongest first). */
export function topTraits(s: ReportSegment, n: number): readonly Trait[] {
  return s.traits.slice(0, n);
}

/** Stages in the manifest order with the total. */
export function totalMs(docs: RunDocuments): number {
  return docs.manifest.timings.reduce((s, t) => s + t.ms, 0);
}

/** Versions sorted by name so the footer never depends on object key order. */
export function sortedVersions(docs: RunDocuments): [string, string][] {
  return Object.entries(docs.manifest.versions).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

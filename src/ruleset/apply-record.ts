/**
 * `apply.json`: what a `rules apply` wrote its memberships from — the as-of time and each
 * segment's version and content hash — beside memberships.csv in --out. The next apply reads it
 * with the previous memberships and says when its changes.csv does not mean what a reader of
 * entries and exits assumes (outside check: another ruleset's memberships recorded as mass
 * exits, an as-of before the previous one, a new rule version shown as ordinary entries; none
 * said a word).
 */
import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { warnings, type Warning } from '../core/warnings.js';
import type { Membership } from './memberships.js';

const recordSchema = z
  .object({
    kind: z.literal('segmint.apply-record'),
    version: z.literal(1),
    /** E per source group, `YYYY-MM-DD HH:MM:SS.ffffff` (UTC). */
    as_of: z.array(z.string()),
    segments: z.array(z.object({ key: z.string(), version: z.number().int().min(1), content_hash: z.string() }).readonly()),
  })
  .readonly();

export type ApplyRecord = z.output<typeof recordSchema>;

export const APPLY_RECORD = 'apply.json';

export function applyRecordJson(record: ApplyRecord): string {
  return `${JSON.stringify(record, null, 2)}\n`;
}

/** The previous apply's record, or null when there is none or it does not read (written by hand, an older segmint). */
export function readApplyRecord(file: string): ApplyRecord | null {
  if (!existsSync(file)) return null;
  try {
    const parsed = recordSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** A segment of this apply: its key and the version its members were selected by. */
export interface AppliedSegment {
  readonly key: string;
  readonly version: number;
}

/**
 * Why changes.csv against the previous memberships may not be users entering and leaving:
 * memberships of none of these segments, an as-of earlier than the previous one, or a segment
 * whose rule changed version in between.
 */
export function continuityWarnings(before: readonly Membership[], previous: ApplyRecord | null, segments: readonly AppliedSegment[], asOf: readonly string[]): Warning[] {
  const out: Warning[] = [];
  const keys = new Set(segments.map((s) => s.key));
  if (before.length > 0 && segments.length > 0 && !before.some((m) => keys.has(m.segment))) {
    out.push(warnings.applyOtherMemberships(before.length, [...new Set(before.map((m) => m.segment))]));
  }
  // The times compare as text: both are `YYYY-MM-DD HH:MM:SS.ffffff`.
  const latest = (xs: readonly string[]) => xs.reduce((a, b) => (b > a ? b : a), '');
  if (previous !== null && previous.as_of.length > 0 && asOf.length > 0 && latest(asOf) < latest(previous.as_of)) {
    out.push(warnings.applyBackwards(latest(asOf), latest(previous.as_of)));
  }
  for (const s of segments) {
    const was = before.find((m) => m.segment === s.key && m.version !== s.version);
    if (was !== undefined) out.push(warnings.applyNewVersion(s.key, was.version, s.version));
  }
  return out;
}

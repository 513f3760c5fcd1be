/**
 * `rules apply`: the weekly production job. No clustering, no feature table:
 *
 *   1. Read the ruleset (active segments only).
 *   2. Ingest the inputs the way the segments' runs did (one ingest per distinct recorded source,
 *      usually one), windowed to the longest rule window ending at the as-of time.
 *   3. Per segment: refuse data that lacks an event or column the rule needs, then select its
 *      users with the definitions' SQL.
 *   4. Write memberships.csv, changes.csv against the previous memberships.csv in --out (with a
 *      warning where those are not users entering and leaving, apply-record.ts), and apply.json.
 */
import { join } from 'node:path';
import type { ResolvedConfig } from '../config/types.js';
import type { RunContext } from '../core/context.js';
import { stableJson } from '../run/json.js';
import { replaceFile } from '../run/output.js';
import { asOfOf, assertDataFits, assertWindowHasEvents, configFromSource, selectUsers, withIngested, type RawInputs } from './compute.js';
import { changesCsv, diffMemberships, membershipsCsv, readMemberships, type Membership } from './memberships.js';
import { assertOutFolder, makeOutFolder } from './out-folder.js';
import { APPLY_RECORD, applyRecordJson, continuityWarnings, readApplyRecord, type ApplyRecord } from './apply-record.js';
import type { PromotedVersion, RulesetSource } from './schema.js';
import { readRuleset } from './store.js';
import { normalizeAsOf } from './time.js';

export interface ApplyOptions {
  readonly ruleset: string;
  readonly inputs: RawInputs;
  /** A pipeline config whose inputs (mapping, keys, paths) replace what the ruleset recorded. */
  readonly config?: ResolvedConfig;
  /** ISO date or time; default: the latest event. */
  readonly asOf?: string;
  readonly out: string;
}

export interface SegmentCount {
  readonly key: string;
  readonly name: string;
  readonly version: number;
  readonly size: number;
  /** null when there was no previous memberships.csv. */
  readonly entered: number | null;
  readonly exited: number | null;
}

export interface ApplyResult {
  /** E per source group, as used (`YYYY-MM-DD HH:MM:SS.ffffff`). */
  readonly asOf: readonly string[];
  readonly counts: readonly SegmentCount[];
  readonly files: readonly string[];
}

/** One promoted rule to compute: a segment's version, with the job and source it was promoted from. */
export interface VersionToSelect {
  /** Names the result (the key in `rules apply`; `rules diff` computes two versions of one key). */
  readonly id: string;
  readonly key: string;
  readonly job: string;
  readonly source: RulesetSource;
  readonly version: Pick<PromotedVersion, 'rule' | 'features' | 'window'>;
}

export interface Selections {
  /** E per source group, as used (`YYYY-MM-DD HH:MM:SS.ffffff`). */
  readonly asOf: readonly string[];
  /** id → the users its rule selects, sorted. */
  readonly selected: ReadonlyMap<string, readonly string[]>;
}

/**
 * The users each rule selects in the inputs: one ingest per distinct recorded source (usually
 * one), windowed to the longest rule window ending at the as-of time (default: the latest
 * event); data lacking an event or column a rule needs is refused before any selection.
 *
 * @example
 * const { selected } = await selectVersions([{ id: doc.key, key: doc.key, job: doc.created_from.job, source: doc.source, version: doc }], { inputs: { events: ['week-44.csv'] } }, ctx);
 */
export async function selectVersions(
  versions: readonly VersionToSelect[],
  options: { readonly inputs: RawInputs; readonly config?: ResolvedConfig; readonly asOf?: string },
  ctx: RunContext,
): Promise<Selections> {
  const asOf = options.asOf === undefined ? null : normalizeAsOf(options.asOf);
  const groups = new Map<string, VersionToSelect[]>();
  for (const v of versions) {
    // By source alone: rules promoted from runs of two jobs that read the inputs alike share one
    // ingest (outside check: every warning printed twice and the as-of recorded twice).
    const id = options.config ? 'config' : stableJson(v.source);
    groups.set(id, [...(groups.get(id) ?? []), v]);
  }
  const selected = new Map<string, string[]>();
  const asOfs: string[] = [];
  for (const group of groups.values()) {
    const days = Math.max(...group.map((v) => v.version.window.days));
    const first = group[0];
    const config = options.config
      ? { ...options.config, window: { days, end: asOf === null ? null : asOf.replace(' ', 'T') + 'Z' } }
      : configFromSource(first.job, first.source, options.inputs, days, asOf);
    await withIngested(config, ctx, async (db, ingested) => {
      const e = asOfOf(ingested);
      asOfs.push(e);
      // An empty window first: otherwise the first rule counting an event would blame its event.
      assertWindowHasEvents(ingested, options.asOf ?? null);
      for (const v of group) await assertDataFits(db, ingested, v.key, v.version);
      for (const v of group) selected.set(v.id, await selectUsers(db, v.version, e));
    });
  }
  return { asOf: asOfs, selected };
}

/**
 * @example
 * const result = await applyRuleset({ ruleset: 'rulesets/prod', inputs: { events: ['exports/week-44.csv.gz'] }, out: 'memberships' }, ctx);
 */
export async function applyRuleset(options: ApplyOptions, ctx: RunContext): Promise<ApplyResult> {
  // 1. Segments, --out and the previous memberships (checked before any work, so nothing is half-done).
  assertOutFolder(options.out);
  const entries = readRuleset(options.ruleset).filter((e) => e.doc.status === 'active');
  const membershipsFile = join(options.out, 'memberships.csv');
  const before = readMemberships(membershipsFile);
  const recordFile = join(options.out, APPLY_RECORD);
  const previous = readApplyRecord(recordFile);

  // 2–3. One ingest per recorded source.
  const { asOf: asOfs, selected } = await selectVersions(
    entries.map((e) => ({ id: e.doc.key, key: e.doc.key, job: e.doc.created_from.job, source: e.doc.source, version: e.doc })),
    options,
    ctx,
  );

  // 4. Memberships, then changes.
  const after: Membership[] = [];
  for (const e of [...entries].sort((a, b) => (a.doc.key < b.doc.key ? -1 : 1))) {
    for (const userId of selected.get(e.doc.key) ?? []) after.push({ userId, segment: e.doc.key, version: e.doc.version });
  }
  const changes = before === null ? null : diffMemberships(before, after);
  const applied = entries.map((e) => ({ key: e.doc.key, version: e.doc.version }));
  if (before !== null) for (const w of continuityWarnings(before, previous, applied, asOfs)) ctx.warn(w);
  makeOutFolder(options.out);
  const files = [membershipsFile];
  if (changes !== null) {
    const changesFile = join(options.out, 'changes.csv');
    replaceFile(changesFile, changesCsv(changes));
    files.push(changesFile);
  }
  replaceFile(membershipsFile, membershipsCsv(after));
  const record: ApplyRecord = { kind: 'segmint.apply-record', version: 1, as_of: [...asOfs], segments: entries.map((e) => ({ key: e.doc.key, version: e.doc.version, content_hash: e.doc.content_hash })) };
  replaceFile(recordFile, applyRecordJson(record));
  files.push(recordFile);

  const counts = entries.map((e): SegmentCount => {
    const key = e.doc.key;
    const tally = (change: 'enter' | 'exit') => (changes === null ? null : changes.filter((c) => c.segment === key && c.change === change).length);
    return { key, name: e.doc.name, version: e.doc.version, size: selected.get(key)?.length ?? 0, entered: tally('enter'), exited: tally('exit') };
  });
  // Segments no longer in the ruleset: their members all left.
  if (changes !== null) {
    for (const key of new Set(changes.map((c) => c.segment))) {
      if (!entries.some((e) => e.doc.key === key)) {
        counts.push({ key, name: '(no longer in the ruleset)', version: 0, size: 0, entered: 0, exited: changes.filter((c) => c.segment === key).length });
      }
    }
  }
  return { asOf: asOfs, counts, files };
}

/**
 * `rules diff`: what changed between two rulesets (a main folder and a branch's), or between two
 * versions of one promoted segment (the older one read from the file's `history`).
 *
 *   1. Pair the versions by key (a key on one side only was added or removed).
 *   2. Say what changed in each rule: conditions added or removed, thresholds and values changed,
 *      feature definitions and window; and in the segment: name, status, owner.
 *   3. With inputs, the membership impact: users selected by A only, by B only, by both — computed
 *      by `rules apply`'s selection (apply.ts), so a diff counts exactly what apply would write.
 *      Comparing folders, a segment that is not active selects nobody (apply skips it); comparing
 *      versions, both rules are computed whatever the segment's status.
 */
import { existsSync } from 'node:fs';
import type { RunContext } from '../core/context.js';
import { rulesetErrors } from '../core/messages.js';
import { stableJson } from '../run/json.js';
import { shownPath } from '../run/paths.js';
import type { Condition } from '../stages/rules/types.js';
import { selectVersions, type VersionToSelect } from './apply.js';
import type { RawInputs } from './compute.js';
import type { PromotedSegment, PromotedVersion } from './schema.js';
import { readRuleset } from './store.js';

type Version = Pick<PromotedVersion, 'version' | 'rule' | 'features' | 'window' | 'content_hash'>;

/** One side of a comparison: a version of a segment, with the file's segment-level fields. */
export interface DiffSide {
  readonly doc: PromotedSegment;
  readonly version: Version;
  /** Whether its rule selects anyone (`rules apply` computes active segments only). */
  readonly selects: boolean;
}

export interface Impact {
  readonly onlyA: number;
  readonly onlyB: number;
  readonly both: number;
}

export interface DiffRow {
  readonly key: string;
  readonly a: { readonly version: number; readonly status: string } | null;
  readonly b: { readonly version: number; readonly status: string } | null;
  readonly change: 'added' | 'removed' | 'changed' | 'unchanged';
  /** What changed, one line each. */
  readonly changes: readonly string[];
  /** null without inputs. */
  readonly impact: Impact | null;
}

export interface RulesetDiff {
  /** What A and B are: two folders, or KEY@N and KEY@M. */
  readonly a: string;
  readonly b: string;
  readonly rows: readonly DiffRow[];
  /** E per ingest, when inputs were given. */
  readonly asOf: readonly string[] | null;
}

export interface DiffInputs {
  readonly inputs?: RawInputs;
  readonly asOf?: string;
}

// ---------------------------------------------------------------- what changed

function conditionKey(c: Condition): string {
  return `${c.feature}\u0000${c.op}`;
}

/**
 * The changes from `a` to `b`, one line each: conditions (paired by feature and operator, so a
 * moved threshold reads as one change), feature definitions, window.
 *
 * @example
 * ruleChanges(v1, v2); // ['threshold changed: sessions ≥ 4 → sessions ≥ 6', 'condition added: plan = \'pro\'']
 */
export function ruleChanges(a: Version, b: Version): string[] {
  const out: string[] = [];
  const unpairedB = [...b.rule.conditions];
  for (const ca of a.rule.conditions) {
    const i = unpairedB.findIndex((cb) => conditionKey(cb) === conditionKey(ca));
    if (i < 0) {
      out.push(`condition removed: ${ca.label}`);
      continue;
    }
    const [cb] = unpairedB.splice(i, 1);
    if (cb.value !== ca.value) out.push(`${typeof ca.value === 'number' ? 'threshold' : 'value'} changed: ${ca.label} → ${cb.label}`);
  }
  for (const cb of unpairedB) out.push(`condition added: ${cb.label}`);
  const used = new Set(b.rule.conditions.map((c) => c.feature));
  for (const name of [...new Set(a.rule.conditions.map((c) => c.feature))].filter((n) => used.has(n))) {
    const fa = a.features[name];
    const fb = b.features[name];
    if (stableJson(fa.meaning) !== stableJson(fb.meaning)) out.push(`definition of ${name} changed: ${fa.definition} → ${fb.definition}`);
  }
  if (a.window.days !== b.window.days) out.push(`window ${a.window.days} → ${b.window.days} days`);
  return out;
}

function segmentChanges(a: PromotedSegment, b: PromotedSegment): string[] {
  const out: string[] = [];
  const q = (v: string | null) => (v === null ? 'none' : JSON.stringify(v));
  if (a.name !== b.name) out.push(`name ${q(a.name)} → ${q(b.name)}`);
  if (a.status !== b.status) out.push(`status ${a.status} → ${b.status}`);
  if (a.owner !== b.owner) out.push(`owner ${q(a.owner)} → ${q(b.owner)}`);
  return out;
}

function describe(key: string, a: DiffSide | null, b: DiffSide | null): Omit<DiffRow, 'impact'> {
  const side = (s: DiffSide | null) => (s === null ? null : { version: s.version.version, status: s.doc.status });
  if (a === null || b === null) return { key, a: side(a), b: side(b), change: a === null ? 'added' : 'removed', changes: [] };
  const changes = [...ruleChanges(a.version, b.version), ...(a.doc === b.doc ? [] : segmentChanges(a.doc, b.doc))];
  if (changes.length === 0 && a.version.version !== b.version.version) changes.push('same rule, features and window');
  return { key, a: side(a), b: side(b), change: changes.length === 0 ? 'unchanged' : 'changed', changes };
}

// ---------------------------------------------------------------- versions

/** `KEY@N` → key and version. */
export function parseVersionRef(text: string): { key: string; version: number } {
  const m = /^([a-z0-9][a-z0-9-]{0,79})@v?([1-9]\d{0,5})$/.exec(text.trim());
  if (!m) throw rulesetErrors.versionRefInvalid(text);
  return { key: m[1], version: Number(m[2]) };
}

/** Version `n` of a promoted segment: the current one, or one kept in `history`. */
export function versionOf(doc: PromotedSegment, n: number): Version {
  if (doc.version === n) return doc;
  const old = doc.history.find((h) => h.version === n);
  if (!old) throw rulesetErrors.versionNotFound(doc.key, n, [...doc.history.map((h) => h.version), doc.version].sort((x, y) => x - y));
  return old;
}

function readFolder(dir: string): PromotedSegment[] {
  if (!existsSync(dir)) throw rulesetErrors.folderNotFound(shownPath(dir));
  return readRuleset(dir, { allowEmpty: true }).map((e) => e.doc);
}

// ---------------------------------------------------------------- impact

async function withImpact(pairs: readonly { key: string; a: DiffSide | null; b: DiffSide | null }[], options: DiffInputs, ctx: RunContext): Promise<{ rows: DiffRow[]; asOf: readonly string[] | null }> {
  const described = pairs.map((p) => describe(p.key, p.a, p.b));
  if (!options.inputs) return { rows: described.map((d) => ({ ...d, impact: null })), asOf: null };
  const toSelect: VersionToSelect[] = [];
  for (const p of pairs) {
    for (const [tag, s] of [['a', p.a], ['b', p.b]] as const) {
      if (s?.selects) toSelect.push({ id: `${tag}\u0000${p.key}`, key: p.key, job: s.doc.created_from.job, source: s.doc.source, version: s.version });
    }
  }
  const { asOf, selected } = await selectVersions(toSelect, { inputs: options.inputs, asOf: options.asOf }, ctx);
  const rows = described.map((d): DiffRow => {
    const a = new Set(selected.get(`a\u0000${d.key}`) ?? []);
    const b = selected.get(`b\u0000${d.key}`) ?? [];
    const both = b.filter((u) => a.has(u)).length;
    return { ...d, impact: { onlyA: a.size - both, onlyB: b.length - both, both } };
  });
  return { rows, asOf };
}

/**
 * Two ruleset folders, key by key (keys in byte order).
 *
 * @example
 * const diff = await diffRulesets('rulesets/prod', 'checkout/rulesets/prod', { inputs: { events: ['week-44.csv'] } }, ctx);
 * diff.rows.filter((r) => r.change !== 'unchanged');
 */
export async function diffRulesets(dirA: string, dirB: string, options: DiffInputs, ctx: RunContext): Promise<RulesetDiff> {
  const a = new Map(readFolder(dirA).map((d) => [d.key, d]));
  const b = new Map(readFolder(dirB).map((d) => [d.key, d]));
  const side = (doc: PromotedSegment | undefined): DiffSide | null => (doc === undefined ? null : { doc, version: doc, selects: doc.status === 'active' });
  const keys = [...new Set([...a.keys(), ...b.keys()])].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
  const { rows, asOf } = await withImpact(keys.map((key) => ({ key, a: side(a.get(key)), b: side(b.get(key)) })), options, ctx);
  return { a: shownPath(dirA), b: shownPath(dirB), rows, asOf };
}

/**
 * Two versions of one promoted segment in `dir`, named `KEY@N`.
 *
 * @example
 * const diff = await diffVersions('rulesets/prod', 'trial-explorers-1a2b3c@1', 'trial-explorers-1a2b3c@2', {}, ctx);
 */
export async function diffVersions(dir: string, refA: string, refB: string, options: DiffInputs, ctx: RunContext): Promise<RulesetDiff> {
  const ra = parseVersionRef(refA);
  const rb = parseVersionRef(refB);
  if (ra.key !== rb.key) throw rulesetErrors.versionsOfTwoKeys(refA, refB);
  const docs = readFolder(dir);
  const doc = docs.find((d) => d.key === ra.key);
  if (!doc) throw rulesetErrors.keyNotFound(shownPath(dir), ra.key, docs.map((d) => d.key));
  const a: DiffSide = { doc, version: versionOf(doc, ra.version), selects: true };
  const b: DiffSide = { doc, version: versionOf(doc, rb.version), selects: true };
  const { rows, asOf } = await withImpact([{ key: doc.key, a, b }], options, ctx);
  return { a: `${doc.key}@${ra.version}`, b: `${doc.key}@${rb.version}`, rows, asOf };
}

/**
 * `rules promote`: a run's suggested rules become promoted-segment files.
 *
 *   1. Pick the segments (ids, names or `all`) and build each one's new version: the rule, the
 *      definitions of the features it uses, provenance and metrics.
 *   2. Recompute the rules from the run's own inputs (when they are still there, unchanged): each
 *      must select exactly the users the run's metrics count, and the distribution of each
 *      feature is kept for `rules check`.
 *   3. Merge with the ruleset: the same rule again is a no-op (but a --name, --owner or --note
 *      that differs is written in place, same version), a changed rule is the next version (the
 *      previous one moves into `history`), a new segment gets a new key.
 *   4. Write every changed file atomically, refusing files changed since they were read.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { RunContext } from '../core/context.js';
import { labelOf } from '../core/meaning.js';
import { jobOfManifest } from '../run/jobs.js';
import type { RunDocuments } from '../run/types.js';
import type { Rule } from '../stages/rules/types.js';
import { defineFeature } from './definitions.js';
import { asOfOf, featureColumns, selectUsers, sourceOf, withIngested } from './compute.js';
import { distributionOf } from './drift.js';
import { rulesetErrors } from '../core/messages.js';
import { ruleFeatures } from './query.js';
import type { Distribution, PromotedSegment, PromotedVersion } from './schema.js';
import { contentHash, readRuleset, renderEntry, writeEntries, RULESET_EXT, type PlannedWrite, type RulesetEntry } from './store.js';

export { contentHash };

export interface PromoteOptions {
  readonly ruleset: string;
  /** Segment ids, names, or `all`. */
  readonly segments: readonly string[];
  readonly owner?: string;
  readonly name?: string;
  readonly note?: string;
  readonly now?: Date;
}

/** The fields of a promoted segment outside its content hash that promote sets from its flags. */
export const DETAIL_FIELDS = ['name', 'owner', 'note'] as const;
export type DetailField = (typeof DETAIL_FIELDS)[number];

export interface PromoteOutcome {
  readonly key: string;
  readonly file: string;
  readonly action: 'new' | 'new version' | 'unchanged';
  readonly version: number;
  readonly segment: number;
  /** An unchanged rule whose --name / --owner / --note differed from the file: written in place, same version. */
  readonly updated: readonly DetailField[];
}

export interface PromoteResult {
  readonly outcomes: readonly PromoteOutcome[];
  /** Said on stderr: e.g. why drift cannot be measured later. */
  readonly notes: readonly string[];
}

/** Lower-case words joined by dashes, at most 48 characters. */
export function slug(text: string): string {
  const s = text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 48).replace(/-+$/, '');
  return s === '' ? 'segment' : s;
}

/** `slug(name)-<6 hex of run id and segment>`: readable, and unique to where it was first promoted. */
export function newKey(name: string, runId: string, segment: number): string {
  return `${slug(name)}-${createHash('sha256').update(`${runId}\u0000${segment}`).digest('hex').slice(0, 6)}`;
}

/** Segment ids for `given` (ids, names — case-insensitive — or `all`), in the order given. */
export function pickSegments(docs: RunDocuments, given: readonly string[]): number[] {
  const segments = docs.segments.segments;
  if (given.some((g) => g.toLowerCase() === 'all')) return segments.map((s) => s.id);
  const out: number[] = [];
  for (const g of given) {
    const byId = /^\d+$/.test(g) ? segments.find((s) => s.id === Number(g)) : undefined;
    const found = byId ?? segments.find((s) => s.name.toLowerCase() === g.trim().toLowerCase());
    if (!found) throw rulesetErrors.segmentNotFound(docs.manifest.runId, g, segments.map((s) => `${s.id} ${JSON.stringify(s.name)}`));
    if (!out.includes(found.id)) out.push(found.id);
  }
  return out;
}

/**
 * Promote segments of a run into the ruleset folder.
 *
 * @example
 * const { outcomes } = await promote(loadRunDocuments(dir), { ruleset: 'rulesets/prod', segments: ['1', 'Heavy API users'], owner: 'growth' }, ctx);
 */
export async function promote(docs: RunDocuments, options: PromoteOptions, ctx: RunContext): Promise<PromoteResult> {
  const { manifest, segments } = docs;
  const runId = manifest.runId;
  if (segments.model.meanings === undefined) throw rulesetErrors.modelWithoutMeanings(runId);
  if (manifest.config.inputs.events === null) throw rulesetErrors.attributeOnly(runId);
  const ids = pickSegments(docs, options.segments);
  if (options.name !== undefined && ids.length !== 1) throw rulesetErrors.oneNameForMany('name', ids.length);
  const now = (options.now ?? new Date()).toISOString();
  const meanings = segments.model.meanings;
  // The ruleset first: a file segmint cannot build on (wrong shape, a rule edited by hand) stops
  // the command before the recomputation.
  const existing = readRuleset(options.ruleset, { allowEmpty: true });

  // 1. The new versions.
  const drafts = ids.map((id) => {
    const rule = docs.rules.rules.find((r) => r.segment === id);
    if (!rule) throw rulesetErrors.segmentNotFound(runId, String(id), docs.rules.rules.map((r) => String(r.segment)));
    const segment = segments.segments[id];
    const version = versionOf(docs, rule, meanings, now);
    return { id, rule, segment, version };
  });

  // 2. Recompute from the run's inputs: proof the definitions reproduce the run, and distributions.
  const notes: string[] = [];
  const changed = inputsChanged(manifest.inputs);
  const distributions = new Map<string, Distribution>();
  if (changed) {
    notes.push(`not recomputed from the run's inputs (${changed}): the rules are promoted as the run wrote them, and rules check cannot measure feature drift for them`);
  } else {
    await withIngested(manifest.config, ctx, async (db, ingested) => {
      const e = asOfOf(ingested);
      for (const d of drafts) {
        const selected = await selectUsers(db, d.version, e);
        if (selected.length !== d.rule.metrics.selected) throw rulesetErrors.notReproduced(`segment ${d.id}`, runId, selected.length, d.rule.metrics.selected);
      }
      const needed = [...new Map(drafts.flatMap((d) => ruleFeatures(d.version)).map((f) => [f.name, f])).values()];
      const columns = await featureColumns(db, needed, manifest.window.days, e);
      for (const f of needed) distributions.set(f.name, distributionOf(columns.get(f.name) ?? []));
    });
  }

  // 3. Merge with what the ruleset holds.
  const writes: PlannedWrite[] = [];
  const outcomes: PromoteOutcome[] = [];
  for (const d of drafts) {
    const features = Object.fromEntries(
      Object.entries(d.version.features).map(([name, f]) => [name, { ...f, distribution: distributions.get(name) ?? null }]),
    );
    const version: PromotedVersion = { ...d.version, features };
    const name = options.name ?? d.segment.name;
    const prior = findPrior(existing, runId, d.id, name);
    if (prior && prior.doc.content_hash === version.content_hash) {
      // Same rule, same version; name, owner and note are outside the hash, so the flags given
      // for them still apply (in place, without a new version).
      const given: Record<DetailField, string | undefined> = { name: options.name, owner: options.owner, note: options.note };
      const updated = DETAIL_FIELDS.filter((f) => given[f] !== undefined && given[f] !== prior.doc[f]);
      if (updated.length > 0) {
        const doc: PromotedSegment = { ...prior.doc, ...Object.fromEntries(updated.map((f) => [f, given[f]])) };
        writes.push({ file: prior.file, content: renderEntry(doc), readHash: prior.readHash });
      }
      outcomes.push({ key: prior.doc.key, file: prior.file, action: 'unchanged', version: prior.doc.version, segment: d.id, updated });
      continue;
    }
    const key = prior?.doc.key ?? newKey(name, runId, d.id);
    const file = prior?.file ?? join(options.ruleset, `${key}${RULESET_EXT}`);
    const doc: PromotedSegment = {
      kind: 'segmint.promoted-segment',
      format: 1,
      key,
      status: 'active',
      name,
      description: d.segment.description,
      owner: options.owner ?? prior?.doc.owner ?? null,
      note: options.note ?? null,
      created_at: prior?.doc.created_at ?? now,
      ...version,
      version: (prior?.doc.version ?? 0) + 1,
      source: sourceOf(manifest.config, manifest),
      history: prior ? [snapshot(prior.doc), ...prior.doc.history] : [],
    };
    writes.push({ file, content: renderEntry(doc), readHash: prior?.readHash ?? null });
    outcomes.push({ key, file, action: prior ? 'new version' : 'new', version: doc.version, segment: d.id, updated: [] });
  }

  // 4. Write.
  writeEntries(options.ruleset, writes);
  return { outcomes, notes };
}

/** The version a run's rule makes (without distributions). */
function versionOf(docs: RunDocuments, rule: Rule, meanings: NonNullable<RunDocuments['segments']['model']['meanings']>, now: string): PromotedVersion {
  const { manifest, segments } = docs;
  const days = manifest.window.days;
  const features: Record<string, PromotedVersion['features'][string]> = {};
  for (const c of rule.conditions) {
    const meaning = meanings[c.feature];
    if (meaning === undefined) throw rulesetErrors.modelWithoutMeanings(manifest.runId);
    features[c.feature] = { label: labelOf(meaning), definition: defineFeature(meaning, days), meaning, distribution: null };
  }
  const segment = segments.segments[rule.segment];
  const m = rule.metrics;
  const body = {
    rule: { text: rule.text, conditions: rule.conditions },
    features,
    window: { days },
  };
  return {
    version: 1,
    content_hash: contentHash(body),
    promoted_at: now,
    created_from: {
      run_id: manifest.runId,
      // The job's identity (`adhoc-<hash of the inputs>` for an ad-hoc run), not the config's
      // name: every ad-hoc run is named "adhoc", and rules check refuses runs of other jobs.
      job: jobOfManifest(manifest),
      config_hash: manifest.configHash,
      inputs: manifest.inputs,
      seed: manifest.seed,
      segment: rule.segment,
      segment_name: segment.name,
      ...(segment.key !== undefined ? { segment_key: segment.key } : {}),
      as_of: manifest.window.end,
    },
    ...body,
    metrics: {
      size: segment.size,
      share: segment.share,
      selected: m.selected,
      true_positives: m.truePositives,
      precision: m.precision,
      recall: m.recall,
      f1: m.f1,
      lift: m.lift,
      support: m.support,
    },
  };
}

/** The promoted segment a new version belongs to: same run and segment, else the same name. */
function findPrior(entries: readonly RulesetEntry[], runId: string, segment: number, name: string): RulesetEntry | undefined {
  const fromHere = (v: PromotedVersion) => v.created_from.run_id === runId && v.created_from.segment === segment;
  return (
    entries.find((e) => fromHere(e.doc) || e.doc.history.some(fromHere)) ??
    entries.find((e) => e.doc.name.toLowerCase() === name.toLowerCase())
  );
}

/** The version fields of a promoted segment, for its history. */
export function snapshot(doc: PromotedVersion): PromotedVersion {
  const { version, content_hash, promoted_at, created_from, window, rule, features, metrics } = doc;
  return { version, content_hash, promoted_at, created_from, window, rule, features, metrics };
}

/** Why the run's inputs cannot be re-read as they were, or null when they can. */
export function inputsChanged(inputs: RunDocuments['manifest']['inputs']): string | null {
  for (const input of inputs) {
    if (!existsSync(input.path)) return `${input.path} is gone`;
    if (statSync(input.path).size !== input.bytes) return `${input.path} changed`;
    if (createHash('sha256').update(readFileSync(input.path)).digest('hex') !== input.sha256) return `${input.path} changed`;
  }
  return null;
}

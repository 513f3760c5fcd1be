/**
 * The promoted-segment file: one YAML file per segment in a ruleset folder, reviewed in pull
 * requests and edited by hand now and then — so every read goes through this schema, and a file
 * of the wrong shape stops with one line naming the file and the field.
 *
 * The types are inferred from the schema (one source of truth); the meaning schema is checked
 * against `FeatureMeaning` at compile time in both directions.
 */
import { z } from 'zod';
import type { FeatureMeaning } from '../core/meaning.js';
import { HOUR_BANDS, VALUE_AGGREGATES } from '../core/meaning.js';

const str = z.string();
const count = z.number().int().min(0);
const list = <T extends z.ZodType>(item: T) => z.array(item).readonly();

// ---------------------------------------------------------------- meanings

const selector = z.discriminatedUnion('type', [
  z.object({ type: z.literal('event'), event: str }).readonly(),
  z.object({ type: z.literal('other'), except: list(str) }).readonly(),
]);
const source = z.enum(['users', 'accounts']);
const gap = z.number().positive();

export const meaningSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('events') }).readonly(),
  z.object({ kind: z.literal('activeDays') }).readonly(),
  z.object({ kind: z.literal('sessions'), gapMinutes: gap }).readonly(),
  z.object({ kind: z.literal('eventsPerSession'), gapMinutes: gap }).readonly(),
  z.object({ kind: z.literal('sessionMinutes'), gapMinutes: gap }).readonly(),
  z.object({ kind: z.literal('daysSinceLastEvent') }).readonly(),
  z.object({ kind: z.literal('daysSinceFirstEvent') }).readonly(),
  z.object({ kind: z.literal('activeDayShare') }).readonly(),
  z.object({ kind: z.literal('daysBetweenActiveDays') }).readonly(),
  z.object({ kind: z.literal('recencyInUsualGaps') }).readonly(),
  z.object({ kind: z.literal('distinctEventTypes') }).readonly(),
  z.object({ kind: z.literal('hourShare'), band: z.enum(Object.keys(HOUR_BANDS) as [keyof typeof HOUR_BANDS, ...(keyof typeof HOUR_BANDS)[]]) }).readonly(),
  z.object({ kind: z.literal('weekendShare') }).readonly(),
  z.object({ kind: z.literal('peakDayShare') }).readonly(),
  z.object({ kind: z.literal('recentShare'), days: z.number().int().min(1) }).readonly(),
  z.object({ kind: z.literal('eventCount'), events: selector }).readonly(),
  z.object({ kind: z.literal('eventShare'), events: selector }).readonly(),
  z.object({ kind: z.literal('value'), name: str, columns: list(str).check(z.minLength(1)), aggregate: z.enum(VALUE_AGGREGATES) }).readonly(),
  z.object({ kind: z.literal('attribute'), source, column: str, type: z.enum(['number', 'boolean', 'category']) }).readonly(),
  z.object({ kind: z.literal('attributeAge'), source, column: str, tenure: z.boolean() }).readonly(),
]);

// Fails to compile when FeatureMeaning and the schema disagree (either direction).
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export const MEANING_SCHEMA_MATCHES: Same<z.output<typeof meaningSchema>, FeatureMeaning> = true;

// ---------------------------------------------------------------- the file

export const conditionSchema = z.union([
  z.object({ feature: str, op: z.enum(['>=', '<']), value: z.number(), label: str }).readonly(),
  z.object({ feature: str, op: z.enum(['=', '!=']), value: z.union([str, z.boolean()]), label: str }).readonly(),
]);

/** Quantile bins of a numeric feature (v < edges[0], edges[0] <= v < edges[1], …), or category shares. */
export const distributionSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('numeric'), edges: list(z.number()), shares: list(z.number().min(0).max(1)), missing: z.number().min(0).max(1) }).readonly(),
  z.object({ type: z.literal('categorical'), shares: z.record(str, z.number().min(0).max(1)).readonly(), other: z.number().min(0).max(1), missing: z.number().min(0).max(1) }).readonly(),
]);

const featureSchema = z.object({
  label: str,
  definition: str,
  meaning: meaningSchema,
  distribution: distributionSchema.nullable(),
}).readonly();

const createdFrom = z.object({
  run_id: str,
  job: str,
  config_hash: str,
  inputs: list(z.object({ path: str, bytes: count, sha256: str }).readonly()),
  seed: z.number(),
  segment: count,
  segment_name: str,
  /** The segment's key in the job's runs (`segmint runs history`); absent for runs before keys. */
  segment_key: str.optional(),
  /** The run's window end: E of the metrics below. */
  as_of: str,
}).readonly();

const metrics = z.object({
  size: count,
  share: z.number().min(0).max(1),
  selected: count,
  true_positives: count,
  precision: z.number().min(0).max(1),
  recall: z.number().min(0).max(1),
  f1: z.number().min(0).max(1),
  lift: z.number().min(0),
  support: z.number().min(0).max(1),
}).readonly();

/** How `rules apply` reads raw exports the way the run did (the run's input settings, without paths). */
const sourceSchema = z.object({
  events: z.object({
    columns: z.object({ userId: str.nullable(), event: str.nullable(), timestamp: str.nullable(), eventId: str.nullable() }).readonly(),
    preset: z.enum(['segment', 'amplitude', 'mixpanel', 'posthog', 'ga4']).nullable(),
    eventName: str.nullable(),
    eventCases: list(z.object({ column: str, startsWith: str.nullable(), equals: str.nullable(), negative: z.boolean(), event: str }).readonly()),
  }).readonly(),
  users: z.object({ key: str.nullable(), accountKey: str.nullable(), exclude: list(str) }).readonly().nullable(),
  accounts: z.object({ key: str.nullable(), exclude: list(str) }).readonly().nullable(),
  values: list(z.object({ name: str, columns: list(str), aggregates: list(z.enum(VALUE_AGGREGATES)) }).readonly()),
  include_internal_events: z.boolean(),
  max_reject_rate: z.number().min(0).max(1),
}).readonly();

/** One version of a promoted rule: what `history` keeps of earlier versions. */
const versionFields = {
  version: z.number().int().min(1),
  content_hash: str.regex(/^sha256:[0-9a-f]{64}$/, 'expected sha256: and 64 hex digits'),
  promoted_at: str,
  created_from: createdFrom,
  window: z.object({ days: z.number().int().min(1) }).readonly(),
  rule: z.object({ text: str, conditions: list(conditionSchema).check(z.maxLength(3)) }).readonly(),
  features: z.record(str, featureSchema).readonly(),
  metrics,
};

export const versionSchema = z.object(versionFields).readonly();

export const STATUSES = ['active', 'paused', 'retired'] as const;

export const promotedSchema = z
  .object({
    kind: z.literal('segmint.promoted-segment'),
    format: z.literal(1),
    key: str.regex(/^[a-z0-9][a-z0-9-]{0,79}$/, 'expected a key of lower-case letters, digits and dashes'),
    status: z.enum(STATUSES),
    name: str.min(1),
    description: str,
    owner: str.nullable(),
    note: str.nullable(),
    created_at: str,
    ...versionFields,
    source: sourceSchema,
    history: list(versionSchema),
    /**
     * Hash of every field but the ones people may edit by hand (name, owner, status, note,
     * description): written by promote, checked on every read. Absent in files written before it
     * was recorded, which are read as before.
     */
    record_hash: str.regex(/^sha256:[0-9a-f]{64}$/, 'expected sha256: and 64 hex digits').optional(),
  })
  .readonly()
  .superRefine((doc, ctx) => {
    // Every condition's feature must be defined in the same file, or apply cannot compute it.
    for (const v of [doc, ...doc.history]) {
      v.rule.conditions.forEach((c, i) => {
        if (!Object.hasOwn(v.features, c.feature)) {
          const path = v === doc ? ['rule', 'conditions', i, 'feature'] : ['history', doc.history.indexOf(v), 'rule', 'conditions', i, 'feature'];
          ctx.addIssue({ code: 'custom', path, message: `names feature ${JSON.stringify(c.feature)}, which the file's features do not define` });
        }
      });
    }
  });

export type PromotedSegment = z.output<typeof promotedSchema>;
export type PromotedVersion = z.output<typeof versionSchema>;
export type PromotedFeature = PromotedVersion['features'][string];
export type Distribution = z.output<typeof distributionSchema>;
export type RulesetSource = PromotedSegment['source'];

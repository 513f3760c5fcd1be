/**
 * A ruleset folder: one `<key>.yaml` per promoted segment. Reading checks every file against the
 * schema and recomputes the content hash of each version (a rule edited by hand stops there);
 * writing is atomic (temporary file, then rename) and optimistic: each file is written
 * only if it still has the bytes segmint read (compared by hash), so a change someone else made
 * meanwhile — another promote, a hand edit, a merge — is never overwritten silently.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Document, isMap, isScalar, parseDocument, visit } from 'yaml';
import type { z } from 'zod';
import { shownPath } from '../run/paths.js';
import { stableJson } from '../run/json.js';
import { writeFailure } from '../run/output.js';
import { rulesetErrors } from '../core/messages.js';
import { meaningSchema, promotedSchema, type PromotedSegment, type PromotedVersion } from './schema.js';
import { valueText } from '../stages/rules/text.js';

export const RULESET_EXT = '.yaml';

export interface RulesetEntry {
  readonly file: string;
  readonly doc: PromotedSegment;
  /** sha256 of the bytes read: the file may be replaced only while it still has them. */
  readonly readHash: string;
}

const sha256 = (text: string | Buffer) => createHash('sha256').update(text).digest('hex');

/**
 * What identifies a rule: its conditions (feature, operator, value), what its features mean, and
 * the window. Labels, the rule's text, definitions, distributions, name, owner, status, note and
 * description are outside it. Each meaning is hashed in the schema's field order, so a meaning read
 * back from a file hashes as the one promoted.
 */
export function contentHash(v: Pick<PromotedVersion, 'rule' | 'features' | 'window'>): string {
  const features = Object.fromEntries(Object.entries(v.features).map(([name, f]) => [name, meaningSchema.parse(f.meaning)]));
  const conditions = v.rule.conditions.map(({ feature, op, value }) => ({ feature, op, value }));
  return `sha256:${sha256(stableJson({ conditions, features, window: v.window }))}`;
}

/**
 * Every promoted segment in `dir`, by key. A missing folder is an empty ruleset when `create`.
 *
 * @example
 * const entries = readRuleset('rulesets/prod');
 * entries.map((e) => e.doc.key); // ['heavy-api-users-1a2b3c', …]
 */
export function readRuleset(dir: string, options: { allowEmpty?: boolean } = {}): RulesetEntry[] {
  if (!existsSync(dir)) {
    if (options.allowEmpty) return [];
    // A typo in a scheduled job's path is not an empty ruleset (outside check).
    throw rulesetErrors.notFound(shownPath(dir), false);
  }
  if (!statSync(dir).isDirectory()) throw rulesetErrors.notAFolder(shownPath(dir));
  const files = readdirSync(dir).filter((f) => f.endsWith(RULESET_EXT) && !f.startsWith('.')).sort();
  const entries = files.map((f) => readEntry(join(dir, f)));
  const seen = new Map<string, string>();
  for (const e of entries) {
    const expected = `${e.doc.key}${RULESET_EXT}`;
    if (!e.file.endsWith(`/${expected}`)) throw rulesetErrors.fileInvalid(shownPath(e.file), 'key', `expected the file to be named ${expected} after its key ${JSON.stringify(e.doc.key)}`);
    if (seen.has(e.doc.key)) throw rulesetErrors.fileInvalid(shownPath(e.file), 'key', `repeats the key of ${seen.get(e.doc.key)}`);
    seen.set(e.doc.key, shownPath(e.file));
  }
  if (entries.length === 0 && !options.allowEmpty) throw rulesetErrors.notFound(shownPath(dir));
  return entries;
}

/** One promoted-segment file, checked. */
export function readEntry(file: string): RulesetEntry {
  const bytes = readFileSync(file);
  const shown = shownPath(file);
  const yaml = parseDocument(bytes.toString('utf8'), { uniqueKeys: true });
  if (yaml.errors.length > 0) throw rulesetErrors.fileInvalid(shown, '', `not valid YAML (${yaml.errors[0].message.split('\n')[0]})`);
  if (!isMap(yaml.contents)) throw rulesetErrors.fileInvalid(shown, '(top level)', 'expected a mapping of fields');
  const raw: unknown = yaml.toJS();
  const result = promotedSchema.safeParse(raw);
  if (!result.success) throw invalid(shown, result.error.issues[0], raw);
  const doc = result.data;
  // A rule changed in the file without promote (a hand edit, a bad merge) would be applied and
  // exported under the old version's hash: refuse it wherever the folder is read.
  for (const v of [doc, ...doc.history]) {
    if (contentHash(v) !== v.content_hash) throw rulesetErrors.editedByHand(shown, v.content_hash, v === doc ? null : v.version);
  }
  // What reviewers read beside the rule (its text and labels, the version, metrics, distributions,
  // provenance) lies if edited: "≥ 100" in the text over a condition of ≥ 1 was applied and
  // exported under the false text (outside check).
  if (doc.record_hash !== undefined) {
    if (recordHash(doc) !== doc.record_hash) throw rulesetErrors.recordEditedByHand(shown, doc.record_hash);
    const problem = [doc, ...doc.history].map(wordingProblem).find((p) => p !== null);
    if (problem !== undefined) throw rulesetErrors.fileInvalid(shown, 'rule', `${problem}; reword a label only before its threshold`);
  }
  return { file, doc, readHash: sha256(bytes) };
}

/**
 * Hash of what only promote writes in a promoted segment, as read from its file: everything but
 * the fields people may edit by hand (name, owner, status, note, description) and the wording of
 * labels, which may be reworded as long as each condition's still states its threshold
 * (wordingProblem). The rule's text is covered: reviewers read it.
 */
export function recordHash(doc: PromotedSegment): string {
  const { name: _name, owner: _owner, status: _status, note: _note, description: _description, record_hash: _hash, history, ...rest } = doc;
  const unworded = (v: PromotedVersion) => ({
    ...v,
    rule: { text: v.rule.text, conditions: v.rule.conditions.map(({ label: _label, ...c }) => c) },
    features: Object.fromEntries(Object.entries(v.features).map(([name, { label: _label, ...f }]) => [name, f])),
  });
  return `sha256:${sha256(stableJson({ ...unworded(rest), history: history.map(unworded) }))}`;
}

/**
 * The first condition of a version whose label no longer ends with its own comparison and
 * threshold ("≥ 6"), however the words before it read; null when none.
 */
export function wordingProblem(v: PromotedVersion): string | null {
  for (const c of v.rule.conditions) {
    const value = valueText(c.value);
    const states = OP_SPELLINGS[c.op].some((op) => c.label.replace(/\s+/gu, ' ').endsWith(`${op} ${value}`));
    if (!states) return `the label ${JSON.stringify(c.label)} does not end with its condition's ${JSON.stringify(`${OP_SPELLINGS[c.op][0]} ${value}`)}`;
  }
  return null;
}

/** How a label may spell each comparison before its threshold. */
const OP_SPELLINGS: Readonly<Record<PromotedVersion['rule']['conditions'][number]['op'], readonly string[]>> = {
  '>=': ['≥', '>='],
  '<': ['<'],
  '=': ['=', '=='],
  '!=': ['≠', '!=', '<>'],
};

function invalid(file: string, issue: z.core.$ZodIssue, raw: unknown) {
  const path = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
  const value = issue.path.reduce<unknown>((v, p) => (v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[p] : undefined), raw);
  const got = value === undefined ? 'nothing (the field is missing)' : JSON.stringify(value)?.slice(0, 60) ?? String(value);
  const message = issue.code === 'custom' ? issue.message : `${issue.message.replace(/^Invalid input: /, '')}, got ${got}`;
  return rulesetErrors.fileInvalid(file, path || '(top level)', message);
}

const HEADER =
  '# segmint promoted segment. Written by `segmint rules promote`; review changes in pull requests.\n' +
  '# rule: the conditions a user must meet; features: how each is computed from raw events,\n' +
  '# over `window.days` days up to the as-of time E; metrics: measured on the run in created_from.\n';

/** The file's text: a header comment, then the document in a fixed field order. */
export function renderEntry(doc: PromotedSegment): string {
  const { record_hash: _, ...fields } = doc;
  // Hashed as reading the file will see it (the schema's output of the YAML), not as built here.
  const asRead = promotedSchema.parse(parseDocument(yamlText(fields)).toJS());
  return HEADER + yamlText({ ...fields, record_hash: recordHash(asRead) });
}

function yamlText(doc: object): string {
  const yaml = new Document(doc, { aliasDuplicateObjects: false });
  // Lists of plain numbers (distribution bins) on one line each: shorter files, quieter diffs.
  visit(yaml, {
    Seq(_, node) {
      if (node.items.length > 0 && node.items.every((i) => isScalar(i) && typeof i.value === 'number')) node.flow = true;
    },
  });
  return yaml.toString({ lineWidth: 0 });
}

/** A write planned against what was read: `readHash` null = the file must not exist yet. */
export interface PlannedWrite {
  readonly file: string;
  readonly content: string;
  readonly readHash: string | null;
}

/**
 * Writes the files, each atomically, after checking that none changed since it was read (all are
 * checked before any is written). A new file is created with link(), which fails if someone
 * created it meanwhile; a replaced one is checked again just before its rename.
 */
export function writeEntries(dir: string, writes: readonly PlannedWrite[]): void {
  mkdirSync(dir, { recursive: true });
  for (const w of writes) assertUnchanged(w);
  for (const w of writes) {
    const tmp = join(dir, `.${randomBytes(6).toString('hex')}.tmp`);
    try {
      writeFileSync(tmp, w.content);
      if (w.readHash === null) {
        try {
          linkSync(tmp, w.file);
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw rulesetErrors.conflict(shownPath(w.file), 'was created by someone else');
          throw e;
        }
        rmSync(tmp, { force: true });
      } else {
        assertUnchanged(w);
        renameSync(tmp, w.file);
      }
    } catch (e) {
      rmSync(tmp, { force: true });
      if (e instanceof Error && e.name === 'SegmintError') throw e;
      throw writeFailure(w.file, e);
    }
  }
}

function assertUnchanged(w: PlannedWrite): void {
  const exists = existsSync(w.file);
  if (w.readHash === null) {
    if (exists) throw rulesetErrors.conflict(shownPath(w.file), 'was created by someone else');
    return;
  }
  if (!exists) throw rulesetErrors.conflict(shownPath(w.file), 'was removed');
  if (sha256(readFileSync(w.file)) !== w.readHash) throw rulesetErrors.conflict(shownPath(w.file), 'was changed');
}

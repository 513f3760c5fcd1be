/**
 * `rules export --to flagd`: an OpenFeature flagd flag set. Each promoted segment is a boolean
 * flag (`in` / `out`) whose targeting holds the rule in JSON Logic, inline, using only operators
 * flagd evaluates (`and`, `!`, `>=`, `<`, `===`, `!==`, `var`, `if`). The evaluation context is
 * one user's record: feature name → value (null or absent when missing), as the rule's features
 * are defined in the ruleset. A category written as a number (a coded column: channel 1–3) is
 * matched as that number or its text, since an app passes the column as its database has it; the
 * flag's `metadata.context` says which values the rule reads and of what type.
 *
 * Not through `$evaluators` and `$ref`: flagd expands a `$ref` by replacing text in the file
 * (`String.replaceAll` in flagd-core, a regex replacement in the Java provider), where `$$`, `$&`,
 * `` $` `` and `$'` in the replacement are patterns — a value holding them from the data would
 * change the rule, or make the whole flag set unreadable. Inline logic is plain JSON.
 */
import { toJsonLogic } from '../../stages/rules/json-logic.js';
import type { Condition } from '../../stages/rules/types.js';
import type { PromotedSegment } from '../schema.js';

/**
 * The rule in JSON Logic for flagd: the run's rules.json logic, whose null guard
 * (`{"!": [{"===": [var, null]}]}`) flagd's engine reads like every other (it reads `0 != null`
 * as false, so a `!=` guard would drop users whose value is 0). A category value that is the
 * plain spelling of a number (`"2"`, not `"02"`) is compared with `in` over both forms, so the
 * context may hold `2` or `"2"`; every other value with strict equality, as in rules.json.
 *
 * @example
 * flagdLogic([{ feature: 'attr_channel', op: '=', value: '2', label: "channel = '2'" }]);
 * // { and: [{ in: [{ var: 'attr_channel' }, ['2', 2]] }] }
 */
export function flagdLogic(conditions: readonly Condition[]): unknown {
  if (conditions.length === 0) return true;
  return { and: conditions.flatMap(conditionLogic) };
}

function conditionLogic(c: Condition): readonly unknown[] {
  const code = c.op === '=' || c.op === '!=' ? numberSpelled(c.value) : null;
  // toJsonLogic of one condition is always `{and: [...]}`: its guard and its comparison.
  if (code === null) return (toJsonLogic([c]) as { readonly and: readonly unknown[] }).and;
  const v = { var: c.feature };
  const either = { in: [v, [c.value, code]] };
  return c.op === '=' ? [either] : [{ '!': [{ '===': [v, null] }] }, { '!': [either] }];
}

/** The number a category value spells exactly (`"2"` → 2, `"1.5"` → 1.5), else null. */
function numberSpelled(value: string | boolean): number | null {
  if (typeof value !== 'string' || value.trim() === '') return null;
  const n = Number(value);
  return Number.isFinite(n) && String(n) === value ? n : null;
}

/** What the rule reads from the evaluation context, and of what type, in one line. */
function contextNote(conditions: readonly Condition[]): string {
  const seen = new Map<string, string>();
  for (const c of conditions) {
    if (seen.has(c.feature)) continue;
    const code = c.op === '=' || c.op === '!=' ? numberSpelled(c.value) : null;
    seen.set(
      c.feature,
      c.op === '>=' || c.op === '<'
        ? 'a number'
        : typeof c.value === 'boolean'
          ? 'true or false'
          : code !== null
            ? `a code, as a number or its text (${code} or ${JSON.stringify(c.value)})`
            : 'text, exactly as in the data',
    );
  }
  const parts = [...seen].map(([feature, type]) => `${feature}: ${type}`);
  return parts.length === 0 ? 'nothing (the rule selects everyone)' : `${parts.join('; ')}; a missing value: null or left out`;
}

export function flagdFlagSet(docs: readonly PromotedSegment[]): string {
  const flags: Record<string, unknown> = {};
  for (const doc of docs) {
    flags[doc.key] = {
      state: doc.status === 'active' ? 'ENABLED' : 'DISABLED',
      variants: { in: true, out: false },
      defaultVariant: 'out',
      targeting: { if: [flagdLogic(doc.rule.conditions), 'in', 'out'] },
      metadata: { name: doc.name, context: contextNote(doc.rule.conditions), version: doc.version, contentHash: doc.content_hash, runId: doc.created_from.run_id, ...(doc.owner ? { owner: doc.owner } : {}) },
    };
  }
  return JSON.stringify({ $schema: 'https://flagd.dev/schema/v0/flags.json', flags }, null, 2) + '\n';
}

/**
 * `rules export --to flagd`: an OpenFeature flagd flag set. Each promoted segment is a boolean
 * flag (`in` / `out`) whose targeting holds the rule in JSON Logic, inline, using only operators
 * flagd evaluates (`and`, `!`, `>=`, `<`, `===`, `!==`, `var`, `if`). The evaluation context is
 * one user's record: feature name → value (null or absent when missing), as the rule's features
 * are defined in the ruleset.
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
 * as false, so a `!=` guard would drop users whose value is 0).
 */
export function flagdLogic(conditions: readonly Condition[]): unknown {
  return toJsonLogic(conditions);
}

export function flagdFlagSet(docs: readonly PromotedSegment[]): string {
  const flags: Record<string, unknown> = {};
  for (const doc of docs) {
    flags[doc.key] = {
      state: doc.status === 'active' ? 'ENABLED' : 'DISABLED',
      variants: { in: true, out: false },
      defaultVariant: 'out',
      targeting: { if: [flagdLogic(doc.rule.conditions), 'in', 'out'] },
      metadata: { name: doc.name, version: doc.version, contentHash: doc.content_hash, runId: doc.created_from.run_id, ...(doc.owner ? { owner: doc.owner } : {}) },
    };
  }
  return JSON.stringify({ $schema: 'https://flagd.dev/schema/v0/flags.json', flags }, null, 2) + '\n';
}

/**
 * The rules stage: for each segment, a short readable rule over raw features, its metrics, its
 * SQL and JSON Logic forms, and proof (DuckDB) that the SQL selects what the metrics count.
 *
 *   1. prepare candidate conditions once (presorted features, human-rounded thresholds)
 *   2. per segment: beam search for the best conjunction (search.ts)
 *   3. per rule: wording, SQL, JSON Logic, metrics from an independent JS evaluation
 *   4. per rule: run the SQL in DuckDB and require the identical selection
 */
import { warnings } from '../../core/warnings.js';
import { noEventsRule } from './no-events.js';
import type { NamedSegmentation } from '../cluster/segmentation.js';
import type { ResolvedConfig } from '../../config/types.js';
import type { RunContext } from '../../core/context.js';
import type { Db } from '../../core/duckdb.js';
import type { FeatureTable } from '../features/types.js';
import { prepareCandidates } from './candidates.js';
import { evaluateRule } from './evaluate.js';
import { toJsonLogic } from './json-logic.js';
import { ruleMetrics } from './metrics.js';
import { candidateCondition, searchRule } from './search.js';
import { toSql } from './sql.js';
import { conditionText, ruleText } from './text.js';
import { DEFAULT_QUANTILES } from './thresholds.js';
import type { Condition, Rule, RuleSet } from './types.js';
import { compareSqlSelection } from './verify.js';

/** Rules at most this long, whatever the config says: longer ones stop being readable. */
export const MAX_CONDITIONS = 3;
/** Below this F1 a rule is a rough description of its segment, not a definition (W_RULE_WEAK). */
export const WEAK_F1 = 0.5;

/** Search knobs; the defaults are what a run uses. */
export interface SuggestRulesOptions {
  /** Rules kept per depth of the beam search (default 5). */
  readonly beamWidth?: number;
  /** F1 a further condition must add to be kept (default 0.01). */
  readonly minGain?: number;
  /** Quantile levels for numeric candidate thresholds (default DEFAULT_QUANTILES). */
  readonly quantiles?: readonly number[];
  /** Most frequent categories per categorical feature that may appear in a rule (default 30). */
  readonly maxCategories?: number;
  /** Features never used in rules (default none). */
  readonly exclude?: readonly string[];
}


/**
 * Suggests one rule per segment (one segment vs the rest) and verifies each rule's SQL against
 * the `features` table in `db`. Throws (a bug, not a user error) if DuckDB and JavaScript ever
 * disagree about which users a rule selects.
 *
 * @example
 * const ruleSet = await suggestRules(db, features, withNames(segmentation, profiles.map((p) => p.name)), config.rules, ctx);
 * console.log(ruleSet.rules[0].text, ruleSet.rules[0].metrics.f1);
 */
export async function suggestRules(
  db: Db,
  features: FeatureTable,
  segmentation: NamedSegmentation,
  config: ResolvedConfig['rules'],
  ctx: RunContext,
  options: SuggestRulesOptions = {},
): Promise<RuleSet> {
  const { labels, names: segmentNames } = segmentation;
  const n = labels.length;

  // 1. Candidate conditions, shared by all segments.
  const set = prepareCandidates(features, {
    quantiles: options.quantiles ?? DEFAULT_QUANTILES,
    maxCategories: options.maxCategories ?? 30,
    exclude: new Set(options.exclude ?? []),
  });
  const search = {
    maxConditions: Math.max(1, Math.min(MAX_CONDITIONS, Math.floor(config.maxConditions))),
    beamWidth: options.beamWidth ?? 5,
    minGain: options.minGain ?? 0.01,
  };

  const rules: Rule[] = [];
  for (let segment = 0; segment < segmentNames.length; segment++) {
    const segmentName = segmentNames[segment];
    const id = `rule-${segment}`;

    // 2. The best conjunction for this segment.
    const inSegment = new Uint8Array(n);
    for (let i = 0; i < n; i++) inSegment[i] = labels[i] === segment ? 1 : 0;
    const found = searchRule(set, inSegment, search);

    // 3. Its forms, and metrics from the plain evaluator rather than the search's counts.
    const conditions: Condition[] = found.candidates.map((c) => {
      const cand = set.candidates[c];
      const label = conditionText(set.features[cand.prepared].feature.label, cand.op, cand.value);
      return candidateCondition(set, c, label);
    });
    const selection = evaluateRule(features, conditions);
    const metrics = ruleMetrics(selection, labels, segment);
    if (metrics.truePositives !== found.truePositives || metrics.selected !== found.selected) {
      throw new Error(`rules: ${id} (${JSON.stringify(segmentName)}): search counted ${found.truePositives}/${found.selected} but evaluation gives ${metrics.truePositives}/${metrics.selected}`);
    }
    const sql = toSql({ conditions }, features.table);

    // 4. The SQL must select exactly these users.
    const check = await compareSqlSelection(db, sql, features.userIds, selection);
    if (!check.identical) {
      throw new Error(`rules: ${id} (${JSON.stringify(segmentName)}): its SQL returned ${check.returned} rows but JavaScript selects ${check.expected} users (not the same users): ${sql}`);
    }

    rules.push({ id, segment, segmentName, conditions, text: ruleText(conditions), metrics, sql, jsonLogic: toJsonLogic(conditions), verified: true });
    if (metrics.f1 < WEAK_F1) ctx.warn(warnings.weakRule(segmentName, metrics.f1, WEAK_F1));
    ctx.log.info(`rule for ${JSON.stringify(segmentName)}: F1 ${metrics.f1.toFixed(2)} with ${conditions.length} condition(s)`);
  }
  const noEvents = await noEventsRule(db, features);
  return { kind: 'segmint.rules', version: 1, table: features.table, rules, ...(noEvents ? { noEvents } : {}) };
}


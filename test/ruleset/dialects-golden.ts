/**
 * Golden SQL per dialect (test/golden/sql/<dialect>/): the feature query and every segment's rule
 * of the bundled sample's golden run (test/golden/sample/segments.json and rules.json, which
 * test/golden.test.ts keeps current), and a small fixture of the meanings the sample lacks (value
 * features, the "other events" bucket, a quote in an event name) with a rule on a flag, a
 * category and an exponent threshold. One definition, rendered for every dialect: a change to a
 * rendering shows as a diff in review. `npm run golden` rewrites them; dialects.test.ts compares
 * and parses each in its dialect's grammar.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { FeatureMeaning } from '../../src/core/meaning.js';
import { labelOf } from '../../src/core/meaning.js';
import { WAREHOUSE_TABLES, defineFeature, featuresQuery, type NamedMeaning } from '../../src/ruleset/definitions.js';
import { SQL_DIALECTS, opsFor, type SqlDialect } from '../../src/ruleset/dialect.js';
import { LATEST_PLAUSIBLE, segmentSelect, type SegmentRule } from '../../src/ruleset/export/sql.js';
import type { Condition, RuleSet } from '../../src/stages/rules/types.js';

export const SQL_GOLDEN_DIR = resolve(import.meta.dirname, '../golden/sql');
const SAMPLE_DIR = resolve(import.meta.dirname, '../golden/sample');

/** The meanings the sample lacks, and a rule over a flag, a category and a tiny threshold. */
export const FIXTURE_MEANINGS: readonly NamedMeaning[] = [
  { name: 'revenue_sum', meaning: { kind: 'value', name: 'revenue', columns: ['qty', 'price'], aggregate: 'sum' } },
  { name: 'revenue_mean', meaning: { kind: 'value', name: 'revenue', columns: ['qty', 'price'], aggregate: 'mean' } },
  { name: 'price_max', meaning: { kind: 'value', name: 'price', columns: ['price'], aggregate: 'max' } },
  { name: 'count__other', meaning: { kind: 'eventCount', events: { type: 'other', except: ['login', "it's done"] } } },
  { name: 'share__other', meaning: { kind: 'eventShare', events: { type: 'other', except: ['login', "it's done"] } } },
  { name: "count__it's_done", meaning: { kind: 'eventCount', events: { type: 'event', event: "it's done" } } },
  { name: 'attr_email_opt_in', meaning: { kind: 'attribute', source: 'users', column: 'email_opt_in', type: 'boolean' } },
  { name: 'attr_account_plan', meaning: { kind: 'attribute', source: 'accounts', column: 'plan', type: 'category' } },
  { name: 'peak_day_share', meaning: { kind: 'peakDayShare' } },
];
const FIXTURE_RULE: readonly Condition[] = [
  { feature: 'attr_email_opt_in', op: '=', value: true, label: 'opted in' },
  { feature: 'attr_account_plan', op: '!=', value: "pro's", label: "plan is not pro's" },
  { feature: 'revenue_mean', op: '>=', value: 1.234567890123456e-7, label: 'mean revenue ≥ 1.2e-7' },
];

/** The sample run's window: its end E and length, as its golden report states them. */
function sampleWindow(report: string): { asOf: string; days: number } {
  const m = /^\| Window \| \S+ → (\d{4}-\d\d-\d\d)T(\d\d:\d\d:\d\d)Z \((\d+) days\) \|$/m.exec(report);
  if (!m) throw new Error('test/golden/sample/report.md has no "| Window |" row');
  return { asOf: `${m[1]} ${m[2]}.000000`, days: Number(m[3]) };
}

const comment = (text: string) => `-- ${text}`;

function ruleFile(title: string, conditions: readonly Condition[], text: string, meanings: ReadonlyMap<string, FeatureMeaning>, days: number, dialect: SqlDialect): string {
  const features: SegmentRule['features'] = Object.fromEntries(
    [...new Set(conditions.map((c) => c.feature))].map((name) => {
      const meaning = meanings.get(name);
      if (!meaning) throw new Error(`${title}: no meaning for feature ${name}`);
      return [name, { label: labelOf(meaning), definition: defineFeature(meaning, days), meaning, distribution: null }];
    }),
  );
  const rule: SegmentRule = { rule: { text, conditions }, features, window: { days } };
  return [
    comment(`${title}: ${text}`),
    comment(`${dialect}; E = ${LATEST_PLAUSIBLE}; window ${days} days ending at E`),
    ...Object.entries(features).map(([name, f]) => comment(`${name}: ${f.definition}`)),
    `${segmentSelect(rule, dialect, null, {})};`,
  ].join('\n') + '\n';
}

function featuresFile(title: string, named: readonly NamedMeaning[], days: number, asOf: string, dialect: SqlDialect): string {
  const sql = featuresQuery(named, { ops: opsFor(dialect), tables: WAREHOUSE_TABLES, windowDays: days, asOf });
  return [comment(`${title}; ${dialect}; E = ${asOf} UTC; window ${days} days ending at E`), `${sql};`].join('\n') + '\n';
}

/** Every golden SQL file, by its path under test/golden/sql, in a fixed order. */
export function sqlGoldens(): Map<string, string> {
  const segments = JSON.parse(readFileSync(resolve(SAMPLE_DIR, 'segments.json'), 'utf8')) as { model: { meanings: Record<string, FeatureMeaning> } };
  const rules = JSON.parse(readFileSync(resolve(SAMPLE_DIR, 'rules.json'), 'utf8')) as RuleSet;
  const { asOf, days } = sampleWindow(readFileSync(resolve(SAMPLE_DIR, 'report.md'), 'utf8'));
  const sample: NamedMeaning[] = Object.entries(segments.model.meanings).map(([name, meaning]) => ({ name, meaning }));
  const sampleMeanings = new Map(sample.map((f) => [f.name, f.meaning]));
  const fixtureMeanings = new Map(FIXTURE_MEANINGS.map((f) => [f.name, f.meaning]));

  const files = new Map<string, string>();
  for (const dialect of SQL_DIALECTS) {
    files.set(`${dialect}/features.sql`, featuresFile('every feature of the sample run', sample, days, asOf, dialect));
    for (const r of rules.rules) {
      files.set(`${dialect}/segment-${r.segment}.sql`, ruleFile(`segment ${r.segment} (${r.segmentName})`, r.conditions, r.text, sampleMeanings, days, dialect));
    }
    files.set(`${dialect}/fixture-features.sql`, featuresFile('fixture: value features, the other-events bucket, a quote, peak days', FIXTURE_MEANINGS, 30, '2026-03-31 12:00:00.000000', dialect));
    files.set(`${dialect}/fixture-rule.sql`, ruleFile('fixture rule', FIXTURE_RULE, FIXTURE_RULE.map((c) => c.label).join(' AND '), fixtureMeanings, 30, dialect));
  }
  return files;
}

/** The meanings the goldens render (for checking every kind appears). */
export function goldenMeanings(): FeatureMeaning[] {
  const segments = JSON.parse(readFileSync(resolve(SAMPLE_DIR, 'segments.json'), 'utf8')) as { model: { meanings: Record<string, FeatureMeaning> } };
  return [...Object.values(segments.model.meanings), ...FIXTURE_MEANINGS.map((f) => f.meaning)];
}

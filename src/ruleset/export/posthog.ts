/**
 * `rules export --to posthog`: a cohort definition per promoted segment. PostHog evaluates person
 * properties only, so a rule over users-table attributes becomes a dynamic cohort (person
 * property filters: AND inside a top-level OR); a rule that needs behavioural features (event
 * counts, recency, sessions …) or accounts columns cannot be evaluated there, and becomes a static
 * cohort whose members come from `rules apply`'s memberships.csv (`<key>.static.csv`, one
 * `distinct_id` per line) when --memberships is given.
 */
import Papa from 'papaparse';
import type { Condition } from '../../stages/rules/types.js';
import type { PromotedSegment } from '../schema.js';

const OPERATOR: Readonly<Record<Condition['op'], string>> = { '>=': 'gte', '<': 'lt', '=': 'exact', '!=': 'is_not' };

export interface PosthogCohort {
  readonly key: string;
  /** dynamic: person-property filters; static: a member list to upload. */
  readonly kind: 'dynamic' | 'static';
  readonly json: string;
}

export function posthogCohort(doc: PromotedSegment): PosthogCohort {
  const person = doc.rule.conditions.every((c) => {
    const m = doc.features[c.feature].meaning;
    return m.kind === 'attribute' && m.source === 'users';
  });
  const filters = person
    ? {
        properties: {
          type: 'OR',
          values: [
            {
              type: 'AND',
              values: doc.rule.conditions.flatMap((c) => {
                const m = doc.features[c.feature].meaning;
                const key = m.kind === 'attribute' ? m.column : c.feature;
                const filter = { key, type: 'person', operator: OPERATOR[c.op], value: c.value };
                // PostHog's is_not also matches persons without the property (posthog#21576),
                // where segmint, the SQL and flagd select only users who have a value.
                return c.op === '!=' ? [{ key, type: 'person', operator: 'is_set', value: 'is_set' }, filter] : [filter];
              }),
            },
          ],
        },
      }
    : null;
  const cohort = {
    name: doc.name,
    description: `segmint ${doc.key} v${doc.version} (${doc.content_hash}): ${doc.rule.text}`,
    is_static: !person,
    ...(filters ? { filters } : {}),
  };
  return { key: doc.key, kind: person ? 'dynamic' : 'static', json: JSON.stringify(cohort, null, 2) + '\n' };
}

/**
 * A static cohort's member list as PostHog's cohort upload reads it: a `distinct_id` column, each
 * id exactly as the data has it. Not formula-escaped like the CSVs segmint writes for people to
 * open: PostHog keeps a leading `'`, so `'+14155550123` would match no person. The file is for the
 * upload, not for a spreadsheet.
 *
 * @example
 * posthogMembersCsv(['u1', '+14155550123']); // 'distinct_id\nu1\n+14155550123\n'
 */
export function posthogMembersCsv(ids: readonly string[]): string {
  return Papa.unparse({ fields: ['distinct_id'], data: ids.map((id) => [id]) }, { newline: '\n' }) + '\n';
}

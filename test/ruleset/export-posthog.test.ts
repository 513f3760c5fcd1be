/**
 * A dynamic cohort's filters select whom the rule selects: a `≠` condition also requires the
 * property to be set, since PostHog's is_not matches persons without it.
 *
 * The static cohort's member list is uploaded to PostHog, which matches its `distinct_id`s as they
 * are: every id must read back exactly, spreadsheet-formula look-alikes included (a leading `'`
 * escape would make `+14155550123` match no person).
 */
import fc from 'fast-check';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { posthogCohort, posthogMembersCsv } from '../../src/ruleset/export/posthog.js';
import { attribute, promotedDoc } from './docs.js';

const read = (csv: string) => Papa.parse<Record<string, string>>(csv, { header: true, delimiter: ',', skipEmptyLines: true }).data.map((r) => r.distinct_id);

describe('posthogMembersCsv', () => {
  it('writes every id so that a CSV reader gets it back exactly', () => {
    const id = fc.string({ unit: fc.constantFrom('+', '=', '-', '@', "'", '"', ',', '\n', '\t', ' ', 'u', '1'), minLength: 1, maxLength: 12 });
    fc.assert(
      fc.property(fc.array(id, { maxLength: 20 }), (ids) => {
        expect(read(posthogMembersCsv(ids))).toEqual(ids);
      }),
      { numRuns: 500 },
    );
  });

  it('keeps formula-like ids as they are (no leading quote)', () => {
    const csv = posthogMembersCsv(['+14155550123', '=u2', "'u3"]);
    expect(csv).toBe("distinct_id\n+14155550123\n=u2\n'u3\n");
  });
});

describe('posthogCohort', () => {
  it('requires a property to be set where the rule says it is not a value', () => {
    const features = { attr_plan: attribute('plan', 'category'), attr_country: attribute('country', 'category') };
    const doc = promotedDoc('not-free-aaaaaa', [
      { feature: 'attr_plan', op: '!=', value: 'free', label: "plan ≠ 'free'" },
      { feature: 'attr_country', op: '=', value: 'US', label: "country = 'US'" },
    ], features);
    const cohort = JSON.parse(posthogCohort(doc).json);
    expect(cohort.filters.properties.values[0].values).toEqual([
      { key: 'plan', type: 'person', operator: 'is_set', value: 'is_set' },
      { key: 'plan', type: 'person', operator: 'is_not', value: 'free' },
      { key: 'country', type: 'person', operator: 'exact', value: 'US' },
    ]);
  });
});

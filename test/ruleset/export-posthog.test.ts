/**
 * The static cohort's member list is uploaded to PostHog, which matches its `distinct_id`s as they
 * are: every id must read back exactly, spreadsheet-formula look-alikes included (a leading `'`
 * escape would make `+14155550123` match no person).
 */
import fc from 'fast-check';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { posthogMembersCsv } from '../../src/ruleset/export/posthog.js';

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

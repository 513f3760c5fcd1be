import { describe, expect, it } from 'vitest';
import { prepareCandidates } from '../../../src/stages/rules/candidates.js';
import { DEFAULT_QUANTILES } from '../../../src/stages/rules/thresholds.js';
import { makeFeatureTable } from '../../helpers/feature-table.js';

describe('features a promotable rule may test', () => {
  it('never offers the "other events" bucket (it depends on the run\'s top list), but offers named events', () => {
    const values = [0, 1, 2, 3, 4, 5, 6, 7];
    const table = makeFeatureTable([
      { name: 'share__other', kind: 'numeric', values: values.map((v) => v / 10), meaning: { kind: 'eventShare', events: { type: 'other', except: ['a'] } } },
      { name: 'share__a', kind: 'numeric', values: values.map((v) => 1 - v / 10), meaning: { kind: 'eventShare', events: { type: 'event', event: 'a' } } },
    ]);
    const set = prepareCandidates(table, { quantiles: DEFAULT_QUANTILES, maxCategories: 30, exclude: new Set() });
    expect(set.features.map((f) => f.feature.name)).toEqual(['share__a']);
  });
});

import { segmentationOf } from '../../../src/stages/cluster/segmentation.js';
import { describe, expect, it } from 'vitest';
import { profileSegments } from '../../../src/stages/profile/index.js';
import { cat, num, table } from '../transform/feature-table.js';

const labels = Int32Array.from([0, 0, 0, 1, 1, 1]);
const trait = (profiles: ReturnType<typeof profileSegments>, s: number, feature: string, category?: string) => {
  const t = profiles[s].traits.find((x) => x.feature === feature && x.category === category);
  if (t === undefined) throw new Error(`no trait ${feature} ${category ?? ''} in segment ${s}`);
  return t;
};

describe('profileSegments: exact numbers on a hand-computable table', () => {
  const t = table([
    num('x', [1, 2, 3, 5, 6, 7]),
    num('flat_inside', [1, 1, 1, 3, 3, 3]),
    num('same', [5, 5, 5, 5, 5, 5]),
    cat('plan', ['a', 'a', 'b', 'b', 'b', 'b']),
  ]);
  const p = profileSegments(t, segmentationOf(t, labels, 2), { traits: 10 });

  it('sizes and shares', () => {
    expect(p.map((s) => [s.id, s.size, s.share])).toEqual([
      [0, 3, 0.5],
      [1, 3, 0.5],
    ]);
  });

  it('numeric: means, medians, SMD vs the rest (pooled SD), lift vs the population mean', () => {
    // Segment 0: mean 2, rest mean 6, both sample SDs 1 => d = -4. Population mean 4.
    expect(trait(p, 0, 'x')).toMatchObject({
      kind: 'numeric', segmentValue: 2, populationValue: 4, segmentMedian: 2, populationMedian: 4, effect: -4, lift: 0.5, strength: 4, direction: 'under',
    });
    expect(trait(p, 1, 'x')).toMatchObject({ effect: 4, lift: 1.5, direction: 'over' });
  });

  it('guards a pooled SD of 0 with the population SD, and never lists a feature nobody differs on', () => {
    // Both halves constant: pooled SD 0 => population SD sqrt(6/5).
    expect(trait(p, 0, 'flat_inside').effect).toBeCloseTo(-2 / Math.sqrt(6 / 5), 12);
    // 'same' is one value for every user: it cannot describe a segment.
    for (const s of p) expect(s.traits.map((t) => t.feature)).not.toContain('same');
  });

  it('categories: share vs population, smoothed log2 lift as effect, ratio as lift, SMD of holding it as strength', () => {
    const a = trait(p, 0, 'plan', 'a');
    expect(a).toMatchObject({ kind: 'category', category: 'a', segmentValue: 2 / 3, populationValue: 1 / 3, lift: 2, direction: 'over' });
    expect(a.effect).toBeCloseTo(Math.log2(2.5 / 4 / (2.5 / 7)), 12);
    // Holding "a": 2/3 in the segment, 0 in the rest; pooled SD sqrt((3·2/9) / 4).
    expect(a.strength).toBeCloseTo(2 / 3 / Math.sqrt(2 / 3 / 4), 12);
    expect(a.phrase).toBe('plan = a: 67% (vs 33%)');
  });

  it('orders traits by strength, ties by feature name', () => {
    const strengths = p[0].traits.map((t) => t.strength ?? 0);
    expect(strengths).toEqual([...strengths].sort((x, y) => y - x));
    expect(p[0].traits.map((t) => t.feature + (t.category ? `=${t.category}` : ''))).toEqual(['x', 'flat_inside', 'plan=a']);
  });

  it('ignores missing values in means and medians', () => {
    const single = table([num('v', [1, null, 3, 10, 20, null])]);
    const q = profileSegments(single, segmentationOf(single, labels, 2), { traits: 3 });
    expect(trait(q, 0, 'v')).toMatchObject({ segmentValue: 2, segmentMedian: 2, populationValue: 8.5, populationMedian: 6.5 });
  });
});

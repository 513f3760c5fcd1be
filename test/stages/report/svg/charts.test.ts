import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { barChart, divergingBound, divergingChart, divergingPad, meter } from '../../../../src/stages/report/svg/bars.js';
import { lineChart } from '../../../../src/stages/report/svg/lines.js';
import { segmentColour, segmentShape } from '../../../../src/stages/report/svg/palette.js';
import { extent, linear, ticks } from '../../../../src/stages/report/svg/scales.js';
import { placeBadges, scatterChart } from '../../../../src/stages/report/svg/scatter.js';
import { fitText, num, textWidth } from '../../../../src/stages/report/svg/svg.js';
import { tagProblems } from '../checks.js';

describe('svg primitives', () => {
  it('formats coordinates at fixed precision without "-0"', () => {
    expect(num(12.504)).toBe('12.5');
    expect(num(3)).toBe('3');
    expect(num(-0.001)).toBe('0');
    expect(num(NaN)).toBe('0');
  });

  it('shortens by characters, never splitting one in two UTF-16 units', () => {
    expect(fitText('\u{1F600}\u{1F600}\u{1F600}', 24, 12)).toBe('\u{1F600}\u2026');
    expect(fitText('abcdef', textWidth('abc\u2026', 12), 12)).toBe('abc\u2026');
  });

  it('makes round ticks and scales', () => {
    expect(ticks(-2.5, 2.5, 5)).toEqual([-2, -1, 0, 1, 2]);
    expect(ticks(0, 1, 4)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(ticks(0.254, 0.356, 4)).toEqual([0.26, 0.28, 0.3, 0.32, 0.34]);
    expect(linear([0, 10], [0, 100])(5)).toBe(50);
    expect(linear([3, 3], [0, 100])(3)).toBe(50);
    expect(extent([1, NaN, 3])).toEqual([1, 3]);
    expect(extent([])).toEqual([0, 1]);
  });

  it('gives segments colour-blind-safe colours, then shapes once colours repeat', () => {
    expect(segmentColour(0)).toBe('#0072B2');
    expect(segmentColour(8)).toBe(segmentColour(0));
    expect(segmentShape(0)).toBe('circle');
    expect(segmentShape(8)).toBe('square');
  });
});

describe('scatterChart', () => {
  const names = new Map<number, string>();
  const opts = { width: 400, height: 300, xLabel: 'PC1', yLabel: 'PC2', names };

  it('draws one path and one badge per segment, in id order, skipping non-finite points', () => {
    const svg = scatterChart([[0, 0, 2], [1, 1, 0], [NaN, 1, 1], [2, 0, 0]], opts);
    expect(svg.match(/<path /g)).toHaveLength(2);
    expect(svg.indexOf(`fill="${segmentColour(0)}"`)).toBeLessThan(svg.indexOf(`fill="${segmentColour(2)}"`));
    expect(svg).toContain('aria-label="Map of 3 users by segment (PC1 against PC2)"');
  });

  it('handles no points and a single point', () => {
    expect(tagProblems(scatterChart([], opts))).toEqual([]);
    expect(tagProblems(scatterChart([[1, 1, 0]], opts))).toEqual([]);
  });

  it('is well formed and independent of the order of segment blocks (property)', () => {
    const point = fc.tuple(fc.double({ min: -50, max: 50, noNaN: true }), fc.double({ min: -50, max: 50, noNaN: true }), fc.integer({ min: 0, max: 11 }));
    fc.assert(
      fc.property(fc.array(point, { maxLength: 60 }), (pts) => {
        const svg = scatterChart(pts, opts);
        expect(tagProblems(svg)).toEqual([]);
        expect(svg).not.toContain('NaN');
        expect(svg.match(/<path /g) ?? []).toHaveLength(new Set(pts.map((p) => p[2])).size);
        // Same points per segment, segment blocks in opposite orders (sort is stable within a segment).
        const ascending = [...pts].sort((a, b) => a[2] - b[2]);
        const descending = [...pts].sort((a, b) => b[2] - a[2]);
        expect(scatterChart(descending, opts)).toBe(scatterChart(ascending, opts));
      }),
      { numRuns: 50 },
    );
  });
});

describe('bar charts', () => {
  it('puts negative effects left of zero and positive right, clamped to the bound', () => {
    const svg = divergingChart(
      [{ label: 'a', value: 5, display: '+5.00', detail: '' }, { label: 'b', value: -1, display: '−1.00', detail: '' }],
      { width: 520, bound: 2, label: 'effects' },
    );
    const rects = [...svg.matchAll(/<rect x="([\d.]+)" y="[\d.]+" width="([\d.]+)"/g)].map((m) => [Number(m[1]), Number(m[2])]);
    // zero at the middle of [200 + 44, 520 − 44] = 360; the bound (2) maps to 476.
    expect(rects[0]).toEqual([360, 116]);
    expect(rects[1]).toEqual([302, 58]);
    expect(tagProblems(svg)).toEqual([]);
  });

  it('rounds the shared bound up to a half, at least 1', () => {
    expect(divergingBound([0.2, -0.4])).toBe(1);
    expect(divergingBound([2.31, -0.9])).toBe(2.5);
    expect(divergingBound([NaN])).toBe(1);
    // One extreme effect must not shrink every other bar: the axis stops at DIVERGING_CAP.
    expect(divergingBound([15.7, -0.9])).toBe(4);
  });

  it('draws bars and meters that stay within range', () => {
    const svg = barChart([{ label: 'x', value: 0.5, display: '50%', colour: '#000' }], { width: 400, max: 1, label: 'l' });
    expect(tagProblems(svg)).toEqual([]);
    expect(meter(1.7, 'm', '#000', 100)).toContain('width="100" height="10" rx="5" fill="#000"');
    expect(meter(NaN, 'm', '#000', 100)).toContain('width="0" height="10" rx="5" fill="#000"');
  });
});

describe('lineChart', () => {
  const base = { width: 260, height: 130, label: 'silhouette', highlight: 3, colour: '#0072B2', format: (v: number) => v.toFixed(2) };

  it('breaks the line at missing values and marks the highlighted x', () => {
    const svg = lineChart(
      [{ x: 2, y: 0.3, muted: false }, { x: 3, y: 0.35, muted: false }, { x: 4, y: null, muted: false }, { x: 5, y: 0.2, muted: true }, { x: 6, y: 0.1, muted: true }],
      base,
    );
    const d = /<path d="([^"]+)"/.exec(svg)![1];
    expect(d.match(/M/g)).toHaveLength(2);
    expect(svg.match(/<circle /g)).toHaveLength(4);
    expect(svg).toContain('class="tick tick-strong">3</text>');
    expect(svg.match(/fill="#ffffff"/g)).toHaveLength(2);
  });

  it('draws nothing broken when every value is missing', () => {
    const svg = lineChart([{ x: 2, y: null, muted: false }], base);
    expect(svg).not.toContain('<path');
    expect(tagProblems(svg)).toEqual([]);
  });
});

describe('scales on spans doubles cannot resolve', () => {
  it('gives an axis around nearly equal values instead of looping forever', () => {
    // Found by the scatter property test: two points 1e-15 apart made ticks() grow an array
    // until V8 aborted the whole test process.
    const [lo, hi] = extent([1, 1 + 1e-15]);
    expect(lo).toBe(0);
    expect(hi).toBeCloseTo(2, 12);
    const t = ticks(1, 1 + 1e-15, 6);
    expect(t.length).toBeLessThanOrEqual(60);
    expect(t.length).toBeGreaterThan(0);
  });
});

describe('labels that fit (the defects the browser test found)', () => {
  it('measures text generously and shortens it to a width', () => {
    // DejaVu Sans, 11 px: seven digits at 0.636 em, a comma and a point at 0.318 em.
    expect(textWidth('109,068.0', 11)).toBeCloseTo(((7 * 636 + 2 * 318) / 1000) * 11, 6);
    expect(textWidth('ab', 12, true)).toBeGreaterThan(textWidth('ab', 12));
    expect(fitText('short', 100, 12)).toBe('short');
    const fitted = fitText('Multi-feature settings changers', 120, 12);
    expect(fitted.endsWith('\u2026')).toBe(true);
    expect(textWidth(fitted, 12)).toBeLessThanOrEqual(120);
    expect('Multi-feature settings changers'.startsWith(fitted.slice(0, -1))).toBe(true);
  });

  it('gives the y labels of a line chart the room they need', () => {
    const svg = lineChart([{ x: 2, y: 109_068 }, { x: 3, y: 54_195.8 }].map((p) => ({ ...p, muted: false })),
      { width: 300, height: 140, label: 'inertia', highlight: 3, colour: '#000', format: (v) => v.toLocaleString('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 }) });
    const tick = /<text x="([\d.]+)" y="[\d.]+" text-anchor="end" class="tick">109,068.0<\/text>/.exec(svg);
    expect(tick).not.toBeNull();
    expect(Number(tick![1]) - textWidth('109,068.0', 11)).toBeGreaterThanOrEqual(0);
  });

  /** Fails when the reference label "2.0%" covers any point of the chart. */
  const expectReferenceLabelClear = (svg: string) => {
    const m = /<text x="([\d.]+)" y="([\d.]+)" text-anchor="(start|middle|end)" class="ref">2.0%<\/text>$/.exec(svg.replace('</svg>', ''));
    expect(m).not.toBeNull();
    const [x, y, anchor] = [Number(m![1]), Number(m![2]), m![3]];
    const w = textWidth('2.0%', 11);
    const x0 = anchor === 'start' ? x : anchor === 'end' ? x - w : x - w / 2;
    const circles = [...svg.matchAll(/<circle cx="([\d.]+)" cy="([\d.]+)" r="([\d.]+)"/g)].map((c) => c.slice(1).map(Number));
    for (const [cx, cy, r] of circles) {
      const clear = cx + r < x0 || cx - r > x0 + w || cy + r < y - 11 || cy - r > y + 3;
      expect(clear, `point at ${cx},${cy}`).toBe(true);
    }
  };
  const minShareChart = (ys: number[]) =>
    lineChart(ys.map((y, i) => ({ x: i + 2, y, muted: false })), { width: 300, height: 140, label: 'min share', highlight: 3, colour: '#000', format: (v) => `${(v * 100).toFixed(1)}%`, reference: 0.02 });

  it('puts the reference label where it covers no point', () => {
    // The last point sits right on the reference line, where the label used to go.
    expectReferenceLabelClear(minShareChart([0.4, 0.2, 0.09, 0.05, 0.02]));
  });

  it('moves the reference label a line further out when points crowd the line at every k', () => {
    // Nine k (as in a 2..10 sweep) sit on the line: no spot just above or below it is free.
    expectReferenceLabelClear(minShareChart([0.4, 0.02, 0.021, 0.019, 0.02, 0.0205, 0.0195, 0.02, 0.02]));
  });

  it('keeps badges of coinciding segments apart, inside the plot, the same every time', () => {
    const area = { left: 50, right: 600, top: 12, bottom: 390 };
    const centres = [{ x: 300, y: 200 }, { x: 301, y: 201 }, { x: 299, y: 202 }, { x: 300, y: 200 }, { x: 598, y: 388 }];
    const placed = placeBadges(centres, area);
    for (let i = 0; i < placed.length; i++) {
      expect(placed[i].x).toBeGreaterThanOrEqual(area.left + 11);
      expect(placed[i].x).toBeLessThanOrEqual(area.right - 11);
      expect(placed[i].y).toBeGreaterThanOrEqual(area.top + 11);
      expect(placed[i].y).toBeLessThanOrEqual(area.bottom - 11);
      for (let j = 0; j < i; j++) expect(Math.hypot(placed[i].x - placed[j].x, placed[i].y - placed[j].y)).toBeGreaterThanOrEqual(22);
    }
    expect(placed[0]).toEqual(centres[0]);
    expect(placeBadges(centres, area)).toEqual(placed);
    // Apart already: nothing moves, and no leader lines are drawn.
    expect(placeBadges([{ x: 100, y: 100 }, { x: 200, y: 200 }], area)).toEqual([{ x: 100, y: 100 }, { x: 200, y: 200 }]);
    const svg = scatterChart([[0, 0, 0], [0, 0, 1], [0.001, 0, 4], [5, 5, 2]], { width: 400, height: 300, xLabel: 'PC1', yLabel: 'PC2', names: new Map() });
    expect(svg.match(/<line [^>]*stroke="#1f2933"/g)).toHaveLength(2);
  });

  it('keeps the value of a bar past the axis inside the chart, with one pad for every card', () => {
    expect(divergingPad(['+0.42'])).toBe(44);
    const pad = divergingPad(['+14.88', '\u221210.33']);
    expect(pad).toBeGreaterThanOrEqual(Math.ceil(textWidth('\u221210.33', 12)) + 5);
    const svg = divergingChart([{ label: 'tenure', value: 14.88, display: '+14.88', detail: '' }], { width: 600, bound: 4, label: 'traits', valuePad: pad });
    const x = Number(/<text x="([\d.]+)" y="[\d.]+" text-anchor="start" class="bar-value"/.exec(svg)![1]);
    expect(x + textWidth('+14.88', 12)).toBeLessThanOrEqual(600);
    // The pad a caller passes wins over a smaller one of this chart's own, so cards share one scale.
    const small = divergingChart([{ label: 'a', value: 1, display: '+1.00', detail: '' }], { width: 600, bound: 4, label: 'traits', valuePad: pad });
    expect(small).toContain(`x="${num(600 - pad)}"`);
  });

  it('shortens long bar labels to their column and keeps the full text as a title on the label', () => {
    const name = '4 · Multi-feature settings changers who also export';
    const svg = barChart([{ label: name, value: 0.14, display: '700 · 14.0%', colour: '#000' }], { width: 460, max: 0.2, label: 'sizes' });
    const label = /<text x="0" y="22" class="bar-label"><title>([^<]*)<\/title>([^<]*)<\/text>/.exec(svg);
    expect(label).not.toBeNull();
    expect(label![1]).toBe(name);
    expect(label![2].endsWith('\u2026')).toBe(true);
    expect(textWidth(label![2], 12)).toBeLessThanOrEqual(190 - 8);
  });
});

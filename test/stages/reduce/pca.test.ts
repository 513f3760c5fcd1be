import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { PCA } from 'ml-pca';
import { fitPca, projectPca, loadPcaModel } from '../../../src/stages/reduce/index.js';
import { createMatrix, fromRows, toRows, type Matrix } from '../../../src/core/matrix.js';
import { createRng } from '../../../src/core/rng.js';
import { errors } from '../../../src/core/messages.js';
import { SegmintError } from '../../../src/core/errors.js';

const all = { components: null, variance: 1 } as const;

/** Correlated Gaussian data: rows × cols, column j scaled by (cols - j) so eigenvalues differ. */
function correlated(rows: number, cols: number, seed: number): Matrix {
  const rng = createRng(seed);
  const m = createMatrix(rows, cols);
  for (let i = 0; i < rows; i++) {
    const shared = rng.normal();
    for (let j = 0; j < cols; j++) m.data[i * cols + j] = (cols - j) * rng.normal() + (j % 2 ? shared : -shared) * 2 + j;
  }
  return m;
}

const dataset = fc
  .record({ rows: fc.integer({ min: 2, max: 40 }), cols: fc.integer({ min: 1, max: 7 }), seed: fc.nat() })
  .map(({ rows, cols, seed }) => correlated(rows, cols, seed));

describe('fitPca', () => {
  it('explains at most all the variance, all of it when every component is kept, in descending order', () => {
    fc.assert(
      fc.property(dataset, fc.option(fc.integer({ min: 1, max: 8 }), { nil: null }), (m, components) => {
        const { model } = fitPca(m, { components, variance: 0.8 });
        const r = model.explainedVarianceRatio;
        const sum = r.reduce((s, v) => s + v, 0);
        expect(sum).toBeLessThanOrEqual(1 + 1e-12);
        for (let i = 1; i < r.length; i++) expect(r[i]).toBeLessThanOrEqual(r[i - 1]);
        if (components === null && m.cols >= 2) expect(r.length).toBeGreaterThanOrEqual(2);
        const full = fitPca(m, all).model.explainedVarianceRatio;
        expect(full.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12);
      }),
      { numRuns: 100 },
    );
  });

  it('keeps the fewest components reaching the variance target, and never fewer than two', () => {
    const m = correlated(200, 6, 1);
    const full = fitPca(m, all).model.explainedVarianceRatio;
    const target = full[0] + full[1] + full[2] / 2;
    expect(fitPca(m, { components: null, variance: target }).model.components).toHaveLength(3);
    expect(fitPca(m, { components: null, variance: 0.01 }).model.components).toHaveLength(2);
    expect(fitPca(m, { components: 4, variance: 0.01 }).model.components).toHaveLength(4);
    expect(fitPca(m, { components: 40, variance: 0.01 }).model.components).toHaveLength(6);
  });

  it('agrees with ml-pca run on plain arrays, up to the sign of each component', () => {
    const m = correlated(150, 5, 7);
    const { model, projected } = fitPca(m, all);
    const ref = new PCA(toRows(m));
    const loadings = ref.getLoadings().to2DArray();
    const refScores = ref.predict(toRows(m)).to2DArray();
    const ratios = ref.getExplainedVariance();
    for (let c = 0; c < 5; c++) {
      expect(model.explainedVarianceRatio[c]).toBeCloseTo(ratios[c], 12);
      for (let j = 0; j < 5; j++) expect(Math.abs(Math.abs(model.components[c][j]) - Math.abs(loadings[c][j]))).toBeLessThan(1e-9);
      for (let i = 0; i < 150; i++) expect(Math.abs(Math.abs(projected.data[i * 5 + c]) - Math.abs(refScores[i][c]))).toBeLessThan(1e-9);
    }
  });

  it('projects a known 2-D case onto its diagonal axes', () => {
    // Points on the line y = x, spread along it, with a small perpendicular wobble.
    const m = fromRows([[-2, -2], [-1, -1], [0, 0], [1, 1], [2, 2], [0.1, -0.1], [-0.1, 0.1]]);
    const { model, projected } = fitPca(m, all);
    const h = Math.SQRT1_2;
    expect(model.mean).toEqual([0, 0]);
    expect(model.components[0][0]).toBeCloseTo(h, 12);
    expect(model.components[0][1]).toBeCloseTo(h, 12);
    expect(Math.abs(model.components[1][0])).toBeCloseTo(h, 12);
    expect(model.components[1][0] * model.components[1][1]).toBeCloseTo(-0.5, 12);
    expect(projected.data[0]).toBeCloseTo(-2 * Math.SQRT2, 12);
    expect(projected.data[8]).toBeCloseTo(2 * Math.SQRT2, 12);
    expect(Math.abs(projected.data[11])).toBeCloseTo(0.1 * Math.SQRT2, 12);
  });

  it('normalises signs so the largest loading of each component is positive', () => {
    fc.assert(
      fc.property(dataset, (m) => {
        for (const c of fitPca(m, all).model.components) {
          const at = c.reduce((b, v, j) => (Math.abs(v) > Math.abs(c[b]) ? j : b), 0);
          expect(c[at]).toBeGreaterThanOrEqual(0);
        }
      }),
      { numRuns: 50 },
    );
  });

  it('is deterministic and does not change its input', () => {
    const m = correlated(100, 4, 3);
    const before = Float64Array.from(m.data);
    const a = fitPca(m, all);
    const b = fitPca(m, all);
    expect(m.data).toEqual(before);
    expect(JSON.stringify(a.model)).toBe(JSON.stringify(b.model));
    expect(a.projected.data).toEqual(b.projected.data);
  });

  it('refuses non-finite input as a bug upstream', () => {
    expect(() => fitPca(fromRows([[1, 2], [3, Infinity]]), all)).toThrow('reduce: input value at row 1, column 1 is Infinity');
  });

  it('copes with identical rows and a single column', () => {
    const same = fromRows([[1, 2, 3], [1, 2, 3], [1, 2, 3]]);
    const { model, projected } = fitPca(same, { components: null, variance: 0.9 });
    expect(model.components).toHaveLength(2);
    expect(Array.from(projected.data)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(fitPca(fromRows([[1], [2], [4]]), { components: null, variance: 0.9 }).model.components).toEqual([[1]]);
  });
});

describe('projectPca and loadPcaModel', () => {
  it('scores new users like the fit scored the training users', () => {
    const m = correlated(80, 5, 9);
    const { model, projected } = fitPca(m, { components: 3, variance: 1 });
    expect(projectPca(model, m).data).toEqual(projected.data);
  });

  it('survives a JSON round trip', () => {
    const m = correlated(80, 5, 4);
    const { model } = fitPca(m, { components: 3, variance: 1 });
    const loaded = loadPcaModel(JSON.parse(JSON.stringify(model)));
    expect(loaded).toEqual(model);
    expect(projectPca(loaded, m).data).toEqual(projectPca(model, m).data);
  });

  it('rejects a model of another kind or version', () => {
    const { model } = fitPca(correlated(20, 3, 1), all);
    const bad: [unknown, string][] = [
      [null, 'not an object'],
      [{ ...model, kind: 'segmint.kmeans' }, 'kind is "segmint.kmeans"'],
      [{ ...model, version: 2 }, 'version 2 is not supported (expected 1)'],
      [{ ...model, components: [[1, 2]] }, 'components[0] has 2 loadings, mean has 3'],
      [{ ...model, mean: ['a', 1, 2] }, 'mean is not an array of finite numbers'],
    ];
    for (const [json, reason] of bad) {
      expect(() => loadPcaModel(json)).toThrow(SegmintError);
      expect(() => loadPcaModel(json)).toThrow(errors.invalidModel('segmint.pca', reason).message);
    }
  });
});

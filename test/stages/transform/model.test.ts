import { describe, expect, it } from 'vitest';
import { createContext } from '../../../src/core/context.js';
import { errors } from '../../../src/core/messages.js';
import { applyTransform, fitTransform, loadTransformModel } from '../../../src/stages/transform/index.js';
import { cat, num, table, transformConfig } from './feature-table.js';

const training = table([
  num('events', [1, 4, 9, 16, 25, null], { label: 'events' }),
  cat('plan', ['free', 'pro', 'free', 'team', null, 'pro']),
]);

describe('transform model', () => {
  const fitted = fitTransform(training, transformConfig({ scaling: 'robust', topCategories: 2 }), createContext(1));

  it('survives a JSON round trip and scores identically after it', () => {
    const loaded = loadTransformModel(JSON.parse(JSON.stringify(fitted.model)));
    expect(loaded).toEqual(fitted.model);
    expect(Array.from(applyTransform(loaded, training).data)).toEqual(Array.from(fitted.matrix.data));
  });

  it('rejects other kinds, versions and malformed steps', () => {
    const json = JSON.parse(JSON.stringify(fitted.model));
    expect(() => loadTransformModel({ ...json, kind: 'segmint.pca' })).toThrow(errors.invalidModel('segmint.transform', 'kind is "segmint.pca"').message);
    expect(() => loadTransformModel({ ...json, version: 2 })).toThrow(
      errors.invalidModel('segmint.transform', 'version 2 is not supported (expected 1)').message,
    );
    expect(() => loadTransformModel(null)).toThrow(/E?not a valid segmint.transform model/);
    expect(() => loadTransformModel({ ...json, steps: [{ ...json.steps[0], scale: 0 }] })).toThrow(/steps\[0\]\.scale must be positive/);
    expect(() => loadTransformModel({ ...json, steps: [{ ...json.steps[0], kind: 'pca' }] })).toThrow(/steps\[0\]\.kind is "pca"/);
    expect(() => loadTransformModel({ ...json, steps: [{ ...json.steps[0], center: 'x' }] })).toThrow(/steps\[0\]\.center is not a finite number/);
    try {
      loadTransformModel({ ...json, version: 2 });
    } catch (e) {
      expect(e).toMatchObject({ code: 'E_INVALID_MODEL', stage: 'transform' });
    }
  });

  it('scores new users: unseen and missing categories go to other, missing numbers to the fill', () => {
    const fresh = table([num('events', [null, 1000]), cat('plan', ['enterprise', 'free'])]);
    const m = applyTransform(fitted.model, fresh);
    const names = fitted.columnNames;
    const other = names.indexOf('plan=(other)');
    const free = names.indexOf('plan=free');
    const ev = fitted.model.steps[names.indexOf('events')];
    if (ev.kind !== 'numeric') throw new Error('expected numeric');
    expect(m.data[0 * m.cols + names.indexOf('events')]).toBe(((ev.fill - ev.center) / ev.scale) * ev.weight);
    // 1000 is far above anything seen in training: winsorised to the upper bound.
    expect(m.data[1 * m.cols + names.indexOf('events')]).toBe(((ev.upper - ev.center) / ev.scale) * ev.weight);
    expect(m.data[0 * m.cols + other]).toBeGreaterThan(0);
    expect(m.data[1 * m.cols + other]).toBeLessThan(0);
    expect(m.data[1 * m.cols + free]).toBeGreaterThan(0);
  });

  it('rejects a feature table that lacks a feature or holds it with another kind', () => {
    expect(() => applyTransform(fitted.model, table([num('events', [1])]))).toThrow(/no feature "plan"/);
    expect(() => applyTransform(fitted.model, table([cat('events', ['1']), cat('plan', ['free'])]))).toThrow(
      /feature "events" is categorical, the model expects numeric or boolean/,
    );
  });
});

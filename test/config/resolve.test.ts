import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadConfigFile, resolveConfig, WINDOW_END_EXPECTED } from '../../src/config/resolve.js';
import { errors } from '../../src/core/messages.js';

const origin = { file: 'job.yaml', baseDir: '/data/jobs', source: '/data/jobs/job.yaml' };

describe('resolveConfig', () => {
  it('fills every default from a minimal config and resolves paths against the file', () => {
    const c = resolveConfig({ inputs: { events: { path: 'events.csv' } } }, origin);
    expect(c.inputs.events!.paths).toEqual(['/data/jobs/events.csv']);
    expect(c.inputs.events!.columns).toEqual({ userId: null, event: null, timestamp: null, eventId: null });
    expect(c.inputs.users).toBeNull();
    expect(c.seed).toBe(42);
    expect(c.cluster.k).toBeNull();
    expect(c.cluster.kRange).toEqual([2, 10]);
    expect(c.window).toEqual({ days: 90, end: null });
    expect(c.output.dir).toBe('/data/jobs/reports');
    expect(c.transform.weights.attribute).toBe(0);
    expect(c.name).toBe('job');
  });

  it('lets command-line overrides win over the file', () => {
    const c = resolveConfig({ seed: 1, cluster: { k: 4 }, inputs: { events: { path: 'a.csv' } } }, origin, { seed: 7, k: 5, kRange: [3, 6], events: ['b.csv'] });
    expect(c.seed).toBe(7);
    expect(c.cluster.k).toBe(5);
    expect(c.cluster.kRange).toEqual([3, 6]);
    expect(c.inputs.events!.paths).toEqual([resolve('b.csv')]);
  });

  it('--k-range means automatic k in that range, clearing a k fixed in the file (QA)', () => {
    const c = resolveConfig({ cluster: { k: 4, k_range: [2, 10] }, inputs: { events: { path: 'a.csv' } } }, origin, { kRange: [2, 5] });
    expect(c.cluster.k).toBeNull();
    expect(c.cluster.kRange).toEqual([2, 5]);
    expect(resolveConfig({ cluster: { k: 4 }, inputs: { events: { path: 'a.csv' } } }, origin).cluster.k).toBe(4);
  });

  it('checks window.end with the parser --as-of uses, before any event is read (QA)', () => {
    const end = (value: unknown) => resolveConfig({ inputs: { events: { path: 'a.csv' } }, window: { end: value } }, origin).window.end;
    for (const bad of ['2026-02-30', 'Oct 3', '1', '2026-10-31T25:00:00Z', 20261031, 1761955200]) {
      expect(() => end(bad)).toThrow(errors.configInvalid('job.yaml', 'window.end', WINDOW_END_EXPECTED, bad).message);
    }
    expect(WINDOW_END_EXPECTED).toMatch(/ISO date or date-time.*or auto/);
    for (const good of ['2026-10-31', '2026-10-31T12:00:00Z', '2026-10-31 12:00', '2024-05-02T03:00:00+02:00']) expect(end(good)).toBe(good);
    expect(end('auto')).toBeNull();
  });

  it('cluster.k is at least 2, as --k and k_range are (QA)', () => {
    const k = (value: unknown) => resolveConfig({ inputs: { events: { path: 'a.csv' } }, cluster: { k: value } }, origin).cluster.k;
    expect(() => k(1)).toThrow(errors.configInvalid('job.yaml', 'cluster.k', 'a whole number between 2 and 1000', 1).message);
    expect(k(2)).toBe(2);
  });

  it('checks the file\'s values even where a flag overrides them (QA)', () => {
    const flags = { seed: 7, k: 3, kRange: [2, 5] as const, windowDays: 30, out: 'o', events: ['b.csv'], users: 'u.csv', preset: 'segment' as const };
    const cases: [Record<string, unknown>, string, string, unknown][] = [
      [{ seed: -1 }, 'seed', 'a whole number between 0 and 4294967295', -1],
      [{ cluster: { k: 0 } }, 'cluster.k', 'a whole number between 2 and 1000', 0],
      [{ cluster: { k_range: [9, 2] } }, 'cluster.k_range', 'a pair [low, high] of whole numbers between 2 and 50 with low <= high', [9, 2]],
      [{ window: { days: 0 } }, 'window.days', 'a whole number of days from 1 to 50000, or all (the whole log)', 0],
      [{ output: { dir: 5 } }, 'output.dir', 'a non-empty string', 5],
      [{ source: { preset: 'segmnt' } }, 'source.preset', 'one of segment, amplitude, mixpanel, posthog, ga4', 'segmnt'],
      [{ inputs: { events: { path: 5 } } }, 'inputs.events.path', 'a string or a list of strings', 5],
      [{ inputs: { events: { path: 'a.csv' }, users: { path: [''] } } }, 'inputs.users.path', 'a string or a list of strings', ['']],
    ];
    for (const [raw, path, expected, got] of cases) {
      const config = { inputs: { events: { path: 'a.csv' } }, ...raw };
      expect(() => resolveConfig(config, origin, flags), path).toThrow(errors.configInvalid('job.yaml', path, expected, got).message);
    }
  });

  it('names the path and the expectation for a wrong value', () => {
    expect(() => resolveConfig({ inputs: { events: { path: 'e.csv' } }, cluster: { k_range: [5, 2] } }, origin)).toThrow(
      errors.configInvalid('job.yaml', 'cluster.k_range', 'a pair [low, high] of whole numbers between 2 and 50 with low <= high', [5, 2]).message,
    );
    expect(() => resolveConfig({ inputs: { events: { path: 'e.csv' } }, transform: { scaling: 'zscore' } }, origin)).toThrow(
      errors.configInvalid('job.yaml', 'transform.scaling', 'one of robust, standard', 'zscore').message,
    );
  });

  it('shows at most the first 80 characters of a wrong value (QA: an events CSV given as --config echoed 858 KB)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'segmint-config-'));
    const file = join(dir, 'events.csv');
    writeFileSync(file, `user_id,event,timestamp\n${Array.from({ length: 5000 }, (_, i) => `u${i},view,2024-05-01T00:00:00Z`).join('\n')}\n`);
    const error = (() => {
      try {
        loadConfigFile(file);
      } catch (e) {
        return e as Error;
      }
      throw new Error('expected the call to throw');
    })();
    expect(error.message).toBe(`${file}: (top level) must be a mapping, got ${JSON.stringify(`user_id,event,timestamp u0,view,2024-05-01T00:00:00Z u1,view,2024-05-01T00:00:00Z u2,`.slice(0, 80))}`.replace(/"$/, '…"'));
    const long = ['a'.repeat(100)];
    expect(errors.configInvalid('job.yaml', 'x', 'y', long).message).toBe(`job.yaml: x must be y, got ${JSON.stringify(long).slice(0, 80)}…`);
    expect(errors.configInvalid('job.yaml', 'x', 'y', 'short').message).toBe('job.yaml: x must be y, got "short"');
    expect(errors.configInvalid('job.yaml', 'x', 'y', undefined).message).toBe('job.yaml: x must be y, got nothing');
  });

  it('rejects unknown keys, listing the allowed ones', () => {
    expect(() => resolveConfig({ inputs: { events: { path: 'e.csv' } }, clustr: {} }, origin)).toThrow(/unknown setting clustr/);
  });

  it('requires an events path', () => {
    expect(() => resolveConfig({}, origin)).toThrow(/inputs\.events\.path must be/);
  });

  it('accepts auto for k and components', () => {
    const c = resolveConfig({ inputs: { events: { path: 'e.csv' } }, cluster: { k: 'auto' }, reduce: { components: 'auto' } }, origin);
    expect(c.cluster.k).toBeNull();
    expect(c.reduce.components).toBeNull();
  });

  it('is deterministic and does not mutate its input', () => {
    const raw = { inputs: { events: { path: ['a.csv', 'b.csv'] } }, cluster: { k_range: [2, 5] } };
    const copy = structuredClone(raw);
    expect(resolveConfig(raw, origin)).toEqual(resolveConfig(raw, origin));
    expect(raw).toEqual(copy);
  });
});

describe('loadConfigFile', () => {
  it('reports a missing file and invalid YAML in one line', () => {
    expect(() => loadConfigFile('/nope/missing.yaml')).toThrow(errors.configNotFound('/nope/missing.yaml').message);
    const dir = mkdtempSync(join(tmpdir(), 'segmint-config-'));
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'inputs:\n  events: [unclosed\n');
    expect(() => loadConfigFile(bad)).toThrow(/is not valid YAML/);
  });

  it('resolves the bundled default job', () => {
    const c = loadConfigFile('pipeline/default.yaml');
    expect(c.name).toBe('default');
    expect(c.inputs.events!.paths[0]).toBe(resolve('data/sample/events.csv.gz'));
    expect(c.inputs.users?.accountKey).toBe('account_id');
    expect(c.output.dir).toBe(resolve('reports'));
  });
});

describe('ingestion settings', () => {
  it('reads a preset, a constant event name, event cases and value features', () => {
    const c = resolveConfig(
      {
        source: { preset: 'amplitude' },
        inputs: { events: { path: 'e', event_name: 'purchase', event_cases: [{ column: 'InvoiceNo', starts_with: 'C', event: 'cancellation' }] } },
        features: { values: [{ name: 'revenue', columns: ['Quantity', 'UnitPrice'] }] },
      },
      origin,
    );
    expect(c.inputs.events!.preset).toBe('amplitude');
    expect(c.inputs.events!.eventName).toBe('purchase');
    expect(c.inputs.events!.eventCases).toEqual([{ column: 'InvoiceNo', startsWith: 'C', equals: null, negative: false, event: 'cancellation' }]);
    expect(c.features.values).toEqual([{ name: 'revenue', columns: ['Quantity', 'UnitPrice'], aggregates: ['sum', 'mean'] }]);
  });

  it('rejects an unknown preset and an ambiguous event case', () => {
    expect(() => resolveConfig({ source: { preset: 'heap' }, inputs: { events: { path: 'e' } } }, origin)).toThrow(/source\.preset must be one of segment, amplitude/);
    expect(() => resolveConfig({ inputs: { events: { path: 'e', event_cases: [{ column: 'a', event: 'b' }] } } }, origin)).toThrow(/event_cases\[0\] must be exactly one of/);
  });

  it('allows an attribute-only run and then clusters on attributes', () => {
    const c = resolveConfig({ inputs: { users: { path: 'customers.csv', key: 'CustomerId' } } }, origin);
    expect(c.inputs.events).toBeNull();
    expect(c.inputs.users?.key).toBe('CustomerId');
    expect(c.transform.weights.attribute).toBe(1);
  });
});

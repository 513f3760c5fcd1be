/**
 * A config whose every family weight is 0 leaves nothing to segment on: resolution refuses it
 * (one line naming transform.weights), so validate and run stop before reading any input,
 * instead of run failing after the ingest with "all N users have identical features".
 */
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveConfig } from '../../src/config/resolve.js';
import { errors } from '../../src/core/messages.js';
import { runCli, tempDir } from '../helpers/cli.js';

const origin = { file: 'job.yaml', baseDir: '/data/jobs', source: '/data/jobs/job.yaml' };
const BEHAVIOUR = ['volume', 'sessions', 'recency', 'frequency', 'event_mix', 'breadth', 'time', 'trend', 'value'];
const zeros = Object.fromEntries(BEHAVIOUR.map((f) => [f, 0]));

describe('transform.weights all 0', () => {
  it('is refused, with attribute 0 or auto (auto is 0 until behaviour has been segmented)', () => {
    const users = { path: 'users.csv' };
    for (const attribute of [0, 'auto']) {
      const raw = { inputs: { events: { path: 'events.csv' }, users }, transform: { weights: { ...zeros, attribute } } };
      expect(() => resolveConfig(raw, origin)).toThrow(errors.configWeightsAllZero('job.yaml').message);
    }
  });

  it('one family above 0 is enough; an attribute-only run weighs attributes 1 by default', () => {
    expect(resolveConfig({ inputs: { events: { path: 'e.csv' } }, transform: { weights: { ...zeros, time: 0.5, attribute: 0 } } }, origin).transform.weights.time).toBe(0.5);
    expect(resolveConfig({ inputs: { users: { path: 'u.csv' } }, transform: { weights: zeros } }, origin).transform.weights.attribute).toBe(1);
  });

  it('validate and run stop with the same line, before reading the inputs', async () => {
    const dir = tempDir();
    const file = join(dir, 'job.yaml');
    writeFileSync(file, `inputs: { events: { path: missing.csv } }\ntransform:\n  weights: { ${BEHAVIOUR.map((f) => `${f}: 0`).join(', ')}, attribute: auto }\n`);
    for (const command of ['validate', 'run']) {
      const r = await runCli([command, '--config', file, '--quiet']);
      expect({ command, code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual({ command, code: 1, stdout: '', stderr: `${errors.configWeightsAllZero(file).oneLine()}\n` });
    }
  });

  it('an attribute-only run weighs attributes 1 under auto written out, and refuses 0', () => {
    const raw = (attribute: number | string) => ({ inputs: { users: { path: 'u.csv' } }, transform: { weights: { attribute } } });
    expect(resolveConfig(raw('auto'), origin).transform.weights.attribute).toBe(1);
    expect(resolveConfig(raw(2), origin).transform.weights.attribute).toBe(2);
    expect(() => resolveConfig(raw(0), origin)).toThrow(errors.configAttributeWeightZero('job.yaml').message);
  });
});

/**
 * `--outcome NAME` on the command line: the column is reported per segment and never clustered
 * on, exactly as `inputs.users.outcomes` in a config. yargs parsed the flag but it never reached
 * the run, so an outcome was clustered on and named segments ("Enterprise non-churned users").
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir, type CliResult } from '../helpers/cli.js';

/** 80 users in two behaviours; `churned` follows the user number, not the behaviour. */
function writeInputs(dir: string): { events: string; users: string } {
  const events = ['user_id,event,timestamp'];
  const users = ['user_id,plan,churned'];
  for (let u = 0; u < 80; u++) {
    for (let e = 0; e < 6 + (u % 4); e++) {
      const ts = new Date(Date.UTC(2026, 9, 1 + e * 3, 9 + (u % 8), u % 60)).toISOString();
      events.push(`u${u},${u % 2 === 0 ? 'report_viewed' : 'query_run'},${ts}`);
    }
    users.push(`u${u},${u % 3 === 0 ? 'pro' : 'free'},${u < 30 ? 1 : 0}`);
  }
  writeFileSync(join(dir, 'events.csv'), events.join('\n') + '\n');
  writeFileSync(join(dir, 'users.csv'), users.join('\n') + '\n');
  return { events: join(dir, 'events.csv'), users: join(dir, 'users.csv') };
}

describe('segmint run --outcome', () => {
  let run: CliResult;
  let attributeOnly: CliResult;
  let validate: CliResult;
  let out: string;
  let attrOut: string;

  beforeAll(async () => {
    const dir = tempDir();
    const inputs = writeInputs(dir);
    out = join(dir, 'reports');
    attrOut = join(dir, 'attr');
    run = await runCli(['run', '--events', inputs.events, '--users', inputs.users, '--outcome', 'churned', '--out', out, '--k', '2', '--quiet']);
    attributeOnly = await runCli(['run', '--users', inputs.users, '--outcome', 'churned', '--out', attrOut, '--k', '2', '--quiet']);
    validate = await runCli(['validate', '--events', inputs.events, '--users', inputs.users, '--outcome', 'nope']);
  });

  const docs = (folder: string) => {
    const dir = join(folder, 'latest');
    return {
      manifest: JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')),
      segments: JSON.parse(readFileSync(join(dir, 'segments.json'), 'utf8')),
      report: readFileSync(join(dir, 'report.md'), 'utf8'),
    };
  };

  it('reports the outcome per segment and records it in the config', () => {
    expect(run.code).toBe(0);
    const { manifest, segments, report } = docs(out);
    expect(manifest.config.inputs.users.outcomes).toEqual(['churned']);
    expect(segments.outcomes.map((o: { label: string }) => o.label)).toContain('churned');
    expect(report).toContain('churned');
  });

  it('never clusters on it, with events or with attributes only', () => {
    expect(attributeOnly.code).toBe(0);
    for (const folder of [out, attrOut]) {
      const features: string[] = docs(folder).segments.model.features;
      expect(features.length).toBeGreaterThan(0);
      expect(features.filter((f) => f.includes('churned'))).toEqual([]);
    }
  });

  it('validate checks the flag too: an outcome the users table lacks is one line', () => {
    expect(validate.code).not.toBe(0);
    const errorLines = validate.stderr.trim().split('\n').filter((l) => l.startsWith('error:'));
    expect(errorLines).toHaveLength(1);
    expect(errorLines[0]).toContain('"nope"');
    expect(validate.stderr).not.toMatch(/\n\s+at /);
  });
});

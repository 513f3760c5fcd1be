/**
 * `segmint segments export RUN SEGMENT`: one segment's members as CSV (by id or name, the
 * no-events group too), formula-safe, and one line for a segment the run does not have.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { beforeAll, describe, expect, it } from 'vitest';
import { errors } from '../../src/core/messages.js';
import { NO_EVENTS_GROUP } from '../../src/core/groups.js';
import { loadRunDocuments } from '../../src/run/load.js';
import type { RunDocuments } from '../../src/run/types.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { plantedEvents } from './inputs.js';

const HOSTILE_ID = "=HYPERLINK(\"http://x\",\"y\")";

describe('segments export', () => {
  let dir: string;
  let run: string;
  let docs: RunDocuments;
  const csvOf = (file: string) => Papa.parse<Record<string, string>>(readFileSync(file, 'utf8'), { header: true, skipEmptyLines: true });

  beforeAll(async () => {
    dir = tempDir();
    // The planted users, plus three in the users table only: the no-events group.
    const users = ['user_id,plan', ...Array.from({ length: 60 }, (_, u) => `u${u},${u % 3 ? 'free' : 'pro'}`), 'x1,free', 'x2,pro', `"${HOSTILE_ID.replace(/"/g, '""')}",free`];
    writeFileSync(join(dir, 'users.csv'), users.join('\n') + '\n');
    const out = join(dir, 'reports');
    const r = await runCli(['run', '--events', plantedEvents(dir), '--users', join(dir, 'users.csv'), '--out', out, '--k', '2', '--quiet']);
    expect(r.code).toBe(0);
    run = join(out, 'latest');
    docs = loadRunDocuments(run);
  }, 60_000);

  it('writes the members of a segment by id: user_id,segment,segment_name,confidence', async () => {
    const s = docs.segments.segments[0];
    const file = join(dir, 'seg0.csv');
    const r = await runCli(['segments', 'export', run, '0', '--out', file]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`${s.size} users in segment 0 ${JSON.stringify(s.name)}`);
    const parsed = csvOf(file);
    expect(parsed.meta.fields).toEqual(['user_id', 'segment', 'segment_name', 'confidence']);
    expect(parsed.data).toHaveLength(s.size);
    for (const row of parsed.data) {
      expect(row.segment).toBe('0');
      expect(row.segment_name).toBe(s.name);
      expect(Number(row.confidence)).toBeGreaterThanOrEqual(0);
    }
    // The same users as assignments.csv has in segment 0.
    const all = csvOf(join(run, 'assignments.csv')).data.filter((a) => a.segment === '0').map((a) => a.user_id);
    expect(parsed.data.map((m) => m.user_id)).toEqual(all);
  });

  it('finds a segment by name, in any case, and prints to stdout without --out', async () => {
    const s = docs.segments.segments[1];
    const byName = await runCli(['segments', 'export', run, s.name.toUpperCase()]);
    expect(byName.code).toBe(0);
    expect(byName.stdout.split('\n')[0]).toBe('user_id,segment,segment_name,confidence');
    expect(byName.stdout.trim().split('\n')).toHaveLength(s.size + 1);
    expect(byName.stderr).toBe(`${s.size} users in segment 1 ${JSON.stringify(s.name)}\n`);
  });

  it('exports the no-events group as -1 or by its name, formula-safe, confidence empty', async () => {
    const a = await runCli(['segments', 'export', run, '-1']);
    const b = await runCli(['segments', 'export', run, NO_EVENTS_GROUP.name]);
    expect(a.code).toBe(0);
    expect(b.stdout).toBe(a.stdout);
    const lines = a.stdout.trim().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines).toContain(`x1,-1,${NO_EVENTS_GROUP.name},`);
    // Written with a leading ' so a spreadsheet shows it instead of running it.
    expect(a.stdout).toContain(`"'=HYPERLINK(""http://x"",""y"")",-1,`);
    expect(a.stdout).not.toMatch(/^=|,=/m);
  });

  it('an unknown segment is one line that lists the known ones', async () => {
    const r = await runCli(['segments', 'export', run, 'nope']);
    expect(r.code).toBe(1);
    const known = [...docs.segments.segments.map((s) => `${s.id} ${JSON.stringify(s.name)}`), `-1 ${JSON.stringify(NO_EVENTS_GROUP.name)}`];
    expect(r.stderr).toBe(`${errors.segmentNotInRun(docs.manifest.runId, 'nope', known).oneLine()}\n`);
    expect(r.stdout).toBe('');
  });

  it('an unknown run is one line', async () => {
    const r = await runCli(['segments', 'export', join(dir, 'no-such-run'), '0']);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});

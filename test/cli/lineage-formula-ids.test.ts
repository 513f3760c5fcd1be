/**
 * User ids a spreadsheet would run as formulas (phone numbers: `+14155550123`) are written to
 * assignments.csv with a leading `'`. A periodic run reads the previous run's assignments back:
 * it must see the ids the data has, or every such user looks new and the lineage is lost.
 */
import { readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadAssignments, loadRunDocuments } from '../../src/run/load.js';
import type { RunDocuments } from '../../src/run/types.js';
import { runCli, tempDir } from '../helpers/cli.js';

describe('the sample with phone-number user ids, run twice into one --out', () => {
  let out: string;
  let a: { dir: string; docs: RunDocuments };
  let b: { dir: string; docs: RunDocuments };

  beforeAll(async () => {
    const data = tempDir('segmint-phone-ids-');
    // event_id,user_id,event,timestamp with user u02722 → +1555002722.
    const lines = gunzipSync(readFileSync('data/sample/events.csv.gz')).toString('utf8').split('\n');
    const events = lines.map((line, i) => (i === 0 || line === '' ? line : line.replace(/^([^,]*),u(\d+),/, '$1,+1555$2,')));
    writeFileSync(join(data, 'events.csv'), events.join('\n'));
    out = tempDir('segmint-phone-out-');
    const events_ = join(data, 'events.csv');
    const first = await runCli(['run', '--events', events_, '--out', out, '--quiet']);
    expect(first.code).toBe(0);
    const firstDir = join(out, readlinkSync(join(out, 'latest')));
    const second = await runCli(['run', '--events', events_, '--out', out, '--quiet', '--seed', '7']);
    expect(second.code).toBe(0);
    const secondDir = join(out, readlinkSync(join(out, 'latest')));
    a = { dir: firstDir, docs: loadRunDocuments(firstDir) };
    b = { dir: secondDir, docs: loadRunDocuments(secondDir) };
  }, 120_000);

  it('writes the ids formula-safe and reads them back as the data has them', () => {
    expect(readFileSync(join(a.dir, 'assignments.csv'), 'utf8')).toMatch(/^"'\+1555\d+",/m);
    const users = [...loadAssignments(a.dir).keys()];
    expect(users.length).toBeGreaterThan(4000);
    expect(users.every((u) => /^\+1555\d+$/.test(u))).toBe(true);
  });

  it('the second run knows the first run’s users: most keep their segment key', () => {
    const lineage = b.docs.segments.lineage!;
    expect(lineage.previousRun).toBe(a.docs.manifest.runId);
    expect(lineage.sharedUsers).toBe(loadAssignments(b.dir).size);
    expect(lineage.keptKey / lineage.sharedUsers).toBeGreaterThanOrEqual(0.95);
    // Nobody both left and arrived: the transitions list only users who moved between keys.
    const transitions = readFileSync(join(b.dir, 'transitions.csv'), 'utf8').trim().split('\n').slice(1);
    expect(transitions.filter((row) => row.endsWith(',') || /,,/.test(row))).toEqual([]);
  });
});

/**
 * Known users with no events in the window (a row in the users table, nothing to cluster on) are
 * never dropped: counted, listed in assignments.csv as their own marked group, selected by an
 * exact rule, and said up front in the report. `assign` keeps them the same way.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { beforeAll, describe, expect, it } from 'vitest';
import { scoreUsers } from '../../src/assign/index.js';
import { createContext } from '../../src/core/context.js';
import { NO_EVENTS_GROUP } from '../../src/core/groups.js';
import { runPipeline, type RunOutcome } from '../../src/pipeline.js';
import { loadAssignments, loadRunDocuments } from '../../src/run/load.js';
import { DEFAULT_CONFIG } from '../helpers/config.js';
import { tempDir } from '../helpers/tmp.js';

const id = (u: number) => `u${String(u).padStart(3, '0')}`;

function writeInputs(dir: string): void {
  const events = ['user_id,event,timestamp'];
  for (let u = 0; u < 60; u++) {
    const [event, times] = u % 2 === 0 ? ['report_viewed', 8] : ['api_call', 3];
    for (let i = 0; i < times + (u % 3); i++) events.push(`${id(u)},${event},2026-03-${String(1 + ((u + i) % 27)).padStart(2, '0')}T1${i % 10}:00:00Z`);
  }
  // Three users whose only events fall long before the 90-day window.
  for (let u = 60; u < 63; u++) events.push(`${id(u)},report_viewed,2025-01-0${u - 59}T10:00:00Z`);
  writeFileSync(join(dir, 'events.csv'), `${events.join('\n')}\n`);
  // Users 63..69 never had an event; 70 rows in all.
  const users = ['user_id,plan', ...Array.from({ length: 70 }, (_, u) => `${id(u)},${u % 4 === 0 ? 'pro' : 'free'}`)];
  writeFileSync(join(dir, 'users.csv'), `${users.join('\n')}\n`);
}

describe('users with no events in the window', () => {
  let dir: string;
  let run: RunOutcome;

  beforeAll(async () => {
    dir = tempDir('segmint-no-events-');
    writeInputs(dir);
    const config = {
      ...DEFAULT_CONFIG,
      inputs: {
        ...DEFAULT_CONFIG.inputs,
        events: { ...DEFAULT_CONFIG.inputs.events!, paths: [join(dir, 'events.csv')] },
        users: { paths: [join(dir, 'users.csv')], key: null, exclude: [], accountKey: null },
        accounts: null,
      },
      output: { ...DEFAULT_CONFIG.output, dir: join(dir, 'reports') },
      cluster: { ...DEFAULT_CONFIG.cluster, k: 2, minSize: 5 },
    };
    run = await runPipeline(config, createContext(config.seed));
  });

  it('lists every user in assignments.csv, the ten without events as the marked group', () => {
    const rows = Papa.parse<Record<string, string>>(readFileSync(join(run.runDir, 'assignments.csv'), 'utf8'), { header: true, skipEmptyLines: true }).data;
    expect(rows.map((r) => r.user_id)).toEqual(Array.from({ length: 70 }, (_, u) => id(u)));
    const group = rows.filter((r) => r.segment === String(NO_EVENTS_GROUP.segment));
    expect(group.map((r) => r.user_id)).toEqual(Array.from({ length: 10 }, (_, i) => id(60 + i)));
    for (const r of group) expect([r.segment_name, r.distance, r.confidence]).toEqual([NO_EVENTS_GROUP.name, '', '']);
    expect(rows.filter((r) => Number(r.segment) >= 0)).toHaveLength(60);
    // The run folder reads back through its schema with the group in it.
    expect(loadAssignments(run.runDir, run.documents.segments.k).get(id(65))).toBe(NO_EVENTS_GROUP.segment);
  });

  it('counts them in segments.json and selects them with an exact, verified rule', () => {
    const docs = loadRunDocuments(run.runDir);
    expect(docs.segments.users).toBe(60);
    expect(docs.segments.usersWithoutEvents).toBe(10);
    expect(docs.rules.noEvents).toMatchObject({ segment: -1, users: 10, verified: true });
    expect(readFileSync(join(run.runDir, 'rules.sql'), 'utf8')).toContain(`${docs.rules.noEvents!.sql};`);
  });

  it('says so up front in both reports', () => {
    expect(readFileSync(join(run.runDir, 'report.md'), 'utf8')).toContain('**10 users (14.3%) had no events in the window.**');
    expect(readFileSync(join(run.runDir, 'report.html'), 'utf8')).toContain('10 users (14.3%) had no events in the window.');
  });

  it('assign keeps them as the same group', async () => {
    const scored = await scoreUsers(run.documents, { events: [join(dir, 'events.csv')], users: join(dir, 'users.csv') }, createContext(1));
    expect(scored).toHaveLength(70);
    expect(scored.filter((a) => a.segment === NO_EVENTS_GROUP.segment)).toHaveLength(10);
  });
});

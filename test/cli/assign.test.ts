/**
 * `segmint assign`: scoring the run's own inputs must replay the model exactly (every user lands
 * in the segment the run gave it); a model feature the new data lacks, and a --model that is not
 * a run, fail with one line from the catalog.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Papa from 'papaparse';
import { loadConfigFile } from '../../src/config/resolve.js';
import { createContext } from '../../src/core/context.js';
import { errors } from '../../src/core/messages.js';
import { runPipeline } from '../../src/pipeline.js';
import { loadAssignments } from '../../src/run/load.js';
import { openDb } from '../../src/core/duckdb.js';
import { buildFeatures, runEventColumns } from '../../src/stages/features/index.js';
import { ingest } from '../../src/stages/ingest/index.js';
import { fixture, makeConfig } from '../stages/ingest/helpers.js';
import { runCli, tempDir, type CliResult } from '../helpers/cli.js';

const SAMPLE = resolve('data/sample');
const inputs = ['--events', join(SAMPLE, 'events.csv.gz'), '--users', join(SAMPLE, 'users.csv'), '--accounts', join(SAMPLE, 'accounts.csv')];

describe('segmint assign', () => {
  let dir: string;
  let runDir: string;
  let runId: string;
  let assign: CliResult;
  let outFile: string;

  beforeAll(async () => {
    dir = tempDir();
    const config = loadConfigFile('pipeline/default.yaml', { out: join(dir, 'reports') });
    const outcome = await runPipeline(config, createContext(config.seed));
    runDir = outcome.runDir;
    runId = outcome.documents.manifest.runId;
    outFile = join(dir, 'scored.csv');
    assign = await runCli(['assign', '--model', runDir, ...inputs, '--out', outFile, '--quiet']);
  }, 120_000);

  it("gives every user of the run's own inputs the segment the run gave it", () => {
    expect(assign.stderr).toBe('');
    expect(assign.code).toBe(0);
    const run = loadAssignments(runDir);
    const parsed = Papa.parse<Record<string, string>>(readFileSync(outFile, 'utf8'), { header: true, skipEmptyLines: true });
    const scored = new Map(parsed.data.map((row) => [row.user_id, Number(row.segment)]));
    expect(scored.size).toBe(run.size);
    const differing = [...run].filter(([user, seg]) => scored.get(user) !== seg);
    expect(differing).toEqual([]);
  });

  it("writes the run's assignments.csv format, byte for byte on the run's own inputs", () => {
    expect(readFileSync(outFile, 'utf8')).toBe(readFileSync(join(runDir, 'assignments.csv'), 'utf8'));
  });

  it('prints the path and a per-segment count table', () => {
    expect(assign.stdout).toContain('scored.csv');
    expect(assign.stdout).toMatch(/id\s+segment\s+users\s+share/);
  });

  it('lists the users it writes as segment -1 (no events in the window) in the count table, so the shares add up to 100%', async () => {
    const users = join(dir, 'users-plus-one.csv');
    writeFileSync(users, `${readFileSync(join(SAMPLE, 'users.csv'), 'utf8').trimEnd()}\nzz_new,a0001,manager,US,en,2024-01-01,true\n`);
    const out = join(dir, 'with-new-user.csv');
    const r = await runCli(['assign', '--model', runDir, ...inputs.slice(0, 2), '--users', users, ...inputs.slice(4), '--out', out, '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('\nzz_new,-1,No events in window,,\n');
    const table = r.stdout.split('\n').filter((line) => /^\s*-?\d+\s/.test(line));
    const noEvents = table.filter((line) => /^\s*-1\s+No events in window\s/.test(line));
    expect(noEvents).toHaveLength(1);
    const written = readFileSync(out, 'utf8').trimEnd().split('\n').length - 1;
    expect(noEvents[0]).toMatch(new RegExp(`\\s1\\s+${(100 / written).toFixed(1).replace('.', '\\.')}%$`));
    const counts = table.map((line) => Number(line.trim().split(/\s{2,}/)[2].replace(/,/g, '')));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(written);
  });

  it('defaults --out to assignments-<run-id>.csv in the current directory', async () => {
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const r = await runCli(['assign', '--model', runDir, ...inputs, '--quiet']);
      expect(r.code).toBe(0);
      expect(r.stdout.split('\n')[0]).toBe(`assignments-${runId}.csv`);
      expect(readFileSync(join(dir, `assignments-${runId}.csv`), 'utf8')).toBe(readFileSync(outFile, 'utf8'));
    } finally {
      process.chdir(cwd);
    }
  });

  it('fails with one line naming a model feature the new data lacks', async () => {
    // A copy of the run whose model also needs a feature no input can produce.
    const copy = join(dir, 'edited-run');
    cpSync(runDir, copy, { recursive: true });
    const segments = JSON.parse(readFileSync(join(copy, 'segments.json'), 'utf8')) as { model: { transform: { steps: { feature: string }[] } } };
    segments.model.transform.steps[0].feature = 'attr_crm_tier';
    writeFileSync(join(copy, 'segments.json'), JSON.stringify(segments));
    const r = await runCli(['assign', '--model', copy, ...inputs, '--out', join(dir, 'x.csv'), '--quiet']);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(errors.modelFeatureMissing('attr_crm_tier', runId).oneLine());
    expect(existsSync(join(dir, 'x.csv'))).toBe(false);
  });

  it('--model pointing at something that is not a run fails with errors.runNotFound', async () => {
    const r = await runCli(['assign', '--model', dir, ...inputs, '--quiet']);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(errors.runNotFound(dir).oneLine());
  });
});

describe('runEventColumns', () => {
  it("gives the run's event types with the column names it recorded, in the run's order", () => {
    const count = (event: string) => ({ kind: 'eventCount', events: { type: 'event', event } }) as const;
    const share = (event: string) => ({ kind: 'eventShare', events: { type: 'event', event } }) as const;
    const names = ['events', 'count__sign_up', 'share__sign_up', 'count__sign_up_2', 'share__sign_up_2', 'count__item_2', 'share__item_2', 'count__other'];
    const meanings = {
      events: { kind: 'events' },
      count__sign_up: count('Sign Up'),
      share__sign_up: share('Sign Up'),
      count__sign_up_2: count('sign_up'),
      share__sign_up_2: share('sign_up'),
      count__item_2: count('item_2'),
      share__item_2: share('item_2'),
      count__other: { kind: 'eventCount', events: { type: 'other', except: ['Sign Up', 'sign_up', 'item_2'] } },
    } as const;
    expect(runEventColumns(names, meanings)).toEqual([
      { event: 'Sign Up', count: 'count__sign_up', share: 'share__sign_up' },
      { event: 'sign_up', count: 'count__sign_up_2', share: 'share__sign_up_2' },
      { event: 'item_2', count: 'count__item_2', share: 'share__item_2' },
    ]);
  });
});

describe('buildFeatures with fixed event types (how assign rebuilds the run\'s columns)', () => {
  it('uses the given types instead of the top N, always with "other"; absent types count 0', async () => {
    const db = await openDb();
    try {
      const config = makeConfig([fixture('basic.csv')]);
      const ctx = createContext(1);
      const ingested = await ingest(db, config, ctx);
      const eventColumns = ['export', 'nope'].map((event) => ({ event, count: `count__${event}`, share: `share__${event}` }));
      const table = await buildFeatures(db, ingested, config, ctx, { eventColumns });
      const mix = table.columns.filter((c) => c.family === 'event_mix');
      expect(mix.map((c) => c.name)).toEqual(['count__export', 'share__export', 'count__nope', 'share__nope', 'count__other', 'share__other']);
      const get = (name: string) => Array.from(mix.find((c) => c.name === name)!.values as Float64Array);
      // basic.csv in the window: a has login, 3 views, export; b login, view; c login.
      expect(get('count__export')).toEqual([1, 0, 0]);
      expect(get('count__nope')).toEqual([0, 0, 0]);
      expect(get('count__other')).toEqual([4, 2, 1]);
    } finally {
      db.close();
    }
  });
});

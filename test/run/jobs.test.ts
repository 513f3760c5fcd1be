import { existsSync, mkdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/resolve.js';
import { errors } from '../../src/core/messages.js';
import { jobOf, latestName } from '../../src/run/jobs.js';
import { finishRun, prepareRunDir } from '../../src/run/output.js';
import { tempDir } from '../helpers/tmp.js';

const origin = (source: string | null) => ({ file: 'test', baseDir: '/data', source });

describe('jobs', () => {
  it('a config run belongs to the config name; an ad-hoc run to its set of inputs', () => {
    expect(jobOf(resolveConfig({ name: 'weekly', inputs: { events: { path: 'e.csv' } } }, origin('/data/weekly.yaml')))).toBe('weekly');
    const adhoc = (paths: string[]) => jobOf(resolveConfig({ inputs: { events: { path: paths } } }, origin(null)));
    expect(adhoc(['a.csv', 'b.csv'])).toMatch(/^adhoc-[0-9a-f]{8}$/);
    expect(adhoc(['b.csv', 'a.csv'])).toBe(adhoc(['a.csv', 'b.csv']));
    expect(adhoc(['c.csv'])).not.toBe(adhoc(['a.csv', 'b.csv']));
  });

  it('an ad-hoc warehouse run belongs to its database and tables, not to one job for every warehouse', () => {
    const adhoc = (url: string, events: string, users?: string, accounts?: string) =>
      jobOf(resolveConfig({ inputs: { warehouse: { url, events, ...(users ? { users } : {}), ...(accounts ? { accounts } : {}) } } }, origin(null)));
    const base = adhoc('postgres://segmint@db:5432/analytics', 'analytics.events');
    expect(base).toMatch(/^adhoc-[0-9a-f]{8}$/);
    // The same database and tables: one job, whoever logs in, however the URL spells the defaults.
    expect(adhoc('postgres://reader@DB/analytics?sslmode=require', 'analytics.events')).toBe(base);
    // Another host, port, database or table: another job.
    const others = [
      adhoc('postgres://segmint@db2:5432/analytics', 'analytics.events'),
      adhoc('postgres://segmint@db:5433/analytics', 'analytics.events'),
      adhoc('postgres://segmint@db:5432/otherdb', 'analytics.events'),
      adhoc('postgres://segmint@db:5432/analytics', 'public.clicks'),
      adhoc('postgres://segmint@db:5432/analytics', 'analytics.events', 'analytics.users'),
      adhoc('postgres://segmint@db:5432/analytics', 'analytics.events', 'analytics.users', 'analytics.accounts'),
    ];
    expect(new Set([base, ...others]).size).toBe(others.length + 1);
    // File runs keep the ids their run folders already carry.
    expect(jobOf(resolveConfig({ inputs: { events: { path: 'e.csv' } } }, origin(null)))).toBe('adhoc-7f4603b6');
  });

  it('pointer names keep to safe characters', () => {
    expect(latestName('weekly')).toBe('latest-weekly');
    expect(latestName('../x y')).toMatch(/^latest-\.\._x_y-[0-9a-f]{8}$/);
  });

  it('jobs whose names differ only in replaced characters get pointers of their own', async () => {
    const names = ['a/b', 'a b', 'a_b', 'a\\b'];
    expect(new Set(names.map(latestName)).size).toBe(names.length);
    expect(latestName('a_b')).toBe('latest-a_b');
    const out = tempDir();
    for (const [i, job] of names.entries()) {
      await prepareRunDir(out, `run-${i}`);
      await finishRun(out, `run-${i}`, undefined, job);
    }
    names.forEach((job, i) => expect(readlinkSync(join(out, latestName(job)))).toBe(`run-${i}`));
  });
});

describe('latest per job', () => {
  const finish = async (out: string, id: string, job: string) => {
    await prepareRunDir(out, id);
    await finishRun(out, id, undefined, job);
  };

  it('latest-<job> per job; the global latest only while one job writes into the folder', async () => {
    const out = tempDir();
    await finish(out, 'run-a', 'weekly');
    expect(readlinkSync(join(out, 'latest-weekly'))).toBe('run-a');
    expect(readlinkSync(join(out, 'latest'))).toBe('run-a');
    await finish(out, 'run-b', 'weekly');
    expect(readlinkSync(join(out, 'latest'))).toBe('run-b');
    // A second job: `latest` would name one job's run as everyone's latest, so it goes.
    await finish(out, 'run-c', 'churn');
    expect(readlinkSync(join(out, 'latest-churn'))).toBe('run-c');
    expect(readlinkSync(join(out, 'latest-weekly'))).toBe('run-b');
    expect(existsSync(join(out, 'latest'))).toBe(false);
    await finish(out, 'run-d', 'weekly');
    expect(readlinkSync(join(out, 'latest-weekly'))).toBe('run-d');
    expect(existsSync(join(out, 'latest'))).toBe(false);
  });

  it('a real folder where a job pointer goes stops the run before it is published', async () => {
    const out = tempDir();
    mkdirSync(join(out, 'latest-weekly'));
    await prepareRunDir(out, 'run-a');
    await expect(finishRun(out, 'run-a', undefined, 'weekly')).rejects.toThrow(errors.latestNotPointer(join(out, 'latest-weekly')).message);
    expect(existsSync(join(out, 'run-a'))).toBe(false);
  });
});

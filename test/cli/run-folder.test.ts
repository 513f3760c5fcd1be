/**
 * Commands that read a finished run (`report`, `rules list`, `runs list|show|diff`) read it
 * through its schemas: an edited or truncated run folder gives one line naming the file and the
 * field, never a stack trace, and never reaches report.html unescaped.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { errors } from '../../src/core/messages.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { plantedEvents } from './inputs.js';

const HOSTILE = '<img src=x onerror=alert(1)>';

describe('reading a tampered run folder', () => {
  let out: string;
  let good: string;

  /** A copy of the good run under `out`, with one document changed. */
  function tampered(id: string, name: string, change: (text: string) => string): string {
    const dir = join(out, id);
    cpSync(good, dir, { recursive: true });
    writeFileSync(join(dir, name), change(readFileSync(join(dir, name), 'utf8')));
    return dir;
  }
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- documents are edited freely
  const editJson = (change: (doc: any) => void) => (text: string) => {
    const doc = JSON.parse(text);
    change(doc);
    return JSON.stringify(doc, null, 2);
  };

  beforeAll(async () => {
    const dir = tempDir();
    out = join(dir, 'reports');
    const run = await runCli(['run', '--events', plantedEvents(dir), '--out', out, '--k', '2', '--quiet']);
    expect(run.code).toBe(0);
    good = join(out, JSON.parse(readFileSync(join(out, 'latest', 'manifest.json'), 'utf8')).runId);
  }, 60_000);

  it('report: a hostile segment id stops with one line; report.html is left as it was', async () => {
    const dir = tampered('z-hostile-id', 'segments.json', editJson((d) => (d.segments[1].id = HOSTILE)));
    const before = readFileSync(join(dir, 'report.html'), 'utf8');
    const r = await runCli(['report', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`${errors.runFileInvalid(join(dir, 'segments.json'), 'segments[1].id', `expected a number, got ${JSON.stringify(HOSTILE)}`).oneLine()}\n`);
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toBe(before);
    expect(before).not.toContain(HOSTILE);
  });

  it('report: a hostile segment name is data and is escaped in report.html', async () => {
    const dir = tampered('z-hostile-name', 'segments.json', editJson((d) => (d.segments[0].name = HOSTILE)));
    const r = await runCli(['report', dir]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html).not.toContain(HOSTILE);
    expect(html).not.toMatch(/<img/i);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('rules list: a rule whose metrics were edited into text', async () => {
    const dir = tampered('z-rules', 'rules.json', editJson((d) => (d.rules[0].metrics.f1 = 'high')));
    const r = await runCli(['rules', 'list', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`${errors.runFileInvalid(join(dir, 'rules.json'), 'rules[0].metrics.f1', 'expected a number, got "high"').oneLine()}\n`);
  });

  it('runs diff: a truncated assignments.csv', async () => {
    const dir = tampered('z-assignments', 'assignments.csv', (t) => t.slice(0, Math.floor(t.length / 2)).replace(/,[^,\n]*$/, ','));
    const r = await runCli(['runs', 'diff', good, dir]);
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n')).toHaveLength(2);
    expect(r.stderr).toMatch(/^error: .*z-assignments\/assignments\.csv: line \d+: /);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('runs show: a manifest cut short', async () => {
    const dir = tampered('z-manifest', 'manifest.json', (t) => t.slice(0, 200));
    const r = await runCli(['runs', 'show', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: .*z-manifest\/manifest\.json: not valid JSON \(.*\) \(hint: the run folder was edited or truncated; rerun segmint run\)\n$/);
  });

  it('runs list: corrupt runs are named and skipped, the good ones still listed', async () => {
    tampered('z-truncated', 'segments.json', (t) => t.slice(0, 100));
    const r = await runCli(['runs', 'list', '--dir', out]);
    expect(r.code).toBe(0);
    const listed = r.stdout.trim().split('\n').slice(2).map((line) => line.split(/\s+/)[0]);
    // runs list reads the JSON documents only, so a damaged assignments.csv still lists.
    expect(listed).toEqual([good.split('/').at(-1), 'z-assignments', 'z-hostile-name']);
    const skipped = r.stderr.trim().split('\n');
    expect(skipped.every((line) => /^warning: skipped .*reports\/z-[a-z-]+: .+ \(.+\)$/.test(line))).toBe(true);
    expect(skipped.map((line) => /reports\/(z-[a-z-]+):/.exec(line)![1])).toEqual(['z-hostile-id', 'z-manifest', 'z-rules', 'z-truncated']);
  });
});

/**
 * `segmint init` writes a commented config that runs as it is: on every vendor preset fixture,
 * on the Online Retail purchase log, and on plain events + users + accounts tables. Each written
 * config is resolved (`loadConfigFile`) and then checked with `segmint validate` through `main`.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../src/config/resolve.js';
import { errors } from '../../src/core/messages.js';
import { initConfig } from '../../src/init/index.js';
import { runCli, tempDir } from '../helpers/cli.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PRESETS = join(ROOT, 'test/fixtures/presets');
const INGEST = join(ROOT, 'test/fixtures/ingest');
const RETAIL = join(ROOT, 'data/examples/online-retail/online-retail-sample-20000.csv');

/** Run `segmint init` into a fresh folder (nested, so relative paths are exercised). */
async function init(paths: string[], extra: string[] = []) {
  const out = join(tempDir('segmint-init-'), 'jobs', 'nested', 'job.yaml');
  const result = await runCli(['init', ...paths, '--out', out, ...extra]);
  return { ...result, out };
}

/**
 * `segmint validate` accepts the written config. The fixtures hold 2–5 users, which no run can
 * segment (validate refuses that as run does), so by default the check runs on a copy beside it
 * with cluster.min_size 1 and --k 2; `asWritten` validates the file itself.
 */
async function validates(config: string, { asWritten = false } = {}) {
  let file = config;
  if (!asWritten) {
    const raw = parseYaml(readFileSync(config, 'utf8')) as { cluster?: Record<string, unknown> | null };
    file = config.replace(/\.yaml$/, '.few-users.yaml');
    writeFileSync(file, stringifyYaml({ ...raw, cluster: { ...(raw.cluster ?? {}), min_size: 1 } }));
  }
  const r = await runCli(['validate', '--config', file, '--quiet', ...(asWritten ? [] : ['--k', '2'])]);
  expect(r.stderr).not.toMatch(/^error:/m);
  expect(r.code).toBe(0);
  expect(r.stdout).toContain('config ok');
}

/** Every `path:` value written into the YAML is relative to the YAML's folder. */
function expectRelativePaths(out: string) {
  const raw = parseYaml(readFileSync(out, 'utf8')) as { inputs: Record<string, { path: string | string[] }> };
  for (const input of Object.values(raw.inputs)) {
    for (const p of [input.path].flat()) expect(p.startsWith('/')).toBe(false);
  }
}

const FIXTURES = [
  ['segment', 'segment/messages.jsonl', 'segment'],
  ['amplitude (a folder of hourly .json.gz files)', 'amplitude', 'amplitude'],
  ['mixpanel', 'mixpanel/export.jsonl', 'mixpanel'],
  ['posthog', 'posthog/events.jsonl', 'posthog'],
  ['posthog CSV', 'posthog-csv/events.csv', 'posthog'],
  ['ga4', 'ga4/events_20240501.jsonl', 'ga4'],
] as const;

describe('segmint init on the vendor preset fixtures', () => {
  for (const [label, fixture, preset] of FIXTURES) {
    it(`${label}: recognises the ${preset} preset and writes a config that resolves`, async () => {
      const r = await init([join(PRESETS, fixture)]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`next:\n  npx segmint validate --config ${r.out}`);
      expect(r.stdout).toContain(`  npx segmint run --config ${r.out}`);
      const config = loadConfigFile(r.out);
      expect(config.inputs.events?.preset).toBe(preset);
      expect(config.inputs.events?.paths).toEqual([join(PRESETS, fixture)]);
      expect(config.features.includeInternalEvents).toBe(false);
      expectRelativePaths(r.out);
    });

    // Passes once ingest reads `source.preset` (the presets are wired into the ingest stage).
    it(`${label}: the written config validates without edits`, async () => {
      const r = await init([join(PRESETS, fixture)]);
      await validates(r.out);
    });
  }

  it('reads the plain twin of the fixtures as plain columns', async () => {
    const r = await init([join(PRESETS, 'plain.csv')]);
    expect(r.code).toBe(0);
    const config = loadConfigFile(r.out);
    expect(config.inputs.events?.preset).toBeNull();
    expect(config.inputs.events?.columns).toEqual({ userId: 'user_id', event: 'event', timestamp: 'timestamp', eventId: null });
    await validates(r.out);
  });
});

describe('segmint init on the Online Retail purchase log', () => {
  it('makes every row a purchase, negative quantities cancellations, and revenue a value', async () => {
    const r = await init([RETAIL]);
    expect(r.code).toBe(0);
    const config = loadConfigFile(r.out);
    const events = config.inputs.events!;
    expect(events.paths).toEqual([RETAIL]);
    expect(events.columns).toEqual({ userId: 'CustomerID', event: null, timestamp: 'InvoiceDate', eventId: null });
    expect(events.eventName).toBe('purchase');
    expect(events.eventCases).toEqual([{ column: 'Quantity', startsWith: null, equals: null, negative: true, event: 'cancellation' }]);
    expect(config.features.values).toEqual([{ name: 'revenue', columns: ['Quantity', 'UnitPrice'], aggregates: ['sum', 'mean'] }]);
    // The log spans 2010-12-01 .. 2011-12-09: the window covers all of it.
    expect(config.window).toEqual({ days: 375, end: null });
    // 25.4% of rows have CustomerID = NA; the default 1% limit would fail every run.
    expect(config.output.maxRejectRate).toBe(0.3);
    const yaml = readFileSync(r.out, 'utf8');
    expect(yaml).toContain('5,078 of 20,000 events rows sniffed (25.4%) have no user id (column CustomerID)');
    expectRelativePaths(r.out);
  });

  // Passes once ingest supports `event_name`, `event_cases` and `features.values`.
  it('the written config validates without edits', async () => {
    const r = await init([RETAIL]);
    await validates(r.out, { asWritten: true });
  });
});

describe('segmint init on plain tables', () => {
  it('tells events, users and accounts apart whatever order they come in', async () => {
    const r = await init([join(INGEST, 'accounts.csv'), join(INGEST, 'basic.csv'), join(INGEST, 'users.csv')]);
    expect(r.code).toBe(0);
    const config = loadConfigFile(r.out);
    expect(config.inputs.events?.paths).toEqual([join(INGEST, 'basic.csv')]);
    expect(config.inputs.users).toEqual({ paths: [join(INGEST, 'users.csv')], key: 'user_id', accountKey: 'account_id', exclude: [] });
    expect(config.inputs.accounts).toEqual({ paths: [join(INGEST, 'accounts.csv')], key: 'account_id', exclude: [] });
    // users.csv has a row with no user id (1 of 5): the limit is raised above 20%.
    expect(config.output.maxRejectRate).toBe(0.25);
    const yaml = readFileSync(r.out, 'utf8');
    expect(yaml).toContain('Left out (personal data or free text): email, name.');
    await validates(r.out);
  });

  it('tells them apart in one folder too, keeps same-shaped event files together, and the config runs', async () => {
    const folder = join(tempDir('segmint-init-folder-'), 'exports');
    mkdirSync(folder, { recursive: true });
    for (const f of ['accounts.csv', 'users.csv']) writeFileSync(join(folder, f), readFileSync(join(INGEST, f)));
    // Two daily event files with the same columns: one events input, as a path list.
    const [header, ...rows] = readFileSync(join(INGEST, 'basic.csv'), 'utf8').trim().split('\n');
    writeFileSync(join(folder, 'events-1.csv'), [header, ...rows.slice(0, 4)].join('\n') + '\n');
    writeFileSync(join(folder, 'events-2.csv'), [header, ...rows.slice(4)].join('\n') + '\n');
    const r = await init([folder]);
    expect(r.code).toBe(0);
    const config = loadConfigFile(r.out);
    expect(config.name).toBe('exports');
    expect(config.inputs.events?.paths).toEqual([join(folder, 'events-1.csv'), join(folder, 'events-2.csv')]);
    expect(config.inputs.users?.paths).toEqual([join(folder, 'users.csv')]);
    expect(config.inputs.accounts?.paths).toEqual([join(folder, 'accounts.csv')]);
    await validates(r.out);
  });

  it('keeps a folder of vendor daily files as the folder when their first events differ, so later days are read', async () => {
    // Segment messages: one day opens with an identify call, the next with a track call. Their
    // top-level keys differ; split by keys, the folder became a list of the files there today.
    const lines = readFileSync(join(PRESETS, 'segment/messages.jsonl'), 'utf8').trim().split('\n');
    const identify = lines.findIndex((l) => l.startsWith('{"type":"identify"'));
    const folder = join(tempDir('segmint-init-daily-'), 'segment');
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, '2024-05-01.jsonl'), lines.slice(identify).join('\n') + '\n');
    writeFileSync(join(folder, '2024-05-02.jsonl'), lines.slice(0, identify).join('\n') + '\n');
    const r = await init([folder]);
    expect(r.code).toBe(0);
    const raw = parseYaml(readFileSync(r.out, 'utf8')) as { inputs: { events: { path: string } } };
    expect(resolve(join(r.out, '..'), raw.inputs.events.path)).toBe(folder);
    expect(loadConfigFile(r.out).inputs.events?.paths).toEqual([folder]);
  });

  it('reads messy files as run does: a malformed CSV row past the sniffer sample, a truncated JSON line', async () => {
    const dir = tempDir('segmint-init-messy-');
    const csv = join(dir, 'events.csv');
    const good = Array.from({ length: 2100 }, (_, i) => `u${i % 60},e${i % 3},2024-05-${String(1 + (i % 28)).padStart(2, '0')}T10:00:00Z`);
    writeFileSync(csv, ['user_id,event,timestamp', ...good.slice(0, 2050), 'u1,e1,2024-05-02T10:00:00Z,extra', ...good.slice(2050)].join('\n') + '\n');
    const plain = await init([csv]);
    expect(plain.stderr).not.toMatch(/^error:/m);
    expect(plain.code).toBe(0);
    await validates(plain.out);
    // A PostHog export whose last line was cut short.
    const posthog = readFileSync(join(PRESETS, 'posthog/events.jsonl'), 'utf8').trim().split('\n');
    const jsonl = join(dir, 'posthog.jsonl');
    writeFileSync(jsonl, [...posthog, posthog[0].slice(0, 40)].join('\n') + '\n');
    const cut = await init([jsonl]);
    expect(cut.stderr).not.toMatch(/^error:/m);
    expect(cut.code).toBe(0);
    expect(loadConfigFile(cut.out).inputs.events?.preset).toBe('posthog');
  });

  it('reads epoch timestamps and other common column names', async () => {
    const r = await init([join(INGEST, 'epoch-ms.jsonl')]);
    expect(r.code).toBe(0);
    const config = loadConfigFile(r.out);
    expect(config.inputs.events?.columns).toEqual({ userId: 'distinct_id', event: 'event_name', timestamp: 'time', eventId: null });
    expect(readFileSync(r.out, 'utf8')).toContain('epoch milliseconds');
    await validates(r.out);
  });

  it('writes an attribute-only config for a lone customer table', async () => {
    const dir = tempDir();
    const file = join(dir, 'customers.csv');
    writeFileSync(file, 'customer_id,plan,seats\n' + Array.from({ length: 30 }, (_, i) => `c${i},${i % 3 ? 'pro' : 'free'},${i % 7}`).join('\n') + '\n');
    const r = await init([file]);
    expect(r.code).toBe(0);
    const config = loadConfigFile(r.out);
    expect(config.inputs.events).toBeNull();
    expect(config.inputs.users?.key).toBe('customer_id');
    expect(config.transform.weights.attribute).toBe(1);
  });

  it('writes the same text twice', async () => {
    const a = await init([RETAIL]);
    const b = await init([RETAIL]);
    // Same folder depth, so the relative paths are the same too.
    expect(readFileSync(a.out, 'utf8').replaceAll(a.out, '')).toBe(readFileSync(b.out, 'utf8').replaceAll(b.out, ''));
  });
});

describe('segmint init output', () => {
  it('defaults to pipeline/<name>.yaml under the current folder', async () => {
    const cwd = tempDir();
    const { configFile, plan } = await initConfig([RETAIL], { cwd });
    expect(plan.name).toBe('online-retail-sample-20000');
    expect(configFile).toBe(join(cwd, 'pipeline', 'online-retail-sample-20000.yaml'));
  });

  it('refuses to overwrite a file without --force', async () => {
    const first = await init([join(PRESETS, 'plain.csv')]);
    writeFileSync(first.out, '# mine\n');
    const again = await runCli(['init', join(PRESETS, 'plain.csv'), '--out', first.out]);
    expect(again.code).toBe(1);
    expect(again.stderr.trim().split('\n')).toHaveLength(1);
    expect(again.stderr).toContain(errors.initOutputExists(first.out).message);
    expect(readFileSync(first.out, 'utf8')).toBe('# mine\n');

    const forced = await runCli(['init', join(PRESETS, 'plain.csv'), '--out', first.out, '--force']);
    expect(forced.code).toBe(0);
    expect(loadConfigFile(first.out).inputs.events?.paths).toEqual([join(PRESETS, 'plain.csv')]);
  });

  it('says in one line when it cannot tell what a file holds', async () => {
    const dir = tempDir();
    const file = join(dir, 'mystery.csv');
    writeFileSync(file, 'who,what\na,1\nb,2\n');
    const r = await runCli(['init', file, '--out', join(dir, 'x.yaml')]);
    expect(r.code).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`segmint init cannot tell what ${resolve(file)} holds: no user id column`);
    expect(lines[0]).toMatch(/\(hint: .+\)$/);
  });

  it('an output folder that does not exist yet is created', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'a'));
    const out = join(dir, 'a', 'b', 'c.yaml');
    const r = await runCli(['init', join(PRESETS, 'plain.csv'), '--out', out]);
    expect(r.code).toBe(0);
    expect(loadConfigFile(out).name).toBe('plain');
  });
});

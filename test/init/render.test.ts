/**
 * The YAML `init` writes is built by the `yaml` library: names read from the data (CSV headers,
 * file names) are scalars or escaped comment text, never YAML structure.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { parse, parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../src/config/resolve.js';
import { initConfig } from '../../src/init/index.js';
import type { InitPlan } from '../../src/init/plan.js';
import { renderConfig, type RenderOptions } from '../../src/init/render.js';
import type { ColumnProfile, SniffedInput } from '../../src/init/sniff.js';
import { tempDir } from '../helpers/tmp.js';

/** The top-level settings init writes for plain events with a users table. */
const TOP_LEVEL = ['name', 'seed', 'inputs', 'window', 'features', 'cluster', 'output'];

/** A header cell that, written into YAML by hand, would add settings of its own. */
const HOSTILE = 'user_id\nwindow:\n  days: 1\nrules: {max: 9} # "quoted" \'too\'\r\n- \u202Eevil\u0000 &a *a !tag |';

function column(name: string): ColumnProfile {
  return { name, type: 'VARCHAR', present: 10, distinct: 10, numeric: 0, negative: 0, dateTimes: 0 };
}

function input(path: string, columns: string[]): SniffedInput {
  return { path, files: [path], format: 'csv', csv: null, keys: columns, preset: null, vendor: null, rows: 10, truncated: false, columns: columns.map(column), events: null, sampleTable: 't' };
}

/** A plan whose every name from the data is `name` (and variants of it). */
function planNaming(name: string): InitPlan {
  const events: SniffedInput = {
    ...input(`/d/${name}.csv`, [name, `${name}2`, `${name}3`, `${name}4`]),
    events: { userId: name, event: null, timestamp: `${name}2`, format: 'iso', first: '2024-01-01T00:00:00Z', last: '2024-02-01T00:00:00Z', missingUser: 1, missingEvent: 0, badTimestamp: 0 },
  };
  const users = input(`/d/${name}-users.csv`, [name, `${name}-acct`]);
  return {
    name: 'job',
    events: {
      inputs: [events],
      preset: null,
      columns: { userId: name, event: null, timestamp: `${name}2`, eventId: `${name}3` },
      eventName: name,
      orderColumns: [name],
      negativeCase: { column: `${name}4`, rows: 3, event: name },
      values: [{ name, columns: [`${name}4`, name], aggregates: ['sum'] }],
      span: { first: '2024-01-01T00:00:00Z', last: '2024-02-01T00:00:00Z', days: 31 },
      windowDays: 90,
      unused: [name],
    },
    users: { inputs: [users], key: name, accountKey: `${name}-acct`, missingKeys: 0, rows: 10 },
    accounts: null,
    rejects: [{ role: 'events', rows: 10, rejected: 1, reasons: [`no user id (column ${name})`] }],
    maxRejectRate: 0.2,
  };
}

const OPTIONS: RenderOptions = {
  configDir: '/d/pipeline',
  reportsDir: '/d/reports',
  configShown: 'pipeline/job.yaml',
  users: { attributes: [{ column: HOSTILE, type: 'VARCHAR' }], excluded: [{ column: HOSTILE, reason: 'identifier' }] },
  accounts: null,
};

/** Parse strictly: no errors, no warnings (duplicate keys would be an error). */
function parseStrict(text: string): Record<string, unknown> {
  const doc = parseDocument(text, { uniqueKeys: true });
  expect(doc.errors).toEqual([]);
  expect(doc.warnings).toEqual([]);
  return doc.toJS() as Record<string, unknown>;
}

describe('renderConfig with names from the data', () => {
  it('a hostile name is a plain string value wherever it is written, and adds no settings', () => {
    const yaml = renderConfig(planNaming(HOSTILE), OPTIONS);
    const raw = parseStrict(yaml) as {
      inputs: { events: Record<string, unknown> & { columns: Record<string, string> }; users: Record<string, unknown> };
      window: unknown;
      features: { values: unknown };
    };
    expect(Object.keys(raw)).toEqual(TOP_LEVEL);
    expect(raw.window).toEqual({ days: 90, end: 'auto' });
    expect(raw.inputs.events.path).toBe(`../${HOSTILE}.csv`);
    expect(raw.inputs.events.columns).toEqual({ user_id: HOSTILE, timestamp: `${HOSTILE}2`, event_id: `${HOSTILE}3` });
    expect(raw.inputs.events.event_name).toBe(HOSTILE);
    expect(raw.inputs.events.event_cases).toEqual([{ column: `${HOSTILE}4`, negative: true, event: HOSTILE }]);
    expect(raw.inputs.users).toEqual({ path: `../${HOSTILE}-users.csv`, key: HOSTILE, account_key: `${HOSTILE}-acct`, exclude: [] });
    expect(raw.features.values).toEqual([{ name: HOSTILE, columns: [`${HOSTILE}4`, HOSTILE], aggregates: ['sum'] }]);
  });

  it('comments show such a name on one line, its line breaks and bidi controls as escapes', () => {
    const yaml = renderConfig(planNaming(HOSTILE), OPTIONS);
    expect(yaml).toContain('# Not used: user_id\\nwindow:\\n  days: 1\\nrules: {max: 9} # "quoted" \'too\'\\r\\n- \\u202eevil\\u0000\n');
    expect(yaml).not.toMatch(/[\u0000\u202E\r]/u);
    // Every line is a comment, blank, or belongs to a setting init writes.
    for (const line of yaml.split('\n')) {
      if (/^[^\s#]/.test(line)) expect(TOP_LEVEL).toContain(line.slice(0, line.indexOf(':')));
    }
  });

  it('any name round-trips and leaves the settings as they are (property)', () => {
    const name = fc.string({ unit: 'binary', maxLength: 24 }).filter((s) => s.length > 0);
    const special = fc.array(fc.constantFrom('\n', '\r', ':', ' ', '#', '- ', '"', "'", '{', '[', '&', '*', '!', '|', '>', '%', '@', '`', '\t', '\u0085', '\u2028', '\ufeff', 'x'), { minLength: 1, maxLength: 12 }).map((a) => a.join(''));
    fc.assert(
      fc.property(fc.oneof(name, special), (n) => {
        const raw = parseStrict(renderConfig(planNaming(n), { ...OPTIONS, users: null })) as { inputs: { events: { columns: Record<string, string>; event_name: string } } };
        expect(Object.keys(raw)).toEqual(TOP_LEVEL);
        expect(raw.inputs.events.columns.user_id).toBe(n);
        expect(raw.inputs.events.event_name).toBe(n);
      }),
      { numRuns: 500 },
    );
  });
});

describe('segmint init on a CSV with a hostile header', () => {
  it('writes a config whose settings are the ones init chose: the header is only named in a comment', async () => {
    const dir = tempDir('segmint-init-hostile-');
    const events = join(dir, 'events.csv');
    const header = 'note\nwindow:\n  days: 1\ncluster:\n  k: 7';
    const rows = Array.from({ length: 20 }, (_, i) => `u${i % 5},${i % 2 ? 'login' : 'view'},2024-05-${String(1 + i).padStart(2, '0')}T00:00:00Z,x`);
    writeFileSync(events, `user_id,event,timestamp,"${header}"\n${rows.join('\n')}\n`);
    const users = join(dir, 'users.csv');
    writeFileSync(users, `user_id,"plan\noutput:\n  dir: /etc"\n${Array.from({ length: 5 }, (_, i) => `u${i},${i % 2 ? 'pro' : 'free'}`).join('\n')}\n`);

    const { yaml, plan } = await initConfig([events, users], { cwd: dir, configFile: 'job.yaml' });
    expect(plan.events?.unused).toEqual([header]);
    const raw = parseStrict(yaml);
    expect(Object.keys(raw)).toEqual(TOP_LEVEL);
    expect(yaml).toContain('# Not used: note\\nwindow:\\n  days: 1\\ncluster:\\n  k: 7.');
    expect(yaml).toContain('# Attributes, typed from the values: plan\\noutput:\\n  dir: /etc (category).');

    const file = join(dir, 'job.yaml');
    writeFileSync(file, yaml);
    const config = loadConfigFile(file);
    expect(config.window.days).toBe(plan.events!.windowDays);
    expect(config.cluster.k).toBeNull();
    expect(config.output.dir).toBe(join(dir, 'reports'));
    expect(parse(yaml)).toEqual(raw);
  });
});

describe('renderConfig for a vendor folder', () => {
  /** An Amplitude folder of `files` daily files, `sampled` of them sniffed. */
  function amplitudePlan(files: number): InitPlan {
    const paths = Array.from({ length: files }, (_, d) => `/d/amp/day-${String(d).padStart(3, '0')}.json.gz`);
    const vendor = { rows: 1200, behaviour: 1000, internal: 200, duplicates: 0, problems: 0, users: 150, first: '2024-01-01T00:00:00Z', last: '2024-01-31T00:00:00Z' };
    const folder: SniffedInput = { ...input('/d/amp', ['user_id', 'event_type', 'event_time']), files: paths, format: 'jsonl', preset: 'amplitude', vendor, truncated: files > 32, columns: [], sampleTable: null };
    const plan = planNaming('x');
    return { ...plan, events: { ...plan.events!, inputs: [folder], preset: 'amplitude', negativeCase: null, values: [] }, users: null };
  }

  it('says its counts are of the files sniffed when the folder has more', () => {
    const yaml = renderConfig(amplitudePlan(40), { ...OPTIONS, users: null });
    expect(yaml.replace(/\n# /g, ' ')).toContain('the 1,200 rows sniffed from the first 32 of 40 files are 1,000 behaviour, 200 vendor bookkeeping (set aside). 150 users have behaviour in them.');
  });

  it('says plain "rows sniffed" when every file was read', () => {
    const yaml = renderConfig(amplitudePlan(3), { ...OPTIONS, users: null });
    expect(yaml.replace(/\n# /g, ' ')).toContain('the 1,200 rows sniffed are 1,000 behaviour');
  });
});

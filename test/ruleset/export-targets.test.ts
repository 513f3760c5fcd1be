/**
 * `rules export --to flagd|dbt|posthog` on the bundled sample. flagd: the flag set loads in
 * OpenFeature's flagd evaluation core (schema and JSON Logic checked there) and, given each user's
 * features as the evaluation context, puts exactly the users `rules apply` selects in each flag.
 * dbt: versioned models and a schema.yml with contract, tests and meta. PostHog: attribute-only
 * rules become person-property cohorts, behavioural ones static cohorts with their members.
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FlagdCore } from '@openfeature/flagd-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { dbtModelName, dbtProject } from '../../src/ruleset/export/dbt.js';
import { segmentSelect } from '../../src/ruleset/export/sql.js';
import type { PromotedSegment } from '../../src/ruleset/schema.js';
import { jinja } from '../helpers/jinja.js';
import { readRuleset } from '../../src/ruleset/store.js';
import type { FeatureTable } from '../../src/stages/features/types.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { SAMPLE_INPUTS, membersByKey, readCsv, sampleFeatures, sampleRun } from './helpers.js';

describe('rules export to flagd, dbt and PostHog', () => {
  let dir: string;
  let ruleset: string;
  let members: Map<string, Set<string>>;
  let table: FeatureTable;

  beforeAll(async () => {
    dir = tempDir();
    const { runDir } = await sampleRun(join(dir, 'reports'));
    ruleset = join(dir, 'ruleset');
    expect((await runCli(['rules', 'promote', runDir, 'all', '--ruleset', ruleset, '--owner', 'growth', '--quiet'])).code).toBe(0);
    expect((await runCli(['rules', 'apply', '--ruleset', ruleset, ...SAMPLE_INPUTS, '--out', join(dir, 'apply'), '--quiet'])).code).toBe(0);
    members = membersByKey(join(dir, 'apply', 'memberships.csv'));
    table = await sampleFeatures();
  }, 300_000);

  it('flagd: the flag set validates in flagd-core and targets exactly the applied members', async () => {
    const out = join(dir, 'flagd');
    expect((await runCli(['rules', 'export', '--ruleset', ruleset, '--to', 'flagd', '--out', out])).code).toBe(0);
    const core = new FlagdCore();
    core.setConfigurations(readFileSync(join(out, 'flags.flagd.json'), 'utf8'));
    for (const { doc } of readRuleset(ruleset)) {
      const columns = Object.keys(doc.features).map((name) => table.columns.find((c) => c.name === name)!);
      const selected: string[] = [];
      table.userIds.forEach((user, i) => {
        const context: Record<string, string | number | boolean | null> = { targetingKey: user };
        for (const c of columns) {
          const v = c.values[i];
          context[c.name] = c.kind === 'categorical' ? v : Number.isNaN(v as number) ? null : c.kind === 'boolean' ? v === 1 : (v as number);
        }
        const r = core.resolveBooleanEvaluation(doc.key, false, context);
        expect(r.reason).not.toBe('ERROR');
        if (r.value) selected.push(user);
      });
      expect(selected).toEqual([...(members.get(doc.key) ?? [])].sort());
    }
  });

  it('dbt: a versioned model per segment and schema.yml with contract, tests and meta', async () => {
    const out = join(dir, 'dbt');
    expect((await runCli(['rules', 'export', '--ruleset', ruleset, '--to', 'dbt', '--dialect', 'postgres', '--out', out])).code).toBe(0);
    const schema = parse(readFileSync(join(out, 'schema.yml'), 'utf8'));
    for (const { doc } of readRuleset(ruleset)) {
      const model = schema.models.find((m: { name: string }) => m.name === dbtModelName(doc.key));
      expect(model).toMatchObject({
        latest_version: doc.version,
        versions: [{ v: doc.version }],
        config: { contract: { enforced: true }, meta: { owner: 'growth', key: doc.key, version: doc.version, content_hash: doc.content_hash, run_id: doc.created_from.run_id } },
        columns: [{ name: 'user_id', constraints: [{ type: 'not_null' }], data_tests: ['not_null', 'unique'] }],
      });
      expect(readFileSync(join(out, `${dbtModelName(doc.key)}_v${doc.version}.sql`), 'utf8')).toMatch(/^-- segmint[^\n]*\nWITH as_of AS/);
    }
  });

  it('dbt: data that reads as Jinja (an event named {{ 7*7 }}, a name with {# and {%) compiles back to the SQL and text segmint wrote', () => {
    const hostile = "{{ 7*7 }} {% if x %}{# note";
    const docs = readRuleset(ruleset).map((e) => e.doc);
    const doc = docs.find((d) => Object.values(d.features).some((f) => (f.meaning.kind === 'eventShare' || f.meaning.kind === 'eventCount') && f.meaning.events.type === 'event'));
    expect(doc, 'the sample promotes a rule over an event type').toBeDefined();
    const features = Object.fromEntries(
      Object.entries(doc!.features).map(([name, f]) => [
        name,
        (f.meaning.kind === 'eventShare' || f.meaning.kind === 'eventCount') && f.meaning.events.type === 'event' ? { ...f, meaning: { ...f.meaning, events: { ...f.meaning.events, event: hostile } } } : f,
      ]),
    );
    const edited: PromotedSegment = { ...doc!, name: `Heavy ${hostile} users`, owner: '{{ owner }}', features };
    const files = dbtProject([edited], 'postgres', null, {});
    const model = files.find((f) => f.name.endsWith('.sql'))!;
    const sql = segmentSelect(edited, 'postgres', null, {}, { ordered: false });
    expect(sql).toContain("'{{ 7*7 }} {% if x %}{# note'");
    expect(jinja.renderString(model.content, {})).toBe(`-- segmint promoted segment ${edited.key} v${edited.version} (${edited.content_hash})\n${sql}\n`);
    const schema = parse(jinja.renderString(files.find((f) => f.name === 'schema.yml')!.content, {}));
    expect(schema.models[0].description).toBe(`Heavy ${hostile} users: ${edited.rule.text}`);
    expect(schema.models[0].config.meta.owner).toBe('{{ owner }}');
  });

  it('posthog: person-property cohorts where PostHog can evaluate the rule, static cohorts with members where not', async () => {
    const out = join(dir, 'posthog');
    const r = await runCli(['rules', 'export', '--ruleset', ruleset, '--to', 'posthog', '--memberships', join(dir, 'apply', 'memberships.csv'), '--out', out]);
    expect(r.code).toBe(0);
    for (const { doc } of readRuleset(ruleset)) {
      const cohort = JSON.parse(readFileSync(join(out, `${doc.key}.cohort.json`), 'utf8'));
      const personOnly = Object.values(doc.features).every((f) => f.meaning.kind === 'attribute' && f.meaning.source === 'users');
      expect(cohort.is_static).toBe(!personOnly);
      if (personOnly) {
        expect(cohort.filters.properties.type).toBe('OR');
        expect(cohort.filters.properties.values[0].type).toBe('AND');
        expect(r.stdout).toContain(`${doc.key}: dynamic cohort`);
      } else {
        expect(r.stdout).toContain(`${doc.key}: static cohort`);
        expect(readCsv(join(out, `${doc.key}.static.csv`)).map((row) => row.distinct_id)).toEqual([...(members.get(doc.key) ?? [])]);
      }
    }
  });

  it('posthog: refuses a --memberships file that cannot hold these segments\' members, naming why, and writes nothing', async () => {
    // Outside check: a path typo exported cohorts without member lists, another ruleset's file
    // exported empty ones, and v1's members went out under v2's rule; each with exit code 0.
    const applied = readFileSync(join(dir, 'apply', 'memberships.csv'), 'utf8');
    const staticKey = readRuleset(ruleset)
      .map((e) => e.doc)
      .find((doc) => !Object.values(doc.features).every((f) => f.meaning.kind === 'attribute' && f.meaning.source === 'users'))!.key;
    const variants: [string, string, RegExp][] = [
      ['missing.csv', '', /--memberships \S*missing\.csv: no such file; nothing was exported/],
      ['apply', '', /--memberships \S*apply: it is a folder; give the memberships\.csv in it \(\S*apply\/memberships\.csv\)/],
      ['other.csv', 'user_id,segment,version\nu1,someone-elses-segment,1\n', /none of its 1 rows is a member of this ruleset's active segments/],
      ['stale.csv', applied.replace(new RegExp(`,${staticKey},1$`, 'm'), `,${staticKey},2`), new RegExp(`its members of ${staticKey} were selected by version 2, the ruleset's rule is version 1`)],
    ];
    for (const [name, content, message] of variants) {
      if (content !== '') writeFileSync(join(dir, name), content);
      const out = join(dir, `posthog-${name}`);
      const r = await runCli(['rules', 'export', '--ruleset', ruleset, '--to', 'posthog', '--memberships', join(dir, name), '--out', out]);
      expect(r.code).not.toBe(0);
      expect(r.stderr.trim().split('\n')[0]).toMatch(message);
      expect(existsSync(out)).toBe(false);
    }
  });

  it('refuses flags the target does not read, and table names no dialect has, before writing anything', async () => {
    // Outside check: --dialect with flagd and a four-part --events-table were accepted with exit 0.
    const cases: [string[], RegExp][] = [
      [['--to', 'flagd', '--dialect', 'postgres'], /^error: --dialect does nothing with --to flagd, which writes no SQL/],
      [['--to', 'posthog', '--events-table', 'analytics.events'], /^error: --events-table does nothing with --to posthog/],
      [['--to', 'sql', '--memberships', 'memberships.csv'], /^error: --memberships does nothing with --to sql/],
      [['--to', 'sql', '--events-table', 'a.b.c.d'], /^error: --events-table "a\.b\.c\.d" is not valid/],
      [['--to', 'dbt', '--users-table', 'analytics.us; DROP TABLE x'], /^error: --users-table .* is not valid/],
      [['--to', 'sql', '--events-table', 'source:segment.tracks'], /^error: --events-table "source:segment\.tracks" is not valid: .*source: and ref: name dbt relations, for --to dbt/],
      [['--to', 'dbt', '--events-table', 'source:tracks'], /^error: --events-table "source:tracks" is not valid: events-table must be source:NAME\.TABLE/],
      // A misspelt prefix is no schema name (outside check: "sorce:analytics"."tracks").
      [['--to', 'dbt', '--events-table', 'sorce:analytics.tracks'], /^error: --events-table "sorce:analytics\.tracks" is not valid: .*or for --to dbt source:NAME\.TABLE or ref:MODEL/],
    ];
    for (const [flags, message] of cases) {
      const out = join(dir, `refused-${flags.join('-').replace(/[^a-z]/g, '')}`);
      const r = await runCli(['rules', 'export', '--ruleset', ruleset, ...flags, '--out', out]);
      expect(r.code, flags.join(' ')).not.toBe(0);
      expect(r.stderr, flags.join(' ')).toMatch(message);
      expect(existsSync(out)).toBe(false);
    }
    // Three parts are a name (BigQuery's project.dataset.table, Snowflake's database.schema.table).
    const ok = await runCli(['rules', 'export', '--ruleset', ruleset, '--to', 'sql', '--dialect', 'bigquery', '--events-table', 'proj.analytics.events', '--out', join(dir, 'three-parts')]);
    expect(ok.code).toBe(0);
    const relations = await runCli(['rules', 'export', '--ruleset', ruleset, '--to', 'dbt', '--events-table', 'source:segment.tracks', '--users-table', 'ref:stg_users', '--out', join(dir, 'dbt-relations')]);
    expect(relations.code).toBe(0);
    const models = readdirSync(join(dir, 'dbt-relations')).filter((f) => f.endsWith('.sql'));
    expect(models.length).toBeGreaterThan(0);
    for (const f of models) expect(readFileSync(join(dir, 'dbt-relations', f), 'utf8')).toContain("{{ source('segment', 'tracks') }}");
  });
});

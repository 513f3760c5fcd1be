/**
 * `rules export` owns its --out folder: exporting again after a segment is retired removes that
 * segment's file (a dbt project would keep building it), and says so; files the export did not
 * write — never recorded, changed since, or named outside the folder — stay.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { exportRuleset } from '../../src/ruleset/export.js';
import { EXPORT_MANIFEST } from '../../src/ruleset/export/folder.js';
import { dbtModelName } from '../../src/ruleset/export/dbt.js';
import { shownPath } from '../../src/run/paths.js';
import { entries, runCli, tempDir } from '../helpers/cli.js';
import { attribute, promotedDoc, writeRuleset } from './docs.js';

const features = { attr_plan: attribute('plan', 'category') };
const gold = promotedDoc('gold-users-aaaaaa', [{ feature: 'attr_plan', op: '=', value: 'gold', label: "plan = 'gold'" }], features);
const free = promotedDoc('free-users-bbbbbb', [{ feature: 'attr_plan', op: '=', value: 'free', label: "plan = 'free'" }], features);

describe('rules export into a folder it exported to before', () => {
  let dir: string;
  let ruleset: string;
  let out: string;

  beforeEach(() => {
    dir = tempDir();
    ruleset = join(dir, 'ruleset');
    out = join(dir, 'out');
    writeRuleset(ruleset, [gold, free]);
  });

  const retireFree = () => writeRuleset(ruleset, [gold, { ...free, status: 'retired' }]);

  it('removes the retired segment\'s file, keeps files it never wrote, and reports the removal', async () => {
    exportRuleset({ ruleset, to: 'sql', out });
    writeFileSync(join(out, 'README.md'), 'ours\n');
    expect(entries(out)).toEqual([EXPORT_MANIFEST, 'README.md', `${free.key}.sql`, `${gold.key}.sql`]);

    retireFree();
    const r = await runCli(['rules', 'export', '--ruleset', ruleset, '--to', 'sql', '--out', out]);
    expect(r.code).toBe(0);
    expect(entries(out)).toEqual([EXPORT_MANIFEST, 'README.md', `${gold.key}.sql`]);
    expect(r.stdout).toBe(`${shownPath(join(out, `${gold.key}.sql`))}\nremoved ${shownPath(join(out, `${free.key}.sql`))}: no longer exported\n`);
  });

  it('dbt: a retired segment\'s model goes, schema.yml and the others stay', () => {
    exportRuleset({ ruleset, to: 'dbt', dialect: 'postgres', out });
    retireFree();
    const r = exportRuleset({ ruleset, to: 'dbt', dialect: 'postgres', out });
    expect(r.removed).toEqual([join(out, `${dbtModelName(free.key)}_v1.sql`)]);
    expect(entries(out)).toEqual([EXPORT_MANIFEST, 'schema.yml', `${dbtModelName(gold.key)}_v1.sql`]);
  });

  it('another target into the same folder replaces the earlier target\'s files', () => {
    exportRuleset({ ruleset, to: 'sql', out });
    const r = exportRuleset({ ruleset, to: 'flagd', out });
    expect(r.removed.map((p) => p.slice(out.length + 1)).sort()).toEqual([`${free.key}.sql`, `${gold.key}.sql`]);
    expect(entries(out)).toEqual([EXPORT_MANIFEST, 'flags.flagd.json']);
  });

  it('leaves a file changed since it was written in place, and says so', () => {
    exportRuleset({ ruleset, to: 'sql', out });
    const edited = join(out, `${free.key}.sql`);
    writeFileSync(edited, readFileSync(edited, 'utf8') + '-- kept by hand\n');
    retireFree();
    const r = exportRuleset({ ruleset, to: 'sql', out });
    expect(r.removed).toEqual([]);
    expect(existsSync(edited)).toBe(true);
    expect(r.notes).toEqual([`left ${shownPath(edited)} in place: no longer exported, but changed since segmint wrote it`]);
  });

  it('never removes a file outside the folder, whatever the record names', () => {
    exportRuleset({ ruleset, to: 'sql', out });
    const outside = join(dir, 'outside.sql');
    writeFileSync(outside, 'x');
    const manifest = JSON.parse(readFileSync(join(out, EXPORT_MANIFEST), 'utf8'));
    const hash = manifest.files[`${gold.key}.sql`];
    manifest.files = { ...manifest.files, '../outside.sql': hash, [outside]: hash };
    writeFileSync(outside, readFileSync(join(out, `${gold.key}.sql`)));
    writeFileSync(join(out, EXPORT_MANIFEST), JSON.stringify(manifest));
    retireFree();
    exportRuleset({ ruleset, to: 'sql', out });
    expect(existsSync(outside)).toBe(true);
  });

  it('a record it cannot read removes nothing, says so, and is rewritten', () => {
    exportRuleset({ ruleset, to: 'sql', out });
    writeFileSync(join(out, EXPORT_MANIFEST), '{ not json');
    retireFree();
    const r = exportRuleset({ ruleset, to: 'sql', out });
    expect(r.removed).toEqual([]);
    expect(r.notes).toEqual([`${shownPath(join(out, EXPORT_MANIFEST))} could not be read; no earlier files were removed`]);
    expect(entries(out)).toContain(`${free.key}.sql`);
    expect(JSON.parse(readFileSync(join(out, EXPORT_MANIFEST), 'utf8')).files).toEqual({ [`${gold.key}.sql`]: expect.stringMatching(/^sha256:/) });
  });
});

/**
 * `rules promote` of a rule that is already promoted: the rule is unchanged (same version), but
 * the name, owner and note given on the command line — outside the content hash — are written.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stableJson } from '../../src/run/json.js';
import type { RunDocuments } from '../../src/run/types.js';
import { readRuleset } from '../../src/ruleset/store.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { makeRunDocuments } from '../helpers/run-documents.js';

/** The fixture run as a folder; its inputs are gone, so promote keeps its rules as written. */
function runFolder(): string {
  const made = makeRunDocuments();
  const docs: RunDocuments = { ...made, manifest: { ...made.manifest, inputs: [{ path: join(tempDir(), 'gone.csv'), bytes: 1, sha256: '0'.repeat(64) }] } };
  const dir = tempDir();
  writeFileSync(join(dir, 'manifest.json'), stableJson(docs.manifest));
  writeFileSync(join(dir, 'segments.json'), stableJson(docs.segments));
  writeFileSync(join(dir, 'rules.json'), stableJson(docs.rules));
  return dir;
}

describe('promoting an unchanged rule again', () => {
  it('with a new --name and --owner: written in place, same version, and said so', async () => {
    const run = runFolder();
    const ruleset = join(tempDir(), 'ruleset');
    expect((await runCli(['rules', 'promote', run, '1', '--ruleset', ruleset, '--owner', 'growth', '--quiet'])).code).toBe(0);
    const [before] = readRuleset(ruleset);

    const r = await runCli(['rules', 'promote', run, '1', '--ruleset', ruleset, '--name', 'Lapsed trial users', '--owner', 'data-team', '--quiet']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`${before.doc.key}\\s+v1\\s+unchanged; name, owner updated \\(same version\\)`));
    const [after] = readRuleset(ruleset);
    expect(after.doc).toEqual({ ...before.doc, name: 'Lapsed trial users', owner: 'data-team' });

    // The same flags again: nothing to update, the file's bytes stay.
    const text = readFileSync(after.file, 'utf8');
    const again = await runCli(['rules', 'promote', run, '1', '--ruleset', ruleset, '--name', 'Lapsed trial users', '--owner', 'data-team', '--quiet']);
    expect(again.stdout).toMatch(new RegExp(`${before.doc.key}\\s+v1\\s+unchanged\\s`));
    expect(again.stdout).not.toContain('updated');
    expect(readFileSync(after.file, 'utf8')).toBe(text);
  });

  it('with a --note: kept with the unchanged version', async () => {
    const run = runFolder();
    const ruleset = join(tempDir(), 'ruleset');
    expect((await runCli(['rules', 'promote', run, '0', '--ruleset', ruleset, '--quiet'])).code).toBe(0);
    const r = await runCli(['rules', 'promote', run, '0', '--ruleset', ruleset, '--note', 'reviewed in Q4', '--quiet']);
    expect(r.stdout).toMatch(/\s+v1\s+unchanged; note updated \(same version\)/);
    const [entry] = readRuleset(ruleset);
    expect({ version: entry.doc.version, note: entry.doc.note, history: entry.doc.history }).toEqual({ version: 1, note: 'reviewed in Q4', history: [] });
  });

  it('an empty --name is refused in one line before any file is written (the ruleset schema needs a name)', async () => {
    const run = runFolder();
    const ruleset = join(tempDir(), 'ruleset');
    expect((await runCli(['rules', 'promote', run, '0', '--ruleset', ruleset, '--quiet'])).code).toBe(0);
    const text = readFileSync(readRuleset(ruleset)[0].file, 'utf8');
    for (const name of ['', '   ']) {
      const r = await runCli(['rules', 'promote', run, '0', '--ruleset', ruleset, '--name', name, '--quiet']);
      expect(r.code).not.toBe(0);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain('--name');
    }
    expect(readFileSync(readRuleset(ruleset)[0].file, 'utf8')).toBe(text);
  });
});

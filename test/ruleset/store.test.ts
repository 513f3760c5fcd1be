/**
 * The ruleset folder: atomic, optimistic writes (a file changed, created or removed since it was
 * read is never overwritten), a changed rule becomes the next version with the previous one kept
 * readable, and the as-of parser.
 */
import { existsSync, readFileSync, writeFileSync, readdirSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createContext } from '../../src/core/context.js';
import { isSegmintError } from '../../src/core/errors.js';
import { rulesetErrors } from '../../src/core/messages.js';
import { promote } from '../../src/ruleset/promote.js';
import { shownPath } from '../../src/run/paths.js';
import { runCli } from '../helpers/cli.js';
import { readRuleset, renderEntry, writeEntries } from '../../src/ruleset/store.js';
import { normalizeAsOf } from '../../src/ruleset/time.js';
import { makeRunDocuments } from '../helpers/run-documents.js';
import { tempDir } from '../helpers/tmp.js';
import type { RunDocuments } from '../../src/run/types.js';

/** A run whose inputs are gone: promote keeps the run's own metrics (no recomputation). */
function detached(docs: RunDocuments, runId: string): RunDocuments {
  return { ...docs, manifest: { ...docs.manifest, runId, inputs: [{ path: join(tempDir(), 'gone.csv'), bytes: 1, sha256: '0'.repeat(64) }] } };
}

async function expectCode(p: Promise<unknown> | (() => unknown), code: string): Promise<void> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    expect(isSegmintError(e) ? e.code : e).toBe(code);
    return;
  }
  throw new Error(`expected ${code}`);
}

describe('ruleset files', () => {
  const made = makeRunDocuments();
  // Every feature the fixture's rules use, with its meaning.
  const base: RunDocuments = {
    ...made,
    segments: {
      ...made.segments,
      model: {
        ...made.segments.model,
        meanings: {
          ...made.segments.model.meanings,
          share_dashboard_viewed: { kind: 'eventShare', events: { type: 'event', event: 'dashboard_viewed' } },
          days_since_last: { kind: 'daysSinceLastEvent' },
          share_report_created: { kind: 'eventShare', events: { type: 'event', event: 'report_created' } },
          plan: { kind: 'attribute', source: 'users', column: 'plan', type: 'category' },
        },
      },
    },
  };
  const ctx = createContext(1);

  it('a changed rule bumps the version, keeps the key and the previous version readable', async () => {
    const dir = tempDir();
    const docs = detached(base, 'run-a');
    const first = await promote(docs, { ruleset: dir, segments: ['0'] }, ctx);
    expect(first.outcomes[0]).toMatchObject({ action: 'new', version: 1 });
    expect(first.notes[0]).toMatch(/gone\.csv is gone/);
    const rule = docs.rules.rules[0];
    const changedRule = { ...rule, conditions: rule.conditions.map((c) => (c.op === '>=' || c.op === '<' ? { ...c, value: c.value + 1, label: c.label.replace(/\d+$/, String(c.value + 1)) } : c)) };
    const later = detached({ ...base, rules: { ...base.rules, rules: [changedRule, ...base.rules.rules.slice(1)] } }, 'run-b');
    const second = await promote(later, { ruleset: dir, segments: ['0'], note: 'threshold moved' }, ctx);
    expect(second.outcomes[0]).toMatchObject({ action: 'new version', version: 2, key: first.outcomes[0].key });
    const [entry] = readRuleset(dir);
    expect(entry.doc.version).toBe(2);
    expect(entry.doc.note).toBe('threshold moved');
    expect(entry.doc.created_from.run_id).toBe('run-b');
    expect(entry.doc.history.map((h) => [h.version, h.created_from.run_id])).toEqual([[1, 'run-a']]);
    expect(entry.doc.history[0].rule.conditions).toEqual(rule.conditions);
    expect(entry.doc.content_hash).not.toBe(entry.doc.history[0].content_hash);
    expect(readdirSync(dir)).toHaveLength(1);
  });

  it('refuses to overwrite a file changed, created or removed since it was read', async () => {
    const dir = tempDir();
    await promote(detached(base, 'run-a'), { ruleset: dir, segments: ['0'] }, ctx);
    const [entry] = readRuleset(dir);
    const edited = readFileSync(entry.file, 'utf8') + '# a reviewer was here\n';
    writeFileSync(entry.file, edited);
    await expectCode(() => writeEntries(dir, [{ file: entry.file, content: renderEntry(entry.doc), readHash: entry.readHash }]), 'E_RULESET_CONFLICT');
    expect(readFileSync(entry.file, 'utf8')).toBe(edited);
    await expectCode(() => writeEntries(dir, [{ file: entry.file, content: 'x', readHash: null }]), 'E_RULESET_CONFLICT');
    unlinkSync(entry.file);
    await expectCode(() => writeEntries(dir, [{ file: entry.file, content: 'x', readHash: entry.readHash }]), 'E_RULESET_CONFLICT');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('checks every planned file before writing any', async () => {
    const dir = tempDir();
    await promote(detached(base, 'run-a'), { ruleset: dir, segments: ['0', '1'] }, ctx);
    const [a, b] = readRuleset(dir);
    writeFileSync(b.file, readFileSync(b.file, 'utf8') + '\n');
    const aBefore = readFileSync(a.file, 'utf8');
    await expectCode(
      () =>
        writeEntries(dir, [
          { file: a.file, content: renderEntry({ ...a.doc, owner: 'x' }), readHash: a.readHash },
          { file: b.file, content: renderEntry({ ...b.doc, owner: 'x' }), readHash: b.readHash },
        ]),
      'E_RULESET_CONFLICT',
    );
    expect(readFileSync(a.file, 'utf8')).toBe(aBefore);
  });

  it('names an unknown segment with the ones there are', async () => {
    await expectCode(promote(detached(base, 'run-a'), { ruleset: tempDir(), segments: ['nope'] }, ctx), 'E_SEGMENT_NOT_FOUND');
  });
});

describe('rules edited by hand', () => {
  const ctx = createContext(1);
  const docs = makeRunDocuments();

  /** A ruleset with segment 0 promoted (as v1, or v2 after a moved threshold): its file and text. */
  async function promoted(versions: 1 | 2): Promise<{ dir: string; file: string; text: string }> {
    const dir = tempDir();
    await promote(detached(docs, 'run-a'), { ruleset: dir, segments: ['0'] }, ctx);
    if (versions === 2) {
      const rule = { ...docs.rules.rules[0], conditions: [{ feature: 'events', op: '>=' as const, value: 200, label: 'events ≥ 200' }] };
      await promote(detached({ ...docs, rules: { ...docs.rules, rules: [rule, ...docs.rules.rules.slice(1)] } }, 'run-b'), { ruleset: dir, segments: ['0'] }, ctx);
    }
    const [entry] = readRuleset(dir);
    return { dir, file: entry.file, text: readFileSync(entry.file, 'utf8') };
  }

  it('a threshold changed in the file, content_hash untouched: every read stops with one line naming the file', async () => {
    const { dir, file, text } = await promoted(1);
    const recorded = /^content_hash: (.*)$/m.exec(text)![1];
    const edited = text.replace(/^      value: 120$/m, '      value: 150');
    expect(edited).not.toBe(text);
    writeFileSync(file, edited);
    const expected = rulesetErrors.editedByHand(shownPath(file), recorded, null);
    expect(expected.oneLine()).toMatch(/its rule was edited by hand \(content_hash sha256:[0-9a-f]{64} no longer matches the rule\)/);
    await expectCode(() => readRuleset(dir), 'E_RULESET_EDITED');
    // apply stops before any work (the events file does not even exist) and writes nothing.
    const out = join(tempDir(), 'out');
    const apply = await runCli(['rules', 'apply', '--ruleset', dir, '--events', join(dir, 'no-such-events.csv'), '--out', out, '--quiet']);
    expect({ code: apply.code, stderr: apply.stderr }).toEqual({ code: 1, stderr: `${expected.oneLine()}\n` });
    expect(existsSync(out)).toBe(false);
    // Re-promoting the run's segment does not call it unchanged, and leaves the file as it was.
    await expectCode(promote(detached(docs, 'run-a'), { ruleset: dir, segments: ['0'] }, ctx), 'E_RULESET_EDITED');
    expect(readFileSync(file, 'utf8')).toBe(edited);
    // Restored, it reads again.
    writeFileSync(file, text);
    expect(readRuleset(dir)[0].doc.rule.conditions[0].value).toBe(120);
  });

  it('an earlier version edited in history names that version', async () => {
    const { dir, file, text } = await promoted(2);
    const recorded = readRuleset(dir)[0].doc.history[0].content_hash;
    const edited = text.replace(/^( +)value: 120$/m, '$1value: 130');
    expect(edited).not.toBe(text);
    writeFileSync(file, edited);
    const r = await runCli(['rules', 'list', '--ruleset', dir]);
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 1, stderr: `${rulesetErrors.editedByHand(shownPath(file), recorded, 1).oneLine()}\n` });
  });

  it('the rule text, version, metrics or provenance edited by hand: every read stops with one line; an older file without record_hash reads', async () => {
    // Outside check: "≥ 100" written into the text and a label over a condition of ≥ 1, and the
    // version raised to 7, were listed, applied and exported under the false text and version.
    const { dir, file, text } = await promoted(1);
    const recorded = /^record_hash: (.*)$/m.exec(text)![1];
    const edits: [string, (t: string) => string][] = [
      ['text', (t) => t.replace(/^  text: .*$/m, '  text: events ≥ 100')],
      ['version', (t) => t.replace(/^version: 1$/m, 'version: 7')],
      ['metrics', (t) => t.replace(/^  precision: .*$/m, '  precision: 0.99')],
      ['provenance', (t) => t.replace(/^  run_id: run-a$/m, '  run_id: run-z')],
    ];
    for (const [what, edit] of edits) {
      const edited = edit(text);
      expect(edited, what).not.toBe(text);
      writeFileSync(file, edited);
      const r = await runCli(['rules', 'list', '--ruleset', dir]);
      expect({ code: r.code, stderr: r.stderr }, what).toEqual({ code: 1, stderr: `${rulesetErrors.recordEditedByHand(shownPath(file), recorded).oneLine()}\n` });
    }
    // A label may be reworded, but must still end with its condition's threshold.
    writeFileSync(file, text.replace(/^( +)label: events ≥ 120$/m, '$1label: number of events ≥ 120'));
    expect(readRuleset(dir)[0].doc.rule.conditions[0].label).toBe('number of events ≥ 120');
    writeFileSync(file, text.replace(/^( +)label: events ≥ 120$/m, '$1label: events ≥ 100'));
    const lie = await runCli(['rules', 'list', '--ruleset', dir]);
    expect(lie.code).toBe(1);
    expect(lie.stderr).toContain('the label \"events ≥ 100\" does not end with its condition\'s \"≥ 120\"');
    // Written before record_hash was: read as before.
    writeFileSync(file, text.replace(/^record_hash: .*\n/m, '').replace(/^version: 1$/m, 'version: 7'));
    expect(readRuleset(dir)[0].doc.version).toBe(7);
  });

  it('name, owner, status, note, description and labels are outside the hash: edited by hand, the file reads', async () => {
    const { dir, file, text } = await promoted(1);
    const edited = text
      .replace(/^name: .*$/m, 'name: Renamed by hand')
      .replace(/^owner: null$/m, 'owner: data-team')
      .replace(/^status: active$/m, 'status: paused')
      .replace(/^note: null$/m, 'note: reviewed')
      .replace(/^description: .*$/m, 'description: edited')
      .replace(/^      label: events$/m, '      label: number of events');
    writeFileSync(file, edited);
    const [entry] = readRuleset(dir);
    expect(entry.doc).toMatchObject({ name: 'Renamed by hand', owner: 'data-team', status: 'paused', note: 'reviewed', description: 'edited' });
  });
});

describe('as-of times', () => {
  it.each([
    ['2026-10-31', '2026-10-31 23:59:59.999999'],
    ['2026-10-31T12:00:00Z', '2026-10-31 12:00:00.000000'],
    ['2026-10-31T14:00:00+02:00', '2026-10-31 12:00:00.000000'],
    ['2026-10-31 01:02:03.1234567', '2026-10-31 01:02:03.123456'],
    ['2026-10-31T00:30-01:00', '2026-10-31 01:30:00.000000'],
  ])('%s → %s', (given, want) => expect(normalizeAsOf(given)).toBe(want));

  it.each(['yesterday', '2026-02-30', '2026-10-31T25:00:00Z', ''])('refuses %j', async (bad) => {
    await expectCode(() => normalizeAsOf(bad), 'E_BAD_FLAG');
  });
});

describe('readRuleset: a --ruleset that is a file', () => {
  it('says a ruleset is a folder, not that the file needs fixing by hand', () => {
    // Outside check: --ruleset events.csv got the hint "fix the file by hand …".
    const file = join(tempDir(), 'events.csv');
    writeFileSync(file, 'user_id,event,timestamp\n');
    expect(() => readRuleset(file)).toThrow(rulesetErrors.notAFolder(shownPath(file)).message);
    try {
      readRuleset(file);
    } catch (e) {
      expect(isSegmintError(e) && e.hint).toMatch(/give the folder the promoted segments are in/);
    }
  });
});

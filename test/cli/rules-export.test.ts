/** `segmint rules export` on the command line: the flags every command takes. */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createContext } from '../../src/core/context.js';
import { promote } from '../../src/ruleset/promote.js';
import { makeRunDocuments } from '../helpers/run-documents.js';
import { runCli, tempDir } from '../helpers/cli.js';

describe('rules export', () => {
  it('takes --quiet like run, apply, promote and assign (exit 0, nothing on stderr, the same files)', async () => {
    const made = makeRunDocuments();
    // Inputs gone: promote keeps the run's rules as they are, without recomputing them.
    const docs = { ...made, manifest: { ...made.manifest, inputs: [{ path: join(tempDir(), 'gone.csv'), bytes: 1, sha256: '0'.repeat(64) }] } };
    const ruleset = join(tempDir(), 'ruleset');
    await promote(docs, { ruleset, segments: ['0'] }, createContext(1));
    const plain = await runCli(['rules', 'export', '--ruleset', ruleset, '--to', 'sql', '--out', join(ruleset, '..', 'plain')]);
    expect(plain.code).toBe(0);
    const quiet = await runCli(['rules', 'export', '--ruleset', ruleset, '--to', 'sql', '--out', join(ruleset, '..', 'quiet'), '--quiet']);
    expect({ code: quiet.code, stderr: quiet.stderr }).toEqual({ code: 0, stderr: '' });
    expect(readdirSync(join(ruleset, '..', 'quiet'))).toEqual(readdirSync(join(ruleset, '..', 'plain')));
  });
});

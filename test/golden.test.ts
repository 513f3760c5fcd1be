/**
 * The bundled sample's results, compared with the reviewed golden outputs (test/golden/sample/).
 * A failure here means results changed: if intended, run `npm run golden` and explain the diff.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { GOLDEN_DIR, GOLDEN_FILES, sampleGoldens, type GoldenFile } from './helpers/golden.js';

describe('golden outputs of the bundled sample', () => {
  let actual: Record<GoldenFile, string>;
  beforeAll(async () => {
    actual = await sampleGoldens();
  });

  it.each(GOLDEN_FILES)('%s matches test/golden/sample (regenerate with npm run golden)', (name) => {
    expect(actual[name]).toBe(readFileSync(join(GOLDEN_DIR, name), 'utf8'));
  });
});

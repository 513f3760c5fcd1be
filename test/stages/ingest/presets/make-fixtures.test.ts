/** The committed preset fixtures are exactly what make-fixtures.ts builds (run it after editing). */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { buildFixtures, encode, FIXTURE_DIR } from '../../../fixtures/presets/make-fixtures.js';

describe('preset fixtures', () => {
  const built = buildFixtures();

  it.each(Object.keys(built))('%s matches its generator', (file) => {
    const bytes = readFileSync(path.join(FIXTURE_DIR, file));
    const text = file.endsWith('.gz') ? gunzipSync(bytes).toString('utf8') : bytes.toString('utf8');
    expect(text, 'regenerate: npx tsx test/fixtures/presets/make-fixtures.ts').toBe(built[file]);
  });

  it('gzip output is reproducible (no timestamp in the header)', () => {
    const [file] = Object.keys(built).filter((f) => f.endsWith('.gz'));
    expect(encode(file, built[file]).equals(encode(file, built[file]))).toBe(true);
    expect(encode(file, built[file]).readUInt32LE(4)).toBe(0); // MTIME field
  });
});

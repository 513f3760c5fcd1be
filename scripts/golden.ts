/**
 * Rewrites the golden outputs of the bundled sample (test/golden/sample/). Run it when a change
 * to results is intended, and review the diff it makes like any other change.
 *
 *   npm run golden
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GOLDEN_DIR, GOLDEN_FILES, sampleGoldens } from '../test/helpers/golden.js';

const files = await sampleGoldens();
mkdirSync(GOLDEN_DIR, { recursive: true });
for (const name of GOLDEN_FILES) writeFileSync(join(GOLDEN_DIR, name), files[name]);
console.log(`wrote ${GOLDEN_FILES.join(', ')} to ${GOLDEN_DIR}`);

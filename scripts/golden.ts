/**
 * Rewrites the golden outputs of the bundled sample (test/golden/sample/), then the golden SQL
 * rendered from them for every dialect (test/golden/sql/<dialect>/). Run it when a change to
 * results or to a rendering is intended, and review the diff it makes like any other change.
 *
 *   npm run golden
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { GOLDEN_DIR, GOLDEN_FILES, sampleGoldens } from '../test/helpers/golden.js';
import { SQL_GOLDEN_DIR, sqlGoldens } from '../test/ruleset/dialects-golden.js';

// 1. The sample run.
const files = await sampleGoldens();
mkdirSync(GOLDEN_DIR, { recursive: true });
for (const name of GOLDEN_FILES) writeFileSync(join(GOLDEN_DIR, name), files[name]);
console.log(`wrote ${GOLDEN_FILES.join(', ')} to ${GOLDEN_DIR}`);

// 2. Its SQL per dialect, read back from the files just written (the folder is rewritten whole,
//    so a segment or dialect that went away leaves no stale file).
const sql = sqlGoldens();
rmSync(SQL_GOLDEN_DIR, { recursive: true, force: true });
for (const [path, text] of sql) {
  mkdirSync(dirname(join(SQL_GOLDEN_DIR, path)), { recursive: true });
  writeFileSync(join(SQL_GOLDEN_DIR, path), text);
}
console.log(`wrote ${sql.size} SQL files to ${SQL_GOLDEN_DIR}`);

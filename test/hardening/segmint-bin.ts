// The same launcher as bin/segmint.js, over src/ instead of dist/ (spawned with `node --import tsx`),
// so the hardening tests exercise the working tree without depending on a fresh build.
import { main } from '../../src/cli/main.js';

process.exitCode = await main(process.argv.slice(2));

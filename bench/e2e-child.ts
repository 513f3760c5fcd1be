/**
 * One end-to-end run in its own process, so its peak resident memory is its own. Prints one
 * JSON line: per-stage timings, users, events and maxRSS. Used by bench/e2e.ts.
 */
import { resolveConfig } from '../src/config/resolve.js';
import { createContext } from '../src/core/context.js';
import { runPipeline } from '../src/pipeline.js';

const [dataDir, outDir] = process.argv.slice(2);
const config = resolveConfig(
  {
    inputs: {
      events: { path: `${dataDir}/events.csv.gz` },
      users: { path: `${dataDir}/users.csv`, key: 'user_id', account_key: 'account_id' },
      accounts: { path: `${dataDir}/accounts.csv`, key: 'account_id', exclude: ['name'] },
    },
    output: { dir: outDir },
  },
  { file: 'bench', baseDir: process.cwd(), source: null },
);
const t0 = performance.now();
const outcome = await runPipeline(config, createContext(config.seed));
const totalMs = performance.now() - t0;
const events = outcome.documents.manifest.accounting.find((a) => a.role === 'events');
process.stdout.write(
  JSON.stringify({
    users: outcome.documents.segments.users,
    eventsRead: events?.read ?? 0,
    k: outcome.documents.segments.k,
    timings: outcome.documents.manifest.timings,
    totalMs: Math.round(totalMs),
    maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  }) + '\n',
);

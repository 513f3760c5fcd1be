/**
 * One ingest measurement in its own process, so its peak resident memory is its own. Prints one
 * JSON line: rows, milliseconds, peak RSS. Used by bench/ingest.ts.
 *
 *   node --import tsx bench/ingest-child.ts segmint FILE     # segmint's ingest stage on FILE
 *   node --import tsx bench/ingest-child.ts papaparse FILE   # papaparse streaming the CSV FILE
 */
import { createReadStream } from 'node:fs';
import Papa from 'papaparse';
import { resolveConfig } from '../src/config/resolve.js';
import { createContext } from '../src/core/context.js';
import { openDb } from '../src/core/duckdb.js';
import { ingest } from '../src/stages/ingest/index.js';

const [engine, file] = process.argv.slice(2);

async function segmint(): Promise<{ rows: number; read: number }> {
  const config = resolveConfig({ inputs: { events: { path: file } } }, { file: 'bench', baseDir: process.cwd(), source: null });
  const db = await openDb();
  try {
    const result = await ingest(db, config, createContext(config.seed));
    const events = result.accounting.find((a) => a.role === 'events')!;
    return { rows: result.events?.rows ?? 0, read: events.read };
  } finally {
    db.close();
  }
}

/** Streams the file through Papa.parse with a header row, counting rows chunk by chunk. */
function papaparse(): Promise<{ rows: number; read: number }> {
  return new Promise((resolve, reject) => {
    let rows = 0;
    Papa.parse<Record<string, string>>(createReadStream(file), {
      header: true,
      skipEmptyLines: true,
      chunk: (results) => {
        rows += results.data.length;
      },
      complete: () => resolve({ rows, read: rows }),
      error: (e) => reject(e),
    });
  });
}

const t0 = performance.now();
const counted = engine === 'segmint' ? await segmint() : await papaparse();
const ms = performance.now() - t0;
process.stdout.write(
  JSON.stringify({ engine, file, ...counted, ms: Math.round(ms), maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024) }) + '\n',
);

/**
 * Deterministic generator of segmint's bundled sample: a synthetic B2B SaaS (BI / dashboard
 * tool) usage log with six planted personas. See README.md beside this file.
 *
 *   node --import tsx data/sample/generate.ts                 # regenerate data/sample/ byte for byte
 *   node --import tsx data/sample/generate.ts --users 100000 --accounts 12000 --out /tmp/big
 *
 * 1. accounts, 2. users (persona, account, attributes), 3. per-user activity plan,
 * 4. events streamed day by day into a gzip file, sorted by timestamp then event_id.
 */
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { constants, createGzip } from 'node:zlib';
import Papa from 'papaparse';
import { createRng } from '../../src/core/rng.js';
import { ACCOUNT_COLUMNS, accountRow, makeAccounts } from './accounts.js';
import { emitDay, planBehaviour, type Behaviour } from './behaviour.js';
import { DAY, makeWindow, timestampFormatter, type Window } from './calendar.js';
import { EVENT_TYPES } from './personas.js';
import { USER_COLUMNS, makeUsers, userRow } from './users.js';

export interface SampleOptions {
  users: number;
  accounts: number;
  days: number;
  /** Last instant of the window, ISO 8601 (e.g. 2026-10-31T23:59:59Z). */
  end: string;
  seed: number;
  outDir: string;
}

export interface SampleSummary {
  events: number;
  users: number;
  accounts: number;
}

/** The committed sample's settings (`npm run sample`). */
export const DEFAULT_SAMPLE: Omit<SampleOptions, 'outDir'> = {
  users: 5000,
  accounts: 600,
  days: 90,
  end: '2026-10-31T23:59:59Z',
  seed: 20261031,
};

/** Fixed so the gzip bytes never depend on zlib's defaults. */
const GZIP_OPTIONS = { level: 6, memLevel: 8, windowBits: 15, strategy: constants.Z_DEFAULT_STRATEGY };

/** The CSV dialect of every file: comma, LF, quotes only where needed. */
function toCsv(fields: readonly string[], rows: (string | number)[][]): string {
  return Papa.unparse({ fields: [...fields], data: rows }, { newline: '\n' }) + '\n';
}

/**
 * Generate the sample into `outDir`: events.csv.gz, users.csv, accounts.csv, ground-truth.csv.
 * Same options ⇒ byte-identical files. Events are streamed, so memory stays bounded by a few
 * days of events even for 100,000 users.
 *
 * @example
 * const { events } = await generateSample({ ...DEFAULT_SAMPLE, outDir: 'data/sample' });
 */
export async function generateSample(options: SampleOptions): Promise<SampleSummary> {
  const { users: userCount, accounts: accountCount, days, end, seed, outDir } = options;
  if (!Number.isInteger(userCount) || userCount < 1) throw new Error(`sample: users must be a positive integer, got ${userCount}`);
  if (!Number.isInteger(accountCount) || accountCount < 1) throw new Error(`sample: accounts must be a positive integer, got ${accountCount}`);
  const window = makeWindow(end, days);
  mkdirSync(outDir, { recursive: true });

  // Independent streams per part, so e.g. changing how accounts are drawn does not reshuffle users.
  const root = createRng(seed);
  const accountRng = root.fork();
  const userRng = root.fork();
  const planRoot = root.fork();
  const detailRoot = root.fork();

  // 1. Accounts
  const accounts = makeAccounts(accountCount, window, accountRng);
  // 2. Users
  const users = makeUsers(userCount, accounts, window, userRng);
  writeFileSync(join(outDir, 'accounts.csv'), toCsv(ACCOUNT_COLUMNS, accounts.map(accountRow)));
  writeFileSync(join(outDir, 'users.csv'), toCsv(USER_COLUMNS, users.map(userRow)));
  writeFileSync(join(outDir, 'ground-truth.csv'), toCsv(['user_id', 'persona'], users.map((u) => [u.id, u.persona.name])));

  // 3. Activity plans
  const behaviours = users.map((u) => planBehaviour(u, window, planRoot.fork(), detailRoot.fork()));

  // 4. Events
  let events = 0;
  const chunks = eventChunks(behaviours, window, (n) => (events = n));
  await pipeline(
    Readable.from(chunks),
    createGzip(GZIP_OPTIONS),
    portableGzipHeader(),
    createWriteStream(join(outDir, 'events.csv.gz')),
  );
  return { events, users: users.length, accounts: accounts.length };
}

interface PendingEvent {
  readonly sec: number;
  /** Emission order: the tie-break within a second, itself deterministic. */
  readonly seq: number;
  readonly user: number;
  readonly event: number;
}

/**
 * CSV text of the events, one chunk per UTC day, in (timestamp, event_id) order. Users are
 * walked one local day at a time; local day d can only produce UTC days d-1…d+1, so once it is
 * done every UTC day before d is final and can be sorted, numbered and written.
 */
async function* eventChunks(behaviours: readonly Behaviour[], window: Window, done: (events: number) => void): AsyncGenerator<Buffer> {
  const buckets = new Map<number, PendingEvent[]>();
  const ids = behaviours.map((b) => b.user.id);
  const stamp = timestampFormatter();
  let seq = 0;
  let written = 0;

  const flush = (day: number): Buffer => {
    const list = buckets.get(day) ?? [];
    buckets.delete(day);
    list.sort((a, b) => a.sec - b.sec || a.seq - b.seq);
    const rows = list.map((e) => [eventId(++written), ids[e.user], EVENT_TYPES[e.event], stamp(e.sec)]);
    return Buffer.from(rows.length > 0 ? Papa.unparse(rows, { newline: '\n' }) + '\n' : '');
  };

  yield Buffer.from('event_id,user_id,event,timestamp\n');
  for (let d = 0; d < window.days; d++) {
    for (const b of behaviours) {
      emitDay(b, window, d, (sec, event) => {
        // Keep the window exact: early-morning sessions east of UTC on day 0 fall before it.
        if (sec < window.startSec || sec > window.endSec) return;
        const utcDay = Math.floor((sec - window.startSec) / DAY);
        let list = buckets.get(utcDay);
        if (!list) buckets.set(utcDay, (list = []));
        list.push({ sec, seq: seq++, user: b.user.index, event });
      });
    }
    if (d >= 1) yield flush(d - 1);
  }
  yield flush(window.days - 1);
  if (buckets.size > 0) throw new Error('sample: events left unwritten'); // cannot happen: the window filter bounds the days
  done(written);
}

function eventId(n: number): string {
  // Fixed width keeps string order equal to numeric order up to 10^9 events.
  return 'e' + String(n).padStart(9, '0');
}

/**
 * zlib stamps the gzip header with the OS it was built for (3 on Linux, 19 on macOS, 10 on
 * Windows); pin it to 3 so the committed file is byte-identical wherever it is regenerated.
 * (The mtime field is already zero: Node's gzip never sets it.)
 */
function portableGzipHeader(): Transform {
  let offset = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, callback) {
      if (offset <= 9 && offset + chunk.length > 9) {
        chunk = Buffer.from(chunk);
        chunk[9 - offset] = 3;
      }
      offset += chunk.length;
      callback(null, chunk);
    },
  });
}

async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      users: { type: 'string' },
      accounts: { type: 'string' },
      days: { type: 'string' },
      end: { type: 'string' },
      seed: { type: 'string' },
      out: { type: 'string' },
    },
  });
  const num = (v: string | undefined, fallback: number): number => (v === undefined ? fallback : Number(v));
  const options: SampleOptions = {
    users: num(values.users, DEFAULT_SAMPLE.users),
    accounts: num(values.accounts, DEFAULT_SAMPLE.accounts),
    days: num(values.days, DEFAULT_SAMPLE.days),
    end: values.end ?? DEFAULT_SAMPLE.end,
    seed: num(values.seed, DEFAULT_SAMPLE.seed),
    outDir: resolve(values.out ?? dirname(fileURLToPath(import.meta.url))),
  };
  const started = Date.now();
  const summary = await generateSample(options);
  process.stdout.write(
    `${summary.events} events, ${summary.users} users, ${summary.accounts} accounts → ${options.outDir} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`,
  );
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
}

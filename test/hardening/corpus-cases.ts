/**
 * The corpus's cases, as a table (run by corpus.test.ts). Each case writes its inputs into its
 * own temporary folder, returns the command line, and says how it must end: `ok` (a finished,
 * accounted run), `fail` (one line naming `names`) or `either`.
 */
import { expect } from 'vitest';
import { chmodSync, cpSync, mkdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Manifest } from '../../src/run/types.js';
import { runCli } from '../helpers/cli.js';
import { eventLog, expectOneLineFailure, toCsv, toJsonl, usersTable, type EventRow } from './helpers.js';

export interface Fixtures {
  dir: string;
  eventsCsv: string;
  eventsParquet: string;
  /** A folder holding one finished run (`goodRunId`), to copy and tamper with. */
  goodRunsDir: string;
  goodRunId: string;
}

export interface CaseContext {
  readonly dir: string;
  /** The case's `--out` (not created). */
  readonly out: string;
  readonly fixtures: Fixtures;
  write(name: string, content: string | Buffer): string;
}

export interface CaseResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CorpusCase {
  readonly name: string;
  readonly expect: 'ok' | 'fail' | 'either';
  /** What the one-line failure must name (the file, column or value). */
  readonly names?: RegExp;
  /** Run as a child process rather than in-process. */
  readonly spawn?: boolean;
  setup(ctx: CaseContext): string[] | Promise<string[]>;
  /** On success: exactly these users are assigned (formula guard removed). */
  readonly users?: readonly string[];
  /** On success: further checks of the run. */
  onRun?(runDir: string, manifest: Manifest): void | Promise<void>;
  /** Replaces the standard checks (commands other than `run` with their own contract). */
  custom?(result: CaseResult, ctx: CaseContext): void;
  /** The case tampers with `--out` itself (what is in it before is not the case's). */
  readonly outIsHostile?: boolean;
  cleanup?(ctx: CaseContext): void;
}

// ---------------------------------------------------------------------------------------------
// Builders

const run = (ctx: CaseContext, ...args: string[]): string[] => ['run', ...args, '--out', ctx.out, '--quiet'];
const usersOf = (rows: readonly EventRow[]) => [...new Set(rows.map((r) => r.user_id))];
const accountingOf = (m: Manifest, role: 'events' | 'users' | 'accounts') => {
  const a = m.accounting.find((x) => x.role === role);
  expect(a, `${role} accounting`).toBeDefined();
  return a!;
};
const base = eventLog();
const BASE_USERS = usersOf(base);
const csv = (rows: readonly Record<string, string>[]) => toCsv(rows);
const withRow = (extra: Partial<EventRow>, at = 5): EventRow[] => [...base.slice(0, at), { ...base[at], ...extra } as EventRow, ...base.slice(at + 1)];

/** An events file with `content`, run with defaults; its basename is what a failure must name. */
function eventsCase(name: string, expectation: CorpusCase['expect'], file: string, content: () => string | Buffer, extra: Partial<CorpusCase> = {}): CorpusCase {
  const escaped = file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return {
    name,
    expect: expectation,
    names: new RegExp(escaped),
    setup: (ctx) => run(ctx, '--events', ctx.write(file, content())),
    ...extra,
  };
}

/** A run whose events carry `value` as one group's event name and as some users' ids. */
function hostileCase(name: string, value: string, extra: Partial<CorpusCase> = {}, inUserIds = true): CorpusCase {
  const rows = eventLog({ groupEvent: (g) => (g === 0 ? value : `edit${g}`), userId: (u) => (inUserIds && u % 4 === 0 ? `${value}${u}` : `u${u}`) });
  return {
    name,
    expect: 'ok',
    users: usersOf(rows),
    setup: (ctx) => run(ctx, '--events', ctx.write('events.csv', csv(rows))),
    ...extra,
  };
}

/** An attribute-only run whose `plan` categories are `value`s, so rules compare them as literals. */
function hostileAttributeCase(name: string, values: readonly [string, string, string]): CorpusCase {
  const rows = usersTable(90, (g) => values[g]);
  return {
    name,
    expect: 'ok',
    users: rows.map((r) => r.user_id),
    setup: (ctx) => run(ctx, '--users', ctx.write('users.csv', csv(rows))),
  };
}

function utf16(text: string, endian: 'le' | 'be'): Buffer {
  const body = Buffer.from(text, 'utf16le');
  if (endian === 'be') body.swap16();
  return Buffer.concat([Buffer.from(endian === 'le' ? [0xff, 0xfe] : [0xfe, 0xff]), body]);
}

const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]),
  Buffer.from('IHDR'),
  Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0, 0x1f, 0x15, 0xc4, 0x89, 0, 0, 0, 0]),
  Buffer.from('IEND'),
  Buffer.from([0xae, 0x42, 0x60, 0x82]),
]);

/** The first bytes of an .xlsx (a zip whose first entry is [Content_Types].xml), then junk. */
const XLSX = Buffer.concat([
  Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0x06, 0, 0x08, 0, 0, 0, 0x21, 0]),
  Buffer.alloc(12, 0x11),
  Buffer.from([19, 0, 0, 0]),
  Buffer.from('[Content_Types].xml'),
  Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 37) % 256)),
]);

/** A copy of the fixture run in the case's folder; returns its path. */
function copyRun(ctx: CaseContext): string {
  const to = join(ctx.dir, 'runs', ctx.fixtures.goodRunId);
  cpSync(join(ctx.fixtures.goodRunsDir, ctx.fixtures.goodRunId), to, { recursive: true });
  return to;
}

/** `command` over a copy of the fixture run after `tamper`; it must fail naming `names`. */
function tamperedRunCase(name: string, command: (runDir: string, ctx: CaseContext) => string[], tamper: (runDir: string) => void, names: RegExp): CorpusCase {
  return {
    name,
    expect: 'fail',
    names,
    setup: (ctx) => {
      const runDir = copyRun(ctx);
      tamper(runDir);
      return command(runDir, ctx);
    },
  };
}

const truncate = (file: string, keep = 0.5) => {
  const text = readFileSync(file);
  writeFileSync(file, text.subarray(0, Math.floor(text.length * keep)));
};
const editJson = (file: string, edit: (doc: Record<string, unknown>) => void) => {
  const doc = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  edit(doc);
  writeFileSync(file, JSON.stringify(doc));
};

/** A config YAML (inputs pointing at the fixture events) with `body` after it. */
function configCase(name: string, body: string, names: RegExp, expectation: CorpusCase['expect'] = 'fail'): CorpusCase {
  return {
    name,
    expect: expectation,
    names,
    setup: (ctx) => {
      const yaml = ctx.write('job.yaml', `inputs:\n  events:\n    path: ${ctx.fixtures.eventsCsv}\n${body}`);
      return run(ctx, '--config', yaml);
    },
  };
}

const kFlag = (value: string, names: RegExp): CorpusCase => ({
  name: `--k ${value}`,
  expect: 'fail',
  names,
  spawn: true,
  setup: (ctx) => ['run', '--events', ctx.fixtures.eventsCsv, '--k', value, '--out', ctx.out, '--quiet'],
});

// ---------------------------------------------------------------------------------------------
// The cases

const SQL_INJECTION = "x\\'; DROP TABLE features; --";
const FORMULA = "=cmd|' /C calc'!A0";

export const CASES: readonly CorpusCase[] = [
  // Hostile values: data, never code, in every output.
  hostileCase('SQL injection with a backslash-escaped quote', SQL_INJECTION),
  hostileCase('double and single quotes', `it's "quoted"`),
  hostileCase('a backslash at the end', 'path\\'),
  hostileCase('a NUL character', 'nul\u0000byte', { spawn: true }),
  hostileCase('bidi override U+202E', 'abc\u202Egnp.exe'),
  hostileCase('bidi isolate U+2066', '\u2066isolated\u2069'),
  hostileCase('a newline inside a quoted field', 'two\nlines'),
  hostileCase('a CR LF inside a quoted field', 'two\r\nlines'),
  hostileCase('a formula =cmd', FORMULA),
  hostileCase('a formula starting with +', '+1+2'),
  hostileCase('a formula starting with -', '-2+3'),
  hostileCase('a formula starting with @', '@SUM(A1)'),
  hostileCase('a tab then a formula', '\t=1+1'),
  hostileCase('an HTML script tag', '<script>alert(1)</script>'),
  hostileCase('an HTML element with an event handler', '<img src=x onerror=alert(1)>'),
  hostileCase('a markdown table breaker', '| pipe | ` tick ` [link](javascript:alert(1))'),
  hostileCase('a long event name (900 characters)', 'e'.repeat(900), {}, false),
  // Values past the 1,000-character limit are rejected rows (here too many: one line names them).
  hostileCase('a very long event name (10,000 characters)', 'e'.repeat(10_000), { expect: 'either', names: /events\.csv.*event/ }, false),
  hostileAttributeCase('attribute categories with quotes and a backslash', [SQL_INJECTION, `a'b"c`, 'back\\slash']),
  hostileAttributeCase('attribute categories with bidi and control characters', ['x\u202Ey', '\u2066iso\u2069', 'tab\there']),
  hostileAttributeCase('attribute categories that are formulas and HTML', [FORMULA, '@import', '<script>x</script>']),

  // Encodings and line endings.
  eventsCase('UTF-8 with a BOM', 'ok', 'bom.csv', () => '\ufeff' + csv(base), { spawn: true, users: BASE_USERS }),
  eventsCase('UTF-16 LE with a BOM', 'either', 'utf16le.csv', () => utf16(csv(base), 'le'), { spawn: true, users: BASE_USERS }),
  eventsCase('UTF-16 BE with a BOM', 'either', 'utf16be.csv', () => utf16(csv(base), 'be'), { spawn: true, users: BASE_USERS }),
  eventsCase('Latin-1 bytes in a value', 'either', 'latin1.csv', () => Buffer.from(csv(withRow({ event: 'caf\u00e9' })), 'latin1')),
  eventsCase('CRLF line endings', 'ok', 'crlf.csv', () => toCsv(base, { eol: '\r\n' }), {
    users: BASE_USERS,
    onRun: (_, m) => expect(accountingOf(m, 'events').used).toBe(base.length),
  }),
  eventsCase('mixed CRLF and LF', 'ok', 'mixed.csv', () => csv(base).split('\n').map((l, i) => (i % 2 ? `${l}\r` : l)).join('\n'), {
    users: BASE_USERS,
    onRun: (runDir, m) => {
      expect(accountingOf(m, 'events').used).toBe(base.length);
      expect(readFileSync(join(runDir, 'segments.json'), 'utf8')).not.toMatch(/\\r/);
    },
  }),
  eventsCase('old Mac CR line endings', 'either', 'cr.csv', () => toCsv(base, { eol: '\r' }), { users: BASE_USERS }),
  eventsCase('a very long line (a 2 MB value)', 'either', 'long.csv', () => csv(withRow({ event: 'x'.repeat(2_000_000) })), { spawn: true }),
  eventsCase('no final newline', 'ok', 'nofinal.csv', () => csv(base).trimEnd(), { users: BASE_USERS }),
  eventsCase('blank lines between rows', 'ok', 'blank.csv', () => csv(base).replace(/\n/g, '\n\n'), { users: BASE_USERS }),

  // Empty and malformed files.
  eventsCase('an empty file', 'fail', 'empty.csv', () => ''),
  eventsCase('only a header', 'fail', 'header.csv', () => 'user_id,event,timestamp\n'),
  eventsCase('only blank lines', 'fail', 'blanks.csv', () => '\n\n\n\n'),
  eventsCase('only a BOM', 'fail', 'bomonly.csv', () => '\ufeff'),
  eventsCase('duplicate header: event twice', 'either', 'dupheader.csv', () => ['user_id,event,timestamp,event', ...base.map((r) => `${r.user_id},${r.event},${r.timestamp},other`)].join('\n') + '\n'),
  eventsCase('duplicate header: user_id twice', 'either', 'dupuser.csv', () => ['user_id,user_id,event,timestamp', ...base.map((r) => `${r.user_id},x${r.user_id},${r.event},${r.timestamp}`)].join('\n') + '\n'),
  eventsCase('no timestamp column', 'fail', 'notime.csv', () => toCsv(base, { columns: ['user_id', 'event'] })),
  eventsCase('no event column', 'fail', 'noevent.csv', () => toCsv(base, { columns: ['user_id', 'timestamp'] })),
  eventsCase('ragged rows (too many and too few fields)', 'either', 'ragged.csv', () => csv(base) + 'u1,view\nu2,view,2024-05-02T10:00:00Z,extra,more\n'),
  eventsCase('an unterminated quote', 'either', 'quote.csv', () => csv(base) + 'u1,"view,2024-05-02T10:00:00Z\n'),

  // Timestamps.
  eventsCase('no timestamp parses', 'fail', 'badtime.csv', () => csv(base.map((r) => ({ ...r, timestamp: 'yesterday' })))),
  eventsCase('one unparseable timestamp among many', 'ok', 'onebad.csv', () => csv(withRow({ timestamp: 'not-a-date' })), {
    onRun: (_, m) => expect(accountingOf(m, 'events').rejected).toBe(1),
  }),
  eventsCase('an offset of +99:00', 'ok', 'offset99.csv', () => csv(withRow({ timestamp: '2024-05-03T10:00:00+99:00' })), {
    onRun: (_, m) => expect(accountingOf(m, 'events').rejected).toBe(1),
  }),
  eventsCase('every timestamp with an offset of +99:00', 'fail', 'alloffset.csv', () => csv(base.map((r) => ({ ...r, timestamp: r.timestamp.replace('Z', '+99:00') })))),
  eventsCase('offsets +14:00 and -12:00 are valid', 'ok', 'offsets.csv', () => csv(base.map((r, i) => ({ ...r, timestamp: r.timestamp.replace('Z', i % 2 ? '+14:00' : '-12:00') }))), {
    onRun: (_, m) => expect(accountingOf(m, 'events').rejected).toBe(0),
  }),
  eventsCase('a date in year 0', 'ok', 'year0.csv', () => csv(withRow({ timestamp: '0000-01-01T00:00:00Z' })), {
    onRun: (_, m) => expect(accountingOf(m, 'events').rejected).toBe(1),
  }),
  eventsCase('a date in year 9999', 'ok', 'year9999.csv', () => csv(withRow({ timestamp: '9999-12-31T23:59:59Z' })), {
    onRun: (_, m) => expect(accountingOf(m, 'events').rejected).toBe(1),
  }),
  eventsCase('every date in year 9999', 'fail', 'all9999.csv', () => csv(base.map((r) => ({ ...r, timestamp: r.timestamp.replace('2024', '9999') })))),
  eventsCase('epoch seconds of 1e309', 'ok', 'epoch.csv', () => csv(base.map((r, i) => ({ ...r, timestamp: i === 5 ? '1e309' : String(Date.parse(r.timestamp) / 1000) }))), {
    onRun: (_, m) => expect(accountingOf(m, 'events').rejected).toBe(1),
  }),
  eventsCase('all rows outside the configured window', 'fail', 'events.csv', () => csv(base), {
    names: /window|events\.csv|2020-01-01/,
    setup: (ctx) => {
      const events = ctx.write('events.csv', csv(base));
      return run(ctx, '--config', ctx.write('job.yaml', `inputs:\n  events:\n    path: ${events}\nwindow:\n  days: 30\n  end: 2020-01-01\n`));
    },
  }),

  // Numbers that are not numbers.
  ...(['1e309', 'NaN', 'Infinity', '-Infinity'] as const).map((bad): CorpusCase => ({
    name: `${bad} in a numeric users column`,
    expect: 'either',
    names: new RegExp(`users\\.csv|seats|${bad.replace('-', '\\-')}`),
    setup: (ctx) => {
      const users = usersTable().map((u, i) => (i === 3 ? { ...u, seats: bad } : u));
      return run(ctx, '--events', ctx.write('events.csv', csv(base)), '--users', ctx.write('users.csv', csv(users)));
    },
  })),
  {
    name: '1e309 in a value feature column',
    expect: 'either',
    names: /events\.csv|amount|1e309/,
    setup: (ctx) => {
      const rows = base.map((r, i) => ({ ...r, amount: i === 7 ? '1e309' : String(1 + (i % 5)) }));
      const events = ctx.write('events.csv', csv(rows));
      return run(ctx, '--config', ctx.write('job.yaml', `inputs:\n  events:\n    path: ${events}\nfeatures:\n  values:\n    - { name: revenue, columns: [amount], aggregates: [sum] }\n`));
    },
  },

  // Duplicates, populations and joins.
  eventsCase('every row twice', 'ok', 'twice.csv', () => csv([...base, ...base]), { users: BASE_USERS }),
  eventsCase('a repeated event id', 'ok', 'ids.csv', () => csv([...base, base[0], base[1]].map((r, i) => ({ event_id: `e${i < base.length ? i : i - base.length}`, ...r }))), {
    onRun: (_, m) => expect(accountingOf(m, 'events').duplicates).toBe(2),
  }),
  eventsCase('a single user', 'fail', 'single.csv', () => csv(eventLog({ users: 1 })), { names: /single\.csv|1 distinct user|only 1/ }),
  eventsCase('two users', 'fail', 'two.csv', () => csv(eventLog({ users: 2 })), { names: /two\.csv|2 users|2 distinct/ }),
  {
    name: 'users without events and events without users',
    expect: 'ok',
    setup: (ctx) => {
      const users = [...usersTable(40), ...Array.from({ length: 30 }, (_, i) => ({ user_id: `ghost${i}`, plan: 'free', seats: '1' }))];
      return run(ctx, '--events', ctx.write('events.csv', csv(base)), '--users', ctx.write('users.csv', csv(users)));
    },
    onRun: async (runDir, m) => {
      expect(accountingOf(m, 'users').read).toBe(70);
      // The run reads back: drift against itself works whatever users without events became.
      const diff = await runCli(['runs', 'diff', runDir, runDir]);
      expect(diff.code, diff.stderr).toBe(0);
    },
  },
  {
    name: 'a users table with a duplicate key',
    expect: 'ok',
    setup: (ctx) => {
      const users = usersTable();
      return run(ctx, '--events', ctx.write('events.csv', csv(base)), '--users', ctx.write('users.csv', csv([...users, { ...users[0], plan: 'team' }])));
    },
    onRun: (_, m) => expect(accountingOf(m, 'users').read).toBe(61),
  },
  {
    name: 'a 20,000-column users table',
    expect: 'either',
    names: /wide\.csv/,
    spawn: true,
    setup: (ctx) => {
      const header = ['user_id', ...Array.from({ length: 19_999 }, (_, j) => `c${j}`)].join(',');
      const lines = BASE_USERS.map((u, i) => [u, ...Array.from({ length: 19_999 }, (_, j) => String((i * (j + 1)) % 7))].join(','));
      return run(ctx, '--events', ctx.write('events.csv', csv(base)), '--users', ctx.write('wide.csv', [header, ...lines].join('\n') + '\n'));
    },
  },

  // Files that are not what their name says.
  eventsCase('gzip: a valid .csv.gz', 'ok', 'events.csv.gz', () => gzipSync(csv(base)), { users: BASE_USERS }),
  eventsCase('gzip: truncated', 'fail', 'cut.csv.gz', () => gzipSync(csv(base)).subarray(0, 600), { spawn: true }),
  eventsCase('gzip: plain text named .gz', 'either', 'plain.csv.gz', () => csv(base), { spawn: true }),
  eventsCase('a PNG named .csv', 'fail', 'image.csv', () => PNG, { spawn: true }),
  eventsCase('an .xlsx named .csv', 'fail', 'sheet.csv', () => XLSX, { spawn: true }),
  eventsCase('JSON lines', 'ok', 'events.jsonl', () => toJsonl(base), { users: BASE_USERS }),
  // Either each broken line is a rejected row, or the file fails naming the first broken line.
  eventsCase('JSON lines with a few broken lines', 'either', 'broken.jsonl', () => toJsonl(base).replace(/\n/, '\n{"user_id": "u1", "event": \n').replace(/\n$/, '\n[1,2\n'), {
    names: /broken\.jsonl/,
    onRun: (_, m) => expect(accountingOf(m, 'events').rejected).toBeGreaterThanOrEqual(2),
  }),
  eventsCase('JSON lines, every line broken', 'fail', 'allbroken.jsonl', () => toJsonl(base).replace(/}\n/g, '\n')),
  {
    name: 'Parquet named .csv',
    expect: 'either',
    names: /parquet\.csv/,
    spawn: true,
    users: BASE_USERS,
    setup: (ctx) => run(ctx, '--events', ctx.write('parquet.csv', readFileSync(ctx.fixtures.eventsParquet))),
  },
  {
    name: 'Parquet, truncated',
    expect: 'fail',
    names: /cut\.parquet/,
    spawn: true,
    setup: (ctx) => {
      const bytes = readFileSync(ctx.fixtures.eventsParquet);
      return run(ctx, '--events', ctx.write('cut.parquet', bytes.subarray(0, Math.floor(bytes.length / 2))));
    },
  },

  // Flags.
  kFlag('abc', /abc/),
  kFlag('0', /--k|\b0\b/),
  kFlag('2.5', /2\.5/),
  kFlag('-3', /--k|-3/),
  {
    name: '--k given twice',
    expect: 'fail',
    names: /--k/,
    setup: (ctx) => run(ctx, '--events', ctx.fixtures.eventsCsv, '--k', '2', '--k', '3'),
  },
  { name: '--seed abc', expect: 'fail', names: /abc/, setup: (ctx) => run(ctx, '--events', ctx.fixtures.eventsCsv, '--seed', 'abc') },
  { name: '--seed -1', expect: 'fail', names: /--seed|-1/, spawn: true, setup: (ctx) => ['run', '--events', ctx.fixtures.eventsCsv, '--seed', '-1', '--out', ctx.out, '--quiet'] },
  { name: '--k-range 5..2', expect: 'fail', names: /5\.\.2/, setup: (ctx) => run(ctx, '--events', ctx.fixtures.eventsCsv, '--k-range', '5..2') },
  { name: '--events naming a folder with no data files', expect: 'fail', names: /nothing/, setup: (ctx) => run(ctx, '--events', ctx.write('nothing/readme.txt', 'hi').replace(/readme\.txt$/, '')) },

  // Output folders.
  {
    name: '--out is a file',
    expect: 'fail',
    names: /afile/,
    spawn: true,
    outIsHostile: true,
    setup: (ctx) => ['run', '--events', ctx.fixtures.eventsCsv, '--out', ctx.write('afile', 'x'), '--quiet'],
  },
  {
    name: '--out inside a file',
    expect: 'fail',
    names: /afile/,
    outIsHostile: true,
    setup: (ctx) => ['run', '--events', ctx.fixtures.eventsCsv, '--out', join(ctx.write('afile', 'x'), 'sub'), '--quiet'],
  },
  {
    name: 'read-only --out',
    // Root writes into a 0555 folder anyway: then a finished run is the right outcome.
    expect: process.getuid?.() === 0 ? 'either' : 'fail',
    names: /out/,
    outIsHostile: true,
    setup: (ctx) => {
      mkdirSync(ctx.out);
      chmodSync(ctx.out, 0o555);
      return run(ctx, '--events', ctx.fixtures.eventsCsv);
    },
    cleanup: (ctx) => chmodSync(ctx.out, 0o755),
  },
  {
    name: '`latest` is a real folder',
    expect: 'fail',
    names: /latest/,
    spawn: true,
    outIsHostile: true,
    setup: (ctx) => {
      mkdirSync(join(ctx.out, 'latest'), { recursive: true });
      return run(ctx, '--events', ctx.fixtures.eventsCsv);
    },
  },
  {
    name: '`latest` is a dangling link, beside debris of killed runs',
    expect: 'ok',
    outIsHostile: true,
    setup: (ctx) => {
      mkdirSync(join(ctx.out, '.tmp-2024-01-01T00-00-00Z-abcdef'), { recursive: true });
      writeFileSync(join(ctx.out, '.tmp-2024-01-01T00-00-00Z-abcdef', 'manifest.json'), '{');
      symlinkSync('gone', join(ctx.out, 'latest'));
      return run(ctx, '--events', ctx.fixtures.eventsCsv);
    },
    onRun: (runDir) => expect(readlinkSync(join(runDir, '..', 'latest'))).toBe(runDir.split('/').at(-1)),
  },

  // Tampered run folders.
  tamperedRunCase('report: segments.json truncated', (r) => ['report', r], (r) => truncate(join(r, 'segments.json')), /segments\.json/),
  tamperedRunCase('report: manifest.json truncated', (r) => ['report', r], (r) => truncate(join(r, 'manifest.json')), /manifest\.json|runs/),
  tamperedRunCase('report: segments.json missing', (r) => ['report', r], (r) => rmSync(join(r, 'segments.json')), /segments\.json/),
  tamperedRunCase('report: k is a string', (r) => ['report', r], (r) => editJson(join(r, 'segments.json'), (d) => (d.k = 'three')), /segments\.json.*k|k.*segments\.json/),
  tamperedRunCase('report: a segment name is a number', (r) => ['report', r], (r) => editJson(join(r, 'segments.json'), (d) => ((d.segments as { name: unknown }[])[0].name = 42)), /segments\.json/),
  tamperedRunCase('report: manifest accounting is not a list', (r) => ['report', r], (r) => editJson(join(r, 'manifest.json'), (d) => (d.accounting = 'lots')), /manifest\.json/),
  tamperedRunCase('rules list: rules.json truncated', (r) => ['rules', 'list', r], (r) => truncate(join(r, 'rules.json')), /rules\.json/),
  tamperedRunCase('rules list: a rule for segment 99', (r) => ['rules', 'list', r], (r) => editJson(join(r, 'rules.json'), (d) => ((d.rules as { segment: number }[])[0].segment = 99)), /rules\.json/),
  tamperedRunCase('runs show: manifest.json is {}', (r) => ['runs', 'show', r], (r) => writeFileSync(join(r, 'manifest.json'), '{}'), /runs|not found|manifest/),
  tamperedRunCase(
    'assign: the model has no centroids',
    (r, ctx) => ['assign', '--model', r, '--events', ctx.fixtures.eventsCsv, '--out', join(ctx.dir, 'a.csv'), '--quiet'],
    (r) => editJson(join(r, 'segments.json'), (d) => delete (d.model as Record<string, unknown>).kmeans),
    /segments\.json|kmeans/,
  ),
  tamperedRunCase(
    'assign: segments.json is not JSON',
    (r, ctx) => ['assign', '--model', r, '--events', ctx.fixtures.eventsCsv, '--out', join(ctx.dir, 'a.csv'), '--quiet'],
    (r) => writeFileSync(join(r, 'segments.json'), 'PK\u0003\u0004 not json'),
    /segments\.json/,
  ),
  tamperedRunCase(
    'runs diff: assignments.csv has a segment that is not a number',
    (r) => ['runs', 'diff', r, r],
    (r) => writeFileSync(join(r, 'assignments.csv'), 'user_id,segment,segment_name,distance,confidence\nu1,many,x,1,1\n'),
    /assignments\.csv/,
  ),
  {
    name: 'runs list: one good run, one truncated, one folder that is no run',
    expect: 'ok',
    setup: (ctx) => {
      const good = copyRun(ctx);
      const bad = join(ctx.dir, 'runs', '2020-01-01T00-00-00Z-badbad');
      cpSync(good, bad, { recursive: true });
      truncate(join(bad, 'segments.json'));
      mkdirSync(join(ctx.dir, 'runs', 'notes'));
      return ['runs', 'list', '--dir', join(ctx.dir, 'runs')];
    },
    custom: (r, ctx) => {
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain(ctx.fixtures.goodRunId);
      expect(r.stdout).not.toContain('badbad');
      const lines = r.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/badbad.*segments\.json/);
      expect(r.stderr).not.toMatch(/^\s+at /m);
    },
  },
  {
    name: 'runs list: the folder is a file',
    expect: 'fail',
    names: /afile/,
    setup: (ctx) => ['runs', 'list', '--dir', ctx.write('afile', 'x')],
    custom: (r) => {
      // Nothing to list is fine too; a stack trace is not.
      if (r.code === 0) expect(r.stderr).toBe('');
      else expectOneLineFailure(r, /afile/);
    },
  },

  // Config files.
  configCase('an unknown top-level key', 'colour: blue\n', /colour/),
  configCase('an unknown nested key', 'cluster:\n  kk: 3\n', /cluster\.kk|kk/),
  configCase('cluster.k is a word', 'cluster:\n  k: three\n', /cluster\.k/),
  configCase('seed is negative', 'seed: -1\n', /seed/),
  configCase('seed is a list', 'seed: [1, 2]\n', /seed/),
  configCase('window.days is zero', 'window:\n  days: 0\n', /window\.days/),
  configCase('window.end is not a date', 'window:\n  end: soon\n', /window\.end|soon/),
  configCase('transform.winsorize is reversed', 'transform:\n  winsorize: [0.99, 0.01]\n', /transform\.winsorize/),
  configCase('rules.max_conditions is 9', 'rules:\n  max_conditions: 9\n', /rules\.max_conditions/),
  configCase('a YAML syntax error', 'cluster: [unclosed\n', /job\.yaml/),
  configCase('a duplicate YAML key', 'seed: 1\nseed: 2\n', /job\.yaml|seed/),
  {
    name: 'a config that is a list',
    expect: 'fail',
    names: /job\.yaml/,
    setup: (ctx) => run(ctx, '--config', ctx.write('job.yaml', '- a\n- b\n')),
  },
  {
    name: 'an empty config file',
    expect: 'fail',
    names: /job\.yaml|inputs/,
    setup: (ctx) => run(ctx, '--config', ctx.write('job.yaml', '')),
  },
  {
    name: 'a config path that is a folder',
    expect: 'fail',
    names: /conf\.d/,
    setup: (ctx) => {
      mkdirSync(join(ctx.dir, 'conf.d'));
      return run(ctx, '--config', join(ctx.dir, 'conf.d'));
    },
  },
  {
    name: 'init: a PNG',
    expect: 'fail',
    names: /image\.csv/,
    setup: (ctx) => ['init', ctx.write('image.csv', PNG), '--out', join(ctx.dir, 'job.yaml')],
  },
  {
    name: 'init: an empty file',
    expect: 'fail',
    names: /empty\.csv/,
    setup: (ctx) => ['init', ctx.write('empty.csv', ''), '--out', join(ctx.dir, 'job.yaml')],
  },
];

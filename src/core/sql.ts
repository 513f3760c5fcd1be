/**
 * Quoting for everything that reaches SQL. Identifiers and literals from data or config are
 * always passed through these (or bound as parameters); never concatenated raw.
 *
 * Two layers:
 * - `sqlLiteral(value, dialect)` / `sqlIdent(name, dialect)` render for one engine and refuse
 *   (with a `SegmintError` naming the value) what that engine cannot hold or quote safely.
 * - `quoteLiteral` / `quoteIdent` are the DuckDB forms every existing caller uses. The literal
 *   is also the *portable* form `rules.sql` relies on: it reads the same in DuckDB, PostgreSQL
 *   (either `standard_conforming_strings`) and, as far as quoting goes, MySQL/MariaDB.
 */
import { SegmintError } from './errors.js';

/** Every SQL dialect segmint renders for; types and CLI choices derive from this list. */
export const DIALECTS = ['duckdb', 'postgres', 'bigquery', 'snowflake', 'clickhouse'] as const;
export type Dialect = (typeof DIALECTS)[number];

/** Human names for messages. */
const ENGINE: Readonly<Record<Dialect, string>> = {
  duckdb: 'DuckDB',
  postgres: 'PostgreSQL',
  bigquery: 'BigQuery',
  snowflake: 'Snowflake',
  clickhouse: 'ClickHouse',
};

/**
 * Characters that must never sit inside a quoted literal: a backslash (it escapes the closing
 * quote in MySQL/MariaDB by default, in PostgreSQL with `standard_conforming_strings = off`, and
 * in BigQuery, Snowflake and ClickHouse strings, so `x\'; DROP TABLE …` would end the literal
 * there), control characters (NUL, line breaks) and the Unicode bidi controls that make SQL
 * display differently from what it does.
 */
export const UNSAFE_IN_LITERAL = /[\\\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;

/** Control and bidi characters: never inside an identifier written for people to read. */
const UNSAFE_IN_IDENT = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;

/** A UTF-16 surrogate without its partner: no engine (and no UTF-8 text) can hold it. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Errors for values SQL cannot carry. They live here rather than in `messages.ts` only because
 * that file belongs to another change in flight; the shape (code, subject, hint) is the catalog's.
 */
export const sqlErrors = {
  literalUnrepresentable: (value: string, dialect: Dialect, why: string) =>
    new SegmintError({
      code: 'E_SQL_UNREPRESENTABLE',
      stage: 'rules',
      subject: value,
      message: `cannot write ${shown(value)} as a ${ENGINE[dialect]} string literal: ${why}`,
      hint: 'remove or replace that character in the data or config value before it reaches SQL',
    }),
  identUnrepresentable: (name: string, dialect: Dialect, why: string) =>
    new SegmintError({
      code: 'E_SQL_UNREPRESENTABLE',
      stage: 'rules',
      subject: name,
      message: `cannot write ${shown(name)} as a ${ENGINE[dialect]} identifier: ${why}`,
      hint: 'rename the column, table or feature to plain letters, digits and underscores',
    }),
};

/** The value as a one-line JSON string (escapes NUL, line breaks and lone surrogates), cut at 80 characters. */
function shown(value: string): string {
  const cut = [...value].length > 80 ? `${[...value].slice(0, 80).join('')}…` : value;
  // JSON.stringify leaves bidi controls raw; spell them so the message shows what it says.
  return JSON.stringify(cut).replace(/[\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu, (c) => `\\u${c.codePointAt(0)!.toString(16).padStart(4, '0')}`);
}

const codeName = (cp: number): string => `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;

/** Index (in code points) and code of the first character matching `re`, or null. */
function firstMatch(value: string, re: RegExp): { at: number; cp: number } | null {
  let at = 0;
  for (const ch of value) {
    if (re.test(ch)) return { at, cp: ch.codePointAt(0)! };
    at++;
  }
  return null;
}

/**
 * How one engine spells a string: quoted runs of safe characters, and code-point expressions
 * for everything else, concatenated.
 */
interface LiteralSpelling {
  /** Characters that must leave the quoted runs (beyond the shared unsafe set). */
  readonly extra: RegExp | null;
  /** A run of safe characters as a quoted literal. */
  quote(run: string): string;
  /** Consecutive unsafe characters as one expression (engines that take a list spell them at once). */
  codePoints(cps: readonly number[]): string;
  /** The parts of a value that had special characters, as one expression. */
  join(parts: readonly string[]): string;
  /** The code points this engine's strings cannot hold, with why. */
  refuse(cp: number): string | null;
}

const doubled = (run: string): string => `'${run.replace(/'/g, "''")}'`;
const pipes = (parts: readonly string[]): string => `(${parts.join(' || ')})`;
const utf8 = (cp: number): number[] => [...Buffer.from(String.fromCodePoint(cp), 'utf8')];

const SPELLING: Readonly<Record<Dialect, LiteralSpelling>> = {
  // `chr(n)` per character joined with `||`: the form rules.sql has always had (golden outputs).
  duckdb: {
    extra: null,
    quote: doubled,
    codePoints: (cps) => cps.map((cp) => `chr(${cp})`).join(' || '),
    join: pipes,
    refuse: () => null,
  },
  // Same spelling: no backslash ever sits inside quotes, so the literal means the same whether
  // standard_conforming_strings is on or off. (`U&'…'` is an error when it is off, and `E'…'`
  // would need backslashes, which a reader checking for them cannot tell from the unsafe kind.)
  postgres: {
    extra: null,
    quote: doubled,
    codePoints: (cps) => cps.map((cp) => `chr(${cp})`).join(' || '),
    join: pipes,
    refuse: (cp) => (cp === 0 ? 'PostgreSQL text cannot contain a NUL character' : null),
  },
  // GoogleSQL does not read '' as a quote inside '…' and reads backslash as an escape, so the
  // quote and the backslash leave the quoted runs too; CODE_POINTS_TO_STRING takes a list.
  bigquery: {
    extra: /'/u,
    quote: (run) => `'${run}'`,
    codePoints: (cps) => `CODE_POINTS_TO_STRING([${cps.join(', ')}])`,
    join: pipes,
    refuse: () => null,
  },
  // Snowflake reads both '' and \' inside '…'; backslash is an escape, so it leaves the runs.
  // CHR takes a Unicode code point (CHR(0) is NUL, which Snowflake strings may hold).
  snowflake: {
    extra: null,
    quote: doubled,
    codePoints: (cps) => cps.map((cp) => `CHR(${cp})`).join(' || '),
    join: pipes,
    refuse: () => null,
  },
  // ClickHouse reads '' and \' inside '…'; backslash is an escape. char() takes *bytes*, so a
  // character is spelled as its UTF-8 bytes; concat() is the documented concatenation.
  clickhouse: {
    extra: null,
    quote: doubled,
    codePoints: (cps) => `char(${cps.flatMap(utf8).join(', ')})`,
    join: (parts) => (parts.length === 1 ? parts[0] : `concat(${parts.join(', ')})`),
    refuse: () => null,
  },
};

/**
 * A string literal for `dialect` that reads back as exactly `value`, and is always a single
 * expression: no backslash, control or bidi character ever sits between quotes (those are
 * spelled as code points), so it reads the same whatever the engine's escaping rules.
 * Throws a `SegmintError` for values the engine cannot hold (a NUL in PostgreSQL, a lone
 * UTF-16 surrogate anywhere).
 *
 * @example
 * sqlLiteral("it's", 'postgres');    // 'it''s'
 * sqlLiteral("it's", 'bigquery');    // ('it' || CODE_POINTS_TO_STRING([39]) || 's')
 * sqlLiteral('a\u202Eb', 'clickhouse'); // concat('a', char(226, 128, 174), 'b')
 */
export function sqlLiteral(value: string, dialect: Dialect): string {
  if (LONE_SURROGATE.test(value)) {
    throw sqlErrors.literalUnrepresentable(value, dialect, 'it holds half of a UTF-16 surrogate pair, which is not a character (text from a broken encoding)');
  }
  const s = SPELLING[dialect];
  const special = (ch: string) => UNSAFE_IN_LITERAL.test(ch) || (s.extra?.test(ch) ?? false);
  if (![...value].some(special)) return s.quote(value);
  const parts: string[] = [];
  let run = '';
  let cps: number[] = [];
  let at = 0;
  for (const ch of value) {
    if (special(ch)) {
      const cp = ch.codePointAt(0)!;
      const why = s.refuse(cp);
      if (why) throw sqlErrors.literalUnrepresentable(value, dialect, `${why} (${codeName(cp)} at character ${at})`);
      if (run) parts.push(s.quote(run));
      run = '';
      cps.push(cp);
    } else {
      if (cps.length) parts.push(s.codePoints(cps));
      cps = [];
      run += ch;
    }
    at++;
  }
  if (cps.length) parts.push(s.codePoints(cps));
  if (run) parts.push(s.quote(run));
  return s.join(parts);
}

/** How one engine quotes an identifier, and what it cannot quote. */
interface IdentSpelling {
  readonly open: string;
  readonly close: string;
  /** Characters refused beyond control/bidi, with why. */
  readonly refused: readonly (readonly [RegExp, string])[];
  /** Longest name the engine keeps, and its unit. */
  readonly max: { readonly n: number; readonly unit: 'characters' | 'UTF-8 bytes'; readonly why: string } | null;
}

const SLASH: readonly [RegExp, string] = [/\\/u, 'a backslash is an escape inside its quoted identifiers'];

const IDENT: Readonly<Record<Dialect, IdentSpelling>> = {
  // MySQL/MariaDB read "…" as a string with backslash escapes: a backslash could move the end of
  // the name when rules.sql is pasted there.
  duckdb: { open: '"', close: '"', refused: [[/\\/u, 'a backslash would end the name early where "…" is read with escapes (MySQL/MariaDB)']], max: null },
  postgres: { open: '"', close: '"', refused: [], max: { n: 63, unit: 'UTF-8 bytes', why: 'PostgreSQL silently truncates longer names (NAMEDATALEN)' } },
  snowflake: { open: '"', close: '"', refused: [SLASH], max: { n: 255, unit: 'characters', why: 'Snowflake identifiers are at most 255 characters' } },
  bigquery: {
    open: '`',
    close: '`',
    refused: [[/`/u, 'a backtick cannot sit inside a BigQuery quoted identifier'], SLASH, [/\./u, 'BigQuery reads a dot inside backticks as a path separator']],
    max: { n: 300, unit: 'characters', why: 'BigQuery names are at most 300 characters' },
  },
  clickhouse: { open: '`', close: '`', refused: [[/`/u, 'a backtick cannot sit inside a ClickHouse quoted identifier'], SLASH], max: null },
};

/**
 * A quoted identifier for `dialect`: double quotes (doubled inside) for DuckDB, PostgreSQL and
 * Snowflake, backticks for BigQuery and ClickHouse. Names an engine would read differently
 * (a backslash where it escapes, a backtick or dot inside BigQuery backticks, a name PostgreSQL
 * would truncate) or that would display misleadingly (control and bidi characters) are refused
 * with a `SegmintError` instead of emitted.
 *
 * @example
 * sqlIdent('days since "last"', 'postgres'); // "days since ""last"""
 * sqlIdent('plan', 'bigquery');               // `plan`
 */
export function sqlIdent(name: string, dialect: Dialect): string {
  const refuse = (why: string) => sqlErrors.identUnrepresentable(name, dialect, why);
  if (name === '') throw refuse('a name cannot be empty');
  if (LONE_SURROGATE.test(name)) throw refuse('it holds half of a UTF-16 surrogate pair, which is not a character');
  const control = firstMatch(name, UNSAFE_IN_IDENT);
  if (control) throw refuse(`control and bidi characters make SQL display differently from what it does (${codeName(control.cp)} at character ${control.at})`);
  const q = IDENT[dialect];
  for (const [re, why] of q.refused) {
    const hit = firstMatch(name, re);
    if (hit) throw refuse(`${why} (${codeName(hit.cp)} at character ${hit.at})`);
  }
  if (q.max) {
    const size = q.max.unit === 'characters' ? [...name].length : Buffer.byteLength(name, 'utf8');
    if (size > q.max.n) throw refuse(`it is ${size} ${q.max.unit} long and ${q.max.why}`);
  }
  const inner = q.open === '"' ? name.replace(/"/g, '""') : name;
  return `${q.open}${inner}${q.close}`;
}

/**
 * An identifier for SQL DuckDB runs in-process: `"…"` with `"` doubled, nothing refused (DuckDB
 * takes any character inside quotes, and column names from data must stay usable). For SQL
 * written for people to paste elsewhere use `sqlIdent(name, dialect)`, which refuses what would
 * read or display differently.
 */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * A string literal that means the same in every engine segmint's SQL may be pasted into: plain
 * `'…'` with `'` doubled when the value is safe; otherwise the safe runs quoted and every unsafe
 * character spelled `chr(code)`, joined with `||` (DuckDB and PostgreSQL read it as the same
 * string; an engine without `||` concatenation fails to parse it, which is safe, rather than
 * reading a backslash as an escape). The same as `sqlLiteral(value, 'duckdb')`.
 *
 * @example
 * quoteLiteral("it's"); // 'it''s'
 * quoteLiteral("x\\'; DROP TABLE t; --"); // ('x' || chr(92) || '''; DROP TABLE t; --')
 */
export function quoteLiteral(value: string): string {
  return sqlLiteral(value, 'duckdb');
}

/**
 * A numeric literal DuckDB reads back as exactly the same double. Short decimals are written
 * plainly (DuckDB parses up to 15 significant digits exactly); longer ones in exponent form,
 * because DuckDB's DECIMAL path would round a 17-digit plain decimal differently.
 */
export function numberLiteral(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`non-finite number in SQL: ${value}`);
  if (Number.isInteger(value)) return String(value + 0);
  const plain = String(value);
  const digits = plain.replace(/^-/, '').replace('.', '').replace(/^0+/, '').length;
  return !plain.includes('e') && digits <= 15 ? plain : value.toExponential();
}

/**
 * Every vendor fixture encodes the same behaviour as plain.csv (see make-fixtures.ts): each
 * preset must turn its vendor's export into exactly those rows once internal rows and
 * duplicates are set aside, and flag, count and carry everything else as documented.
 */
import { describe, expect, it } from 'vitest';
import type { Db } from '../../../../src/core/duckdb.js';
import {
  detectPreset,
  getPreset,
  latestAccountProperties,
  latestUserAccounts,
  latestUserProperties,
  loadPresetEvents,
  sampleKeys,
  type PresetName,
} from '../../../../src/stages/ingest/presets/index.js';
import { TS_TEXT, fixture, folder, withDb } from './helpers.js';

type Row = Record<string, string | null>;

interface Case {
  readonly label: string;
  readonly preset: PresetName;
  readonly files: () => string[];
  readonly rowsPerFile: readonly number[];
  /** Internal rows by vendor event name. */
  readonly internal: Readonly<Record<string, number>>;
  /** The row delivered twice: [user_id, event]. */
  readonly duplicate: readonly [string, string];
  readonly problems: number;
  /** event_user_props, ordered by user_id; columns in byte order after user_id. */
  readonly userProps: readonly Row[];
  readonly accounts: readonly (readonly [string, string])[];
  readonly accountProps: readonly Row[];
}

const U = ['anon-7f3a', 'u_alice', 'u_bob', 'u_chen', 'u_dana'] as const;

/** Rows for `columns` given one array of values per user (in U order). */
function table(columns: readonly string[], values: readonly (readonly (string | null)[])[]): Row[] {
  return values.map((vals, i) => Object.fromEntries([['user_id', U[i]], ...columns.map((c, j) => [c, vals[j]])]));
}

const TRAITS_PLAN_ROLE_SEATS = [
  [null, null, null],
  ['pro', 'admin', null],
  ['free', 'member', null],
  ['team', 'admin', '12'],
  ['free', null, null],
] as const;

const ACCOUNTS: readonly (readonly [string, string])[] = [
  ['u_alice', 'acme'],
  ['u_bob', 'acme'],
  ['u_chen', 'globex'],
];

const ACCOUNT_PROPS: readonly Row[] = [
  { account_id: 'acme', employees: '40', industry: 'retail', name: 'Acme Inc' },
  { account_id: 'globex', employees: null, industry: 'energy', name: 'Globex' },
];

const OS = ['Android', 'Mac OS X', 'Windows', 'Linux', 'iOS'];
const COUNTRY_NAMES = ['France', 'United States', 'United States', 'Canada', 'Germany'];
const COUNTRY_CODES = ['FR', 'US', 'US', 'CA', 'DE'];
const DANA_COUNTRY = [null, null, null, null, 'DE'];

const CASES: readonly Case[] = [
  {
    label: 'segment',
    preset: 'segment',
    files: () => [fixture('segment', 'messages.jsonl')],
    rowsPerFile: [42],
    internal: { alias: 1, group: 3, identify: 6 },
    duplicate: ['u_bob', 'project_created'],
    problems: 1,
    // Only mobile messages carry context.os; Segment archives have no geo.
    userProps: table(
      ['address', 'country', 'device_os', 'plan', 'role', 'seats'],
      TRAITS_PLAN_ROLE_SEATS.map((t, i) => [
        i === 4 ? '{"city":"Berlin"}' : null,
        DANA_COUNTRY[i],
        i === 0 || i === 4 ? OS[i] : null,
        ...t,
      ]),
    ),
    accounts: ACCOUNTS,
    accountProps: ACCOUNT_PROPS,
  },
  {
    label: 'amplitude (two hourly .json.gz files)',
    preset: 'amplitude',
    files: () => folder('amplitude'),
    rowsPerFile: [16, 21], // 10h (with the overlapping row) sorts before 9h
    internal: {
      $identify: 2,
      '[Amplitude] Application Opened': 1,
      '[Amplitude] Start Session': 1,
      session_end: 1,
      session_start: 1,
    },
    duplicate: ['u_dana', 'screen_viewed'],
    problems: 0,
    userProps: table(
      ['country', 'device_os', 'geo_country', 'plan', 'role', 'seats'],
      TRAITS_PLAN_ROLE_SEATS.map((t, i) => [DANA_COUNTRY[i], OS[i], COUNTRY_NAMES[i], ...t]),
    ),
    accounts: ACCOUNTS,
    accountProps: [],
  },
  {
    label: 'mixpanel (seconds and milliseconds)',
    preset: 'mixpanel',
    files: () => [fixture('mixpanel', 'export.jsonl')],
    rowsPerFile: [37],
    internal: { $ae_session: 1, $create_alias: 1, $identify: 4 },
    duplicate: ['u_chen', 'report_exported'],
    problems: 0,
    userProps: table(['device_os', 'geo_country'], OS.map((os, i) => [os, COUNTRY_CODES[i]])),
    accounts: [],
    accountProps: [],
  },
  {
    label: 'posthog (JSON lines)',
    preset: 'posthog',
    files: () => [fixture('posthog', 'events.jsonl')],
    rowsPerFile: [45],
    internal: { $feature_flag_called: 2, $groupidentify: 3, $identify: 4, $pageleave: 2, $set: 2, $web_vitals: 1 },
    duplicate: ['u_alice', 'invite_sent'],
    problems: 0,
    userProps: table(
      ['country', 'device_os', 'geo_country', 'initial_referrer', 'plan', 'role', 'seats'],
      TRAITS_PLAN_ROLE_SEATS.map((t, i) => [
        DANA_COUNTRY[i],
        OS[i],
        COUNTRY_CODES[i],
        i === 0 ? null : i === 1 ? 'google' : '$direct',
        ...t,
      ]),
    ),
    accounts: ACCOUNTS,
    accountProps: ACCOUNT_PROPS,
  },
  {
    label: 'ga4 (BigQuery rows)',
    preset: 'ga4',
    files: () => [fixture('ga4', 'events_20240501.jsonl')],
    rowsPerFile: [44],
    internal: { first_open: 1, first_visit: 4, session_start: 5, user_engagement: 3 },
    duplicate: ['anon-7f3a', 'page_viewed'],
    problems: 0,
    userProps: table(
      ['country', 'device_os', 'geo_country', 'plan', 'role', 'seats'],
      TRAITS_PLAN_ROLE_SEATS.map((t, i) => [DANA_COUNTRY[i], OS[i], COUNTRY_NAMES[i], ...t]),
    ),
    accounts: [],
    accountProps: [],
  },
];

/** The canonical rows marked as duplicates: a repeated insert_id, user, event and time after its first row in file order. */
const WITH_DUP = `(SELECT *, insert_id IS NOT NULL AND row_number() OVER (PARTITION BY insert_id, user_id, event, ts ORDER BY file_idx, line) > 1 AS dup FROM canon)`;

async function plainRows(db: Db): Promise<Row[]> {
  return db.all<Row>(
    `SELECT user_id, event, strftime(CAST("timestamp" AS TIMESTAMP), '%Y-%m-%dT%H:%M:%S.%g') AS t ` +
      `FROM read_csv('${fixture('plain.csv')}', all_varchar = true) ORDER BY t, user_id, event`,
  );
}

describe.each(CASES)('preset $label', (c) => {
  it('gives exactly the behaviour of plain.csv once internal rows and duplicates are set aside', async () => {
    await withDb(async (db) => {
      const summary = await loadPresetEvents(db, getPreset(c.preset), c.files(), 'canon');
      const got = await db.all<Row>(
        `SELECT user_id, event, ${TS_TEXT} AS t FROM ${WITH_DUP} WHERE problem IS NULL AND NOT internal AND NOT dup ` +
          `ORDER BY t, user_id, event`,
      );
      const plain = await plainRows(db);
      expect(plain).toHaveLength(30);
      expect(got).toEqual(plain);

      const total = c.rowsPerFile.reduce((a, b) => a + b, 0);
      const internal = Object.values(c.internal).reduce((a, b) => a + b, 0);
      expect(summary).toEqual({
        table: 'canon',
        rowsPerFile: c.rowsPerFile,
        rows: total,
        behaviour: 31, // the 30 events and the re-delivered copy of one of them
        internal,
        duplicates: 1,
        problems: c.problems,
        malformed: c.rowsPerFile.map(() => []),
      });
    });
  });

  it('flags and counts the internal rows, and recognises the re-delivered row by insert_id', async () => {
    await withDb(async (db) => {
      await loadPresetEvents(db, getPreset(c.preset), c.files(), 'canon');
      const internal = await db.all<{ e: string; n: number }>(
        `SELECT vendor_event AS e, count(*) AS n FROM canon WHERE internal AND problem IS NULL GROUP BY 1 ORDER BY 1`,
      );
      expect(Object.fromEntries(internal.map((r) => [r.e, Number(r.n)]))).toEqual(c.internal);
      const dups = await db.all<{ user_id: string; event: string }>(`SELECT user_id, event FROM ${WITH_DUP} WHERE dup`);
      expect(dups.map((d) => [d.user_id, d.event])).toEqual([c.duplicate]);
    });
  });

  it('names events canonically: renamed page/screen views, every other name as exported', async () => {
    await withDb(async (db) => {
      const preset = getPreset(c.preset);
      await loadPresetEvents(db, preset, c.files(), 'canon');
      const pairs = await db.all<{ v: string; e: string }>(`SELECT DISTINCT vendor_event AS v, event AS e FROM canon WHERE event IS NOT NULL`);
      for (const { v, e } of pairs) expect(e).toBe(preset.renamedEvents[v] ?? v);
      const internalNames = new Set(preset.internalEvents);
      const flagged = await db.all<{ v: string; kind: string; internal: boolean }>(`SELECT DISTINCT vendor_event AS v, row_kind AS kind, internal FROM canon WHERE problem IS NULL`);
      for (const r of flagged) expect(r.internal).toBe(r.kind !== 'event' || internalNames.has(r.v));
    });
  });

  it('extracts each user\'s latest properties, account and account properties exactly', async () => {
    await withDb(async (db) => {
      await loadPresetEvents(db, getPreset(c.preset), c.files(), 'canon');
      const props = await latestUserProperties(db, 'canon');
      expect(await db.all(`SELECT * FROM event_user_props`)).toEqual(c.userProps);
      expect(props.rows).toBe(c.userProps.length);
      expect(props.columns.map((col) => col.column)).toEqual(Object.keys(c.userProps[0] ?? { user_id: null }).slice(1));
      await latestUserAccounts(db, 'canon');
      const accounts = await db.all<{ user_id: string; account_id: string }>(`SELECT * FROM event_user_accounts`);
      expect(accounts.map((a) => [a.user_id, a.account_id])).toEqual(c.accounts);
      await latestAccountProperties(db, 'canon');
      expect(await db.all(`SELECT * FROM event_account_props`)).toEqual(c.accountProps);
    });
  });

  it('is recognised from the keys of its first row', async () => {
    await withDb(async (db) => {
      for (const file of c.files()) expect(detectPreset(await sampleKeys(db, file))).toBe(c.preset);
    });
  });
});

describe('the same export in another container', () => {
  it('PostHog as CSV (JSON-encoded cells) gives the same canonical rows as its JSON lines', async () => {
    await withDb(async (db) => {
      const cols = `user_id, event, vendor_event, ${TS_TEXT} AS t, insert_id, internal, row_kind, CAST(user_props AS VARCHAR) AS up, ` +
        `CAST(user_props_once AS VARCHAR) AS upo, account_id, CAST(account_props AS VARCHAR) AS ap, problem`;
      await loadPresetEvents(db, getPreset('posthog'), [fixture('posthog', 'events.jsonl')], 'a');
      await loadPresetEvents(db, getPreset('posthog'), [fixture('posthog-csv', 'events.csv')], 'b');
      const a = await db.all(`SELECT ${cols} FROM a ORDER BY line`);
      const b = await db.all(`SELECT ${cols} FROM b ORDER BY line`);
      expect(a).toHaveLength(45);
      expect(b).toEqual(a);
    });
  });

  it('plain.csv is no vendor export', async () => {
    await withDb(async (db) => {
      expect(await sampleKeys(db, fixture('plain.csv'))).toEqual(['user_id', 'event', 'timestamp']);
      expect(detectPreset(await sampleKeys(db, fixture('plain.csv')))).toBeNull();
    });
  });
});

describe('determinism', () => {
  it('loading the same files twice gives byte-identical canonical tables', async () => {
    await withDb(async (db) => {
      for (const c of CASES) {
        const dump = async (t: string) => JSON.stringify(await db.all(`SELECT * EXCLUDE (ts), ${TS_TEXT} AS t FROM ${t} ORDER BY file_idx, line`));
        await loadPresetEvents(db, getPreset(c.preset), c.files(), 'x1');
        await loadPresetEvents(db, getPreset(c.preset), c.files(), 'x2');
        expect(await dump('x2')).toBe(await dump('x1'));
      }
    });
  });
});

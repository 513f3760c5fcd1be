/**
 * What a promoted segment records of how its run read the inputs (`sourceOf`): the configured
 * columns and keys, and where the config left them to detection, the ones the run found — so a
 * run that detected distinct_id / event_type / event_time exports SQL reading those columns, and
 * the statement selects exactly the users `rules apply` selects.
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { openDb } from '../../src/core/duckdb.js';
import { quoteLiteral } from '../../src/core/sql.js';
import { sourceOf } from '../../src/ruleset/compute.js';
import { readRuleset } from '../../src/ruleset/store.js';
import type { Manifest } from '../../src/run/types.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { DEFAULT_CONFIG } from '../helpers/config.js';
import { SAMPLE, membersByKey } from './helpers.js';

const detected: Pick<Manifest, 'mapping' | 'keys'> = {
  mapping: { userId: 'distinct_id', event: 'event_type', timestamp: 'event_time', timestampFormat: 'iso', eventId: 'message_id' },
  keys: { users: { key: 'uid', accountKey: 'org_id' }, accounts: { key: 'org_id' } },
};
const withTables = {
  ...DEFAULT_CONFIG,
  inputs: {
    ...DEFAULT_CONFIG.inputs,
    users: { paths: ['users.csv'], key: null, accountKey: null, exclude: [] },
    accounts: { paths: ['accounts.csv'], key: null, exclude: [] },
  },
} as typeof DEFAULT_CONFIG;

describe('sourceOf', () => {
  it('records the columns and keys the run detected where the config named none', () => {
    const source = sourceOf(withTables, detected);
    expect(source.events.columns).toEqual({ userId: 'distinct_id', event: 'event_type', timestamp: 'event_time', eventId: 'message_id' });
    expect(source.users).toMatchObject({ key: 'uid', accountKey: 'org_id' });
    expect(source.accounts).toMatchObject({ key: 'org_id' });
  });

  it('keeps what the config named over what was detected', () => {
    const events = { ...withTables.inputs.events!, columns: { userId: 'person', event: null, timestamp: null, eventId: null } };
    const users = { ...withTables.inputs.users!, key: 'person' };
    const source = sourceOf({ ...withTables, inputs: { ...withTables.inputs, events, users } }, detected);
    expect(source.events.columns).toMatchObject({ userId: 'person', event: 'event_type' });
    expect(source.users?.key).toBe('person');
  });

  it('records no detected columns for a preset or for files read with different columns', () => {
    expect(sourceOf(withTables, { ...detected, mapping: { ...detected.mapping!, preset: 'segment' } }).events.columns.userId).toBeNull();
    const byFile = [{ file: 'a.csv', userId: 'distinct_id', event: 'event_type', timestamp: 'event_time', timestampFormat: 'iso' as const, eventId: null }];
    expect(sourceOf(withTables, { ...detected, mapping: { ...detected.mapping!, byFile } }).events.columns.userId).toBeNull();
  });

  it('reads a manifest from before keys were recorded as before', () => {
    expect(sourceOf(withTables, { mapping: null }).users).toMatchObject({ key: null, accountKey: null });
  });
});

describe('a run whose columns were detected, promoted and exported', () => {
  it('exports SQL reading the detected columns that selects the users apply selects', async () => {
    const dir = tempDir();
    // The sample with a vendor's column names and none of them in a config.
    const [header, ...rows] = gunzipSync(readFileSync(join(SAMPLE, 'events.csv.gz'))).toString('utf8').split('\n');
    expect(header).toBe('event_id,user_id,event,timestamp');
    writeFileSync(join(dir, 'events.csv'), ['message_id,distinct_id,event_type,event_time', ...rows].join('\n'));
    const [usersHeader, ...userRows] = readFileSync(join(SAMPLE, 'users.csv'), 'utf8').split('\n');
    writeFileSync(join(dir, 'users.csv'), [usersHeader.replace(/^user_id,/, 'uid,'), ...userRows].join('\n'));
    const inputs = ['--events', join(dir, 'events.csv'), '--users', join(dir, 'users.csv')];

    const run = await runCli(['run', ...inputs, '--out', join(dir, 'runs'), '--quiet']);
    expect(run.stderr).toBe('');
    const ruleset = join(dir, 'ruleset');
    expect((await runCli(['rules', 'promote', join(dir, 'runs', 'latest'), 'all', '--ruleset', ruleset, '--quiet'])).code).toBe(0);
    const docs = readRuleset(ruleset).map((e) => e.doc);
    expect(docs.length).toBeGreaterThan(1);
    for (const doc of docs) {
      expect(doc.source.events.columns).toEqual({ userId: 'distinct_id', event: 'event_type', timestamp: 'event_time', eventId: 'message_id' });
      expect(doc.source.users?.key).toBe('uid');
    }
    // The sample's rules read users-table attributes too, so the users' key is exercised.
    expect(docs.some((doc) => Object.values(doc.features).some((f) => f.meaning.kind === 'attribute' || f.meaning.kind === 'attributeAge'))).toBe(true);

    const applied = join(dir, 'applied');
    expect((await runCli(['rules', 'apply', '--ruleset', ruleset, ...inputs, '--out', applied, '--quiet'])).code).toBe(0);
    const members = membersByKey(join(applied, 'memberships.csv'));
    const sql = join(dir, 'sql');
    expect((await runCli(['rules', 'export', '--ruleset', ruleset, '--to', 'sql', '--dialect', 'duckdb', '--out', sql, '--quiet'])).code).toBe(0);

    const db = await openDb();
    try {
      await db.run(`CREATE TABLE events AS SELECT * REPLACE (CAST(event_time AS TIMESTAMP) AS event_time) FROM read_csv(${quoteLiteral(join(dir, 'events.csv'))})`);
      await db.run(`CREATE TABLE users AS SELECT * FROM read_csv(${quoteLiteral(join(dir, 'users.csv'))})`);
      const files = readdirSync(sql).filter((f) => f.endsWith('.sql'));
      expect(files.length).toBe(docs.length);
      for (const doc of docs) {
        const selected = await db.all<{ user_id: string }>(readFileSync(join(sql, `${doc.key}.sql`), 'utf8'));
        expect(selected.map((r) => r.user_id).sort(), doc.key).toEqual([...(members.get(doc.key) ?? [])].sort());
        expect(selected.length, doc.key).toBeGreaterThan(0);
      }
    } finally {
      db.close();
    }
  }, 180_000);
});

import { createHash } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SAMPLE, generateSample, type SampleSummary } from '../../data/sample/generate.js';
import { tempDir } from '../helpers/tmp.js';

const SAMPLE_DIR = fileURLToPath(new URL('../../data/sample/', import.meta.url));
const FILES = ['events.csv.gz', 'users.csv', 'accounts.csv', 'ground-truth.csv'] as const;

type Row = Record<string, string>;

function parseCsv(text: string): { fields: string[]; rows: Row[] } {
  const parsed = Papa.parse<Row>(text, { header: true, skipEmptyLines: true });
  expect(parsed.errors).toEqual([]);
  return { fields: parsed.meta.fields ?? [], rows: parsed.data };
}

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('bundled sample (data/sample)', () => {
  let dir: string;
  let summary: SampleSummary;

  beforeAll(async () => {
    dir = tempDir('segmint-sample-');
    summary = await generateSample({ ...DEFAULT_SAMPLE, outDir: dir });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(FILES)('regenerates %s byte for byte (run `npm run sample` after changing the generator)', (file) => {
    expect(sha256(join(dir, file))).toBe(sha256(join(SAMPLE_DIR, file)));
  });

  // Tells a changed generator (this fails too) from a zlib that compresses differently (only the
  // .gz comparison above fails).
  it('regenerates the events themselves byte for byte', () => {
    const content = (d: string) => createHash('sha256').update(gunzipSync(readFileSync(join(d, 'events.csv.gz')))).digest('hex');
    expect(content(dir)).toBe(content(SAMPLE_DIR));
  });

  describe('contents', () => {
    let events: Row[];
    let users: Row[];
    let accounts: Row[];
    let truth: Row[];

    beforeAll(() => {
      const ev = parseCsv(gunzipSync(readFileSync(join(SAMPLE_DIR, 'events.csv.gz'))).toString('utf8'));
      expect(ev.fields).toEqual(['event_id', 'user_id', 'event', 'timestamp']);
      events = ev.rows;
      const us = parseCsv(readFileSync(join(SAMPLE_DIR, 'users.csv'), 'utf8'));
      expect(us.fields).toEqual(['user_id', 'account_id', 'role', 'country', 'language', 'signup_date', 'email_opt_in']);
      users = us.rows;
      const ac = parseCsv(readFileSync(join(SAMPLE_DIR, 'accounts.csv'), 'utf8'));
      expect(ac.fields).toEqual([
        'account_id', 'name', 'industry', 'employees', 'plan', 'crm', 'marketing_automation', 'arr', 'lifecycle_stage', 'created_date',
      ]);
      accounts = ac.rows;
      const gt = parseCsv(readFileSync(join(SAMPLE_DIR, 'ground-truth.csv'), 'utf8'));
      expect(gt.fields).toEqual(['user_id', 'persona']);
      truth = gt.rows;
    });

    it('has the sizes the summary reports', () => {
      expect(summary).toEqual({ events: events.length, users: 5000, accounts: 600 });
      expect(users).toHaveLength(5000);
      expect(accounts).toHaveLength(600);
      expect(events.length).toBeGreaterThan(250_000);
      expect(events.length).toBeLessThan(400_000);
    });

    it('keeps every event inside the 90-day window, sorted by timestamp then event_id', () => {
      const iso = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;
      let bad = 0;
      let unsorted = 0;
      for (let i = 0; i < events.length; i++) {
        const { timestamp: t, event_id: id } = events[i];
        if (!iso.test(t) || t < '2026-08-03T00:00:00Z' || t > '2026-10-31T23:59:59Z') bad++;
        if (i > 0) {
          const p = events[i - 1];
          if (p.timestamp > t || (p.timestamp === t && p.event_id >= id)) unsorted++;
        }
      }
      expect(bad).toBe(0);
      expect(unsorted).toBe(0);
      expect(new Set(events.map((e) => e.event_id)).size).toBe(events.length);
    });

    it('uses 15–25 snake_case event types, each by several personas', () => {
      const persona = new Map(truth.map((r) => [r.user_id, r.persona]));
      const byType = new Map<string, Set<string>>();
      for (const e of events) {
        if (!byType.has(e.event)) byType.set(e.event, new Set());
        byType.get(e.event)!.add(persona.get(e.user_id)!);
      }
      expect(byType.size).toBeGreaterThanOrEqual(15);
      expect(byType.size).toBeLessThanOrEqual(25);
      for (const [type, personas] of byType) {
        expect(type).toMatch(/^[a-z]+(_[a-z]+)*$/);
        expect(personas.size, type).toBeGreaterThanOrEqual(3);
      }
    });

    it('links every event to a user and every user to an account', () => {
      const userIds = new Set(users.map((u) => u.user_id));
      const accountIds = new Set(accounts.map((a) => a.account_id));
      expect(userIds.size).toBe(users.length);
      expect(accountIds.size).toBe(accounts.length);
      expect(events.filter((e) => !userIds.has(e.user_id))).toEqual([]);
      expect(users.filter((u) => !accountIds.has(u.account_id))).toEqual([]);
    });

    it('has ground truth for every user, six personas at 10–25% each', () => {
      expect(truth.map((r) => r.user_id)).toEqual(users.map((u) => u.user_id));
      const counts = new Map<string, number>();
      for (const r of truth) counts.set(r.persona, (counts.get(r.persona) ?? 0) + 1);
      expect([...counts.keys()].sort()).toEqual([
        'api_integrator', 'dashboard_builder', 'lapsed_viewer', 'new_trialist', 'report_viewer', 'workspace_admin',
      ]);
      for (const n of counts.values()) {
        expect(n / truth.length).toBeGreaterThanOrEqual(0.1);
        expect(n / truth.length).toBeLessThanOrEqual(0.25);
      }
    });

    it('gives every user events: at least 10 for active personas, and lapsed users stop 35–80 days before the end', () => {
      const persona = new Map(truth.map((r) => [r.user_id, r.persona]));
      const n = new Map<string, number>();
      const last = new Map<string, string>();
      for (const e of events) {
        n.set(e.user_id, (n.get(e.user_id) ?? 0) + 1);
        last.set(e.user_id, e.timestamp); // sorted by time, so the last one wins
      }
      const end = Date.parse('2026-10-31T23:59:59Z');
      for (const u of users) {
        const p = persona.get(u.user_id)!;
        const count = n.get(u.user_id) ?? 0;
        const idleDays = (end - Date.parse(last.get(u.user_id) ?? '2000-01-01T00:00:00Z')) / 86_400_000;
        expect(count, u.user_id).toBeGreaterThanOrEqual(p === 'lapsed_viewer' ? 1 : 10);
        if (p === 'lapsed_viewer') {
          expect(idleDays, u.user_id).toBeGreaterThanOrEqual(35);
          expect(idleDays, u.user_id).toBeLessThan(81);
        } else {
          expect(idleDays, u.user_id).toBeLessThan(8);
        }
      }
    });

    it('has sane attribute values, with a few blanks in optional columns', () => {
      const date = /^\d{4}-\d\d-\d\d$/;
      expect(users.filter((u) => !date.test(u.signup_date))).toEqual([]);
      expect(new Set(users.map((u) => u.email_opt_in))).toEqual(new Set(['true', 'false', '']));
      const blankRoles = users.filter((u) => u.role === '').length;
      expect(blankRoles).toBeGreaterThan(0);
      expect(blankRoles / users.length).toBeLessThan(0.1);

      for (const a of accounts) {
        expect(['free', 'starter', 'pro', 'enterprise']).toContain(a.plan);
        expect(['salesforce', 'hubspot', 'pipedrive', 'none', '']).toContain(a.crm);
        expect(['marketo', 'hubspot', 'pardot', 'none', '']).toContain(a.marketing_automation);
        expect(a.created_date).toMatch(date);
        expect(Number(a.employees)).toBeGreaterThan(0);
        expect(Number(a.arr)).toBeGreaterThanOrEqual(0);
        if (a.plan === 'free') expect(a.arr).toBe('0');
      }
      expect(new Set(accounts.map((a) => a.name)).size).toBe(accounts.length);
      // ARR is heavy-tailed and follows the plan.
      const median = (plan: string) => {
        const v = accounts.filter((a) => a.plan === plan && a.lifecycle_stage !== 'trial').map((a) => Number(a.arr)).sort((x, y) => x - y);
        return v[Math.floor(v.length / 2)];
      };
      expect(median('starter')).toBeLessThan(median('pro'));
      expect(median('pro')).toBeLessThan(median('enterprise'));
    });

    it('correlates attributes with personas only loosely', () => {
      const role = new Map(users.map((u) => [u.user_id, u.role]));
      const admins = truth.filter((r) => r.persona === 'workspace_admin');
      const share = admins.filter((r) => role.get(r.user_id) === 'admin').length / admins.length;
      expect(share).toBeGreaterThan(0.25);
      expect(share).toBeLessThan(0.6);
    });
  });

  it('is deterministic for a seed and different across seeds (small run)', async () => {
    const small = { ...DEFAULT_SAMPLE, users: 120, accounts: 15 };
    const [a, b, c] = [tempDir('segmint-sample-'), tempDir('segmint-sample-'), tempDir('segmint-sample-')];
    try {
      const ra = await generateSample({ ...small, outDir: a });
      const rb = await generateSample({ ...small, outDir: b });
      await generateSample({ ...small, seed: small.seed + 1, outDir: c });
      expect(ra).toEqual(rb);
      expect(ra.users).toBe(120);
      for (const f of FILES) expect(sha256(join(a, f)), f).toBe(sha256(join(b, f)));
      expect(sha256(join(a, 'events.csv.gz'))).not.toBe(sha256(join(c, 'events.csv.gz')));
    } finally {
      for (const d of [a, b, c]) rmSync(d, { recursive: true, force: true });
    }
  });
});

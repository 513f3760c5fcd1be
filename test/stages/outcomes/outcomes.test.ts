/**
 * Outcomes end to end (ingest → … → outcomes) on a generated attribute-only table: each outcome's
 * rate / mean per segment equals a count made by hand from the CSV, and adding outcome columns
 * never changes the segments (same assignments, same rules) — the acceptance of issue 12.
 */
import fc from 'fast-check';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../src/config/resolve.js';
import { createContext } from '../../../src/core/context.js';
import { openDb } from '../../../src/core/duckdb.js';
import { analyse } from '../../../src/pipeline.js';
import { createRng } from '../../../src/core/rng.js';
import { wilson } from '../../../src/stages/outcomes/index.js';
import { tempDir } from '../../helpers/tmp.js';

type Row = Record<string, string | number>;

/** Two kinds of customer (plan and seats differ) with outcomes that depend on the kind. */
function customers(n: number, seed: number): Row[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, (_, i) => {
    const big = i % 3 === 0;
    return {
      customer_id: `c${String(i).padStart(4, '0')}`,
      plan: big ? (rng.next() < 0.9 ? 'enterprise' : 'pro') : rng.next() < 0.9 ? 'free' : 'pro',
      seats: Math.round((big ? 200 : 5) * (0.5 + rng.next())),
      tenure_months: Math.round((big ? 30 : 6) * (0.5 + rng.next())),
      churned: rng.next() < (big ? 0.1 : 0.4) ? 'true' : 'false',
      tier: ['gold', 'silver', 'bronze'][Math.floor(rng.next() * 3)],
      // Every 10th value missing: those users are left out of the mean's n.
      revenue: i % 10 === 7 ? '' : Math.round((big ? 5000 : 300) * (0.5 + rng.next())),
    };
  });
}

function writeCsv(dir: string, name: string, rows: readonly Row[], drop: readonly string[]): string {
  const file = join(dir, name);
  writeFileSync(file, Papa.unparse(rows.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !drop.includes(k))))));
  return file;
}

async function analyseUsers(file: string, users: Record<string, unknown>) {
  const config = resolveConfig({ seed: 3, cluster: { k: 2 }, inputs: { users: { path: file, key: 'customer_id', ...users } } }, { file: 'test', baseDir: '/', source: null });
  const db = await openDb();
  try {
    return await analyse(db, config, createContext(config.seed));
  } finally {
    db.close();
  }
}

const OUTCOMES = ['churned', 'tier', 'revenue'];

describe('outcomes per segment', () => {
  const dir = tempDir('segmint-outcomes-');
  const rows = customers(300, 11);
  const withOutcomes = writeCsv(dir, 'with.csv', rows, []);
  const without = writeCsv(dir, 'without.csv', rows, OUTCOMES);

  it('leaves the segments exactly as a run without the outcome columns, and reports each outcome by hand-checked counts', async () => {
    const a = await analyseUsers(withOutcomes, { outcomes: OUTCOMES });
    const b = await analyseUsers(without, {});
    expect(Array.from(a.cluster.labels)).toEqual(Array.from(b.cluster.labels));
    expect(a.features.columns.map((c) => c.name)).toEqual(b.features.columns.map((c) => c.name));
    expect(a.rules.rules.map((r) => r.text)).toEqual(b.rules.rules.map((r) => r.text));
    expect(a.features.columns.some((c) => OUTCOMES.some((o) => c.name.includes(o)))).toBe(false);

    const measures = a.outcomes!;
    expect(measures.map((m) => [m.label, m.kind, m.level])).toEqual([
      ['churned', 'rate', 'true'],
      ...['bronze', 'gold', 'silver']
        .map((l) => [l, rows.filter((r) => r.tier === l).length] as const)
        .sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1))
        .map(([l]) => [`tier = ${l}`, 'rate', l]),
      ['mean revenue', 'mean', null],
    ]);
    const segmentOf = new Map(a.features.userIds.map((id, i) => [id, a.cluster.labels[i]]));
    for (let s = 0; s < a.cluster.k; s++) {
      const members = rows.filter((r) => segmentOf.get(String(r.customer_id)) === s);
      const churn = measures[0].segments.find((x) => x.segment === s)!;
      const hits = members.filter((r) => r.churned === 'true').length;
      expect(churn.n).toBe(members.length);
      expect(churn.value).toBeCloseTo(hits / members.length, 5);
      expect(churn.low).toBeCloseTo(wilson(hits, members.length).low, 5);
      const revenue = measures.at(-1)!.segments.find((x) => x.segment === s)!;
      const values = members.filter((r) => r.revenue !== '').map((r) => Number(r.revenue));
      expect(revenue.n).toBe(values.length);
      expect(revenue.value).toBeCloseTo(values.reduce((t, v) => t + v, 0) / values.length, 1);
      expect(revenue.lift).toBeCloseTo(revenue.value! / measures.at(-1)!.everyone.value!, 4);
    }
    expect(measures[0].everyone.n).toBe(300);
    expect(measures.at(-1)!.everyone.n).toBe(270);
  }, 120_000);

  it('never changes the segments, whatever the outcome columns hold', async () => {
    const base = await analyseUsers(without, {});
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 2 ** 31 - 1 }), async (seed) => {
        const rng = createRng(seed);
        const noisy = rows.map((r) => ({ ...r, churned: rng.next() < 0.5 ? '1' : '0', tier: `t${Math.floor(rng.next() * 5)}`, revenue: rng.next() * 1e6 }));
        const a = await analyseUsers(writeCsv(dir, `noisy-${seed}.csv`, noisy, []), { outcomes: OUTCOMES });
        expect(Array.from(a.cluster.labels)).toEqual(Array.from(base.cluster.labels));
      }),
      { numRuns: 3 },
    );
  }, 180_000);
});

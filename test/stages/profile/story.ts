/**
 * A small, deterministic "product" table with four planted segments: lapsed report viewers,
 * night-time heavy API users on enterprise plans, new dashboard-creating admins, and light users.
 */
import { createRng } from '../../../src/core/rng.js';
import type { FeatureTable } from '../../../src/stages/features/types.js';
import { bool, cat, num, table } from '../transform/feature-table.js';

export const STORY_EVENTS = ['report_viewed', 'api_call', 'dashboard_created', 'login'] as const;

export function storyTable(perSegment = 50): { features: FeatureTable; labels: Int32Array } {
  const rng = createRng(7);
  const n = 4 * perSegment;
  const labels = new Int32Array(n);
  const mix = [
    [0.6, 0.05, 0.05, 0.3],
    [0.1, 0.7, 0.05, 0.15],
    [0.2, 0.05, 0.5, 0.25],
    [0.25, 0.25, 0.25, 0.25],
  ];
  const shares: number[][] = STORY_EVENTS.map(() => []);
  const total: number[] = [];
  const last: number[] = [];
  const first: number[] = [];
  const night: number[] = [];
  const sessions: number[] = [];
  const plan: string[] = [];
  const admin: number[] = [];
  for (let i = 0; i < n; i++) {
    const s = i % 4;
    labels[i] = s;
    const w = mix[s].map((b) => b * (0.7 + 0.6 * rng.next()));
    const sum = w.reduce((a, b) => a + b);
    w.forEach((x, j) => shares[j].push(x / sum));
    total.push(Math.round((s === 1 ? 300 : s === 3 ? 10 : 40) * (0.5 + rng.next())));
    last.push(Math.round(s === 0 ? 50 + 10 * rng.next() : 5 * rng.next()));
    first.push(Math.round(s === 2 ? 10 * rng.next() : 100 + 50 * rng.next()));
    night.push(s === 1 ? 0.5 + 0.3 * rng.next() : 0.1 * rng.next());
    sessions.push(Math.round(5 + 10 * rng.next()));
    plan.push(s === 1 ? (rng.next() < 0.7 ? 'enterprise' : 'pro') : rng.next() < 0.5 ? 'free' : 'pro');
    admin.push(s === 2 && rng.next() < 0.8 ? 1 : rng.next() < 0.1 ? 1 : 0);
  }
  const features = table([
    num('events', total, { meaning: { kind: 'events' }, integer: true }),
    num('sessions', sessions, { meaning: { kind: 'sessions', gapMinutes: 30 }, integer: true }),
    num('days_since_last', last, { meaning: { kind: 'daysSinceLastEvent' }, integer: true }),
    num('days_since_first', first, { meaning: { kind: 'daysSinceFirstEvent' }, integer: true }),
    num('night_share', night, { meaning: { kind: 'hourShare', band: 'night' } }),
    ...STORY_EVENTS.map((e, j) => num(`share__${e}`, shares[j], { meaning: { kind: 'eventShare', events: { type: 'event', event: e } } })),
    ...STORY_EVENTS.map((e, j) =>
      num(`count__${e}`, shares[j].map((x, i) => Math.round(x * total[i])), { meaning: { kind: 'eventCount', events: { type: 'event', event: e } }, integer: true }),
    ),
    cat('plan', plan, { meaning: { kind: 'attribute', source: 'users', column: 'plan', type: 'category' } }),
    bool('is_admin', admin, { meaning: { kind: 'attribute', source: 'users', column: 'is admin', type: 'boolean' } }),
  ]);
  return { features, labels };
}

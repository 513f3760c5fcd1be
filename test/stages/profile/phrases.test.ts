import { describe, expect, it } from 'vitest';
import type { Feature } from '../../../src/stages/features/types.js';
import { classify, phrase } from '../../../src/stages/profile/roles.js';
import { bool, cat, num } from '../transform/feature-table.js';

const say = (f: Feature, seg: number, pop: number, category?: string) => phrase(classify(f), f, seg, pop, category);

const event = (name: string) => ({ type: 'event', event: name }) as const;

describe('trait phrases, from each feature\'s meaning', () => {
  it('event counts and shares', () => {
    const count = num('count__report_viewed', [1], { meaning: { kind: 'eventCount', events: event('report_viewed') }, integer: true });
    const share = num('share__report_viewed', [0.5], { meaning: { kind: 'eventShare', events: event('report_viewed') } });
    expect(say(count, 41.2, 14.7)).toBe('2.8× more report_viewed events (41 vs 15 per user)');
    expect(say(count, 2.5, 15)).toBe('6.0× fewer report_viewed events (2.5 vs 15 per user)');
    // The "vs" is the average user's share, not the share of all events (QA: "95% of events are
    // api_call (vs 8.9%)" where api_call was 50% of all events, most of them by 150 heavy users).
    expect(say(share, 0.62, 0.24)).toBe('62% of events are report_viewed (vs 24% for the average user)');
  });

  it('recency, tenure and days since an attribute date', () => {
    const last = num('days_since_last_event', [1], { meaning: { kind: 'daysSinceLastEvent' }, integer: true });
    const first = num('days_since_first_event', [1], { meaning: { kind: 'daysSinceFirstEvent' }, integer: true });
    const signup = num('attr_signup_date_age_days', [1], { meaning: { kind: 'attributeAge', source: 'users', column: 'signup_date', tenure: true }, integer: true });
    expect(say(last, 52.3, 9.04)).toBe('last active 52 days ago (vs 9)');
    expect(say(last, 2.46, 16)).toBe('last active 2.5 days ago (vs 16)');
    expect(say(first, 8.8, 71)).toBe('first seen 8.8 days ago (vs 71)');
    expect(say(signup, 1, 140)).toBe('signup_date 1 day ago (vs 140)');
    expect(classify(signup)).toEqual({ kind: 'daysSince', what: 'signup_date', tenure: true });
  });

  it('shares, units and explanatory parentheses', () => {
    const night = num('hour_night_share', [0.2], { meaning: { kind: 'hourShare', band: 'night' } });
    const minutes = num('avg_session_minutes', [3], { meaning: { kind: 'sessionMinutes', gapMinutes: 30 } });
    const perSession = num('events_per_session', [3], { meaning: { kind: 'eventsPerSession', gapMinutes: 30 } });
    const revenue = num('value_revenue_mean', [3], { meaning: { kind: 'value', name: 'revenue', columns: ['price'], aggregate: 'mean' } });
    expect(night.label).toBe('share of events at night (00–06 UTC)');
    expect(minutes.label).toBe('average session length (minutes)');
    expect(say(night, 0.64, 0.2)).toBe('64% of events at night (vs 20% for the average user)');
    expect(say(minutes, 12.04, 7.5)).toBe('1.6× higher average session length (12 vs 7.5 minutes)');
    expect(say(perSession, 4.1, 4.12)).toBe('about the same events per session (4.1 vs 4.1)');
    expect(say(perSession, 4.4, 4.1)).toBe('slightly higher events per session (4.4 vs 4.1)');
    // A value's source column explains; it is not a unit ("12 vs 7.5 price" was wrong).
    expect(revenue.label).toBe('mean revenue per event with revenue (price)');
    expect(say(revenue, 12, 7.5)).toBe('1.6× higher mean revenue per event with revenue (12 vs 7.5)');
  });

  it('flags, categories, and numbers around zero', () => {
    expect(say(bool('attr_is_admin', [1], { meaning: { kind: 'attribute', source: 'users', column: 'is_admin', type: 'boolean' } }), 0.73, 0.27)).toBe(
      'is_admin: 73% (vs 27%)',
    );
    expect(say(cat('attr_plan', ['x'], { meaning: { kind: 'attribute', source: 'accounts', column: 'plan', type: 'category' } }), 0.48, 0.12, 'enterprise')).toBe(
      'account plan = enterprise: 48% (vs 12%)',
    );
    const delta = num('delta', [1], { meaning: { kind: 'attribute', source: 'users', column: 'balance change', type: 'number' } });
    expect(say(delta, 0.5, -0.25)).toBe('higher balance change (0.5 vs -0.25)');
    expect(say(delta, 0, 3)).toBe('lower balance change (0 vs 3)');
  });
});

import { describe, expect, it } from 'vitest';
import type { Feature } from '../../../src/stages/features/types.js';
import { classify, phrase } from '../../../src/stages/profile/roles.js';
import { bool, cat, num } from '../transform/feature-table.js';

const say = (f: Feature, seg: number, pop: number, category?: string) => phrase(classify(f), f, seg, pop, category);

describe('trait phrases, with the features stage\'s names and labels', () => {
  it('event counts and shares (label `count of "<event>"`)', () => {
    const count = num('count__report_viewed', [1], { family: 'event_mix', label: 'count of "report_viewed"', integer: true });
    const share = num('share__report_viewed', [0.5], { family: 'event_mix', label: 'share of "report_viewed"' });
    expect(say(count, 41.2, 14.7)).toBe('2.8× more report_viewed events (41 vs 15 per user)');
    expect(say(count, 2.5, 15)).toBe('6.0× fewer report_viewed events (2.5 vs 15 per user)');
    expect(say(share, 0.62, 0.24)).toBe('62% of events are report_viewed (vs 24%)');
  });

  it('recency, tenure and days since an attribute date', () => {
    const last = num('days_since_last_event', [1], { family: 'recency', label: 'days since last event', integer: true });
    const first = num('days_since_first_event', [1], { family: 'recency', label: 'days since first event', integer: true });
    const signup = num('attr_signup_date_age_days', [1], { family: 'attribute', label: 'days since signup_date', integer: true });
    expect(say(last, 52.3, 9.04)).toBe('last active 52 days ago (vs 9)');
    expect(say(last, 2.46, 16)).toBe('last active 2.5 days ago (vs 16)');
    expect(say(first, 8.8, 71)).toBe('first seen 8.8 days ago (vs 71)');
    expect(say(signup, 1, 140)).toBe('signup_date 1 day ago (vs 140)');
    expect(classify(signup)).toEqual({ kind: 'daysSince', what: 'signup_date', tenure: true });
  });

  it('shares, units and explanatory parentheses', () => {
    const night = num('hour_night_share', [0.2], { family: 'time', label: 'share of events at night (00–06 UTC)' });
    const minutes = num('avg_session_minutes', [3], { family: 'sessions', label: 'average session length (minutes)' });
    const perSession = num('events_per_session', [3], { family: 'sessions', label: 'events per session' });
    expect(say(night, 0.64, 0.2)).toBe('64% of events at night (vs 20%)');
    expect(say(minutes, 12.04, 7.5)).toBe('1.6× higher average session length (12 vs 7.5 minutes)');
    expect(say(perSession, 4.1, 4.12)).toBe('about the same events per session (4.1 vs 4.1)');
    expect(say(perSession, 4.4, 4.1)).toBe('slightly higher events per session (4.4 vs 4.1)');
  });

  it('flags, categories, and numbers around zero', () => {
    expect(say(bool('attr_is_admin', [1], { label: 'is_admin' }), 0.73, 0.27)).toBe('is_admin: 73% (vs 27%)');
    expect(say(cat('attr_plan', ['x'], { label: 'account plan' }), 0.48, 0.12, 'enterprise')).toBe('account plan = enterprise: 48% (vs 12%)');
    const delta = num('delta', [1], { family: 'attribute', label: 'balance change' });
    expect(say(delta, 0.5, -0.25)).toBe('higher balance change (0.5 vs -0.25)');
    expect(say(delta, 0, 3)).toBe('lower balance change (0 vs 3)');
  });
});

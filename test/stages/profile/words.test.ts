import { describe, expect, it } from 'vitest';
import { eventFeature, eventWords } from '../../../src/stages/profile/events.js';
import { formatDays, formatNumber, formatPercent, formatRatio, oneLine, plural, singular } from '../../../src/stages/profile/words.js';
import { num } from '../transform/feature-table.js';

describe('event names in words', () => {
  it.each([
    ['report_viewed', 'report viewers', 'view reports'],
    ['dashboard_created', 'dashboard creators', 'create dashboards'],
    ['view_report', 'report viewers', 'view reports'],
    ['Page Viewed', 'page viewers', 'view pages'],
    ['fileUploaded', 'file uploaders', 'upload files'],
    ['files_uploaded', 'file uploaders', 'upload files'],
    ['boxes_shipped', 'boxes shipped users', null],
    ['queries_run', 'query runners', 'run queries'],
    ['invite.sent', 'invite senders', 'send invites'],
    ['search', 'searchers', 'search'],
    ['api_call', 'API users', 'call the API'],
    ['$pageview', 'page viewers', 'view pages'],
    ['login', 'log-in-heavy users', 'log in'],
    ['checkout_started', 'checkout starters', 'start checkouts'],
    ['query_copied', 'query copiers', 'copy queries'],
    ['onboarding_step', 'onboarding users', 'go through onboarding'],
    ['signup_flow_step', 'signup flow step users', null],
    ['<script>alert(1)</script>', 'script alert 1 users', null],
    ['!!!', '!!! users', null],
    // QA: "to cart adders", "add wishlists", "view helps".
    ['add_to_cart', 'cart adders', 'add to cart'],
    ['wishlist_added', 'wishlist adders', 'add to wishlist'],
    ['item_added', 'item adders', 'add items'],
    ['help_viewed', 'help viewers', 'view help'],
    ['share_with_team', 'team sharers', 'share with team'],
    ['video_watched', 'video watchers', 'watch videos'],
    // QA: "who often build faileds". The first word is the subject of a past tense.
    ['build_failed', 'build failed users', null],
    ['build_succeeded', 'build succeeded users', null],
    ['view_feed', 'feed viewers', 'view feeds'],
    // Outside check: "begin checkout users", "Enterprise approval given users".
    ['begin_checkout', 'checkout starters', 'start checkout'],
    ['approval_given', 'approval givers', 'give approvals'],
    ['select_item', 'item selectors', 'select items'],
  ])('%s → %s / %s', (event, noun, verb) => {
    expect(eventWords(event)).toEqual({ noun, verbPhrase: verb });
  });

  it('reads the event from the meaning and spots the other bucket', () => {
    const f = (measure: 'eventCount' | 'eventShare', event: string) => num('x', [1], { meaning: { kind: measure, events: { type: 'event', event } } });
    expect(eventFeature(f('eventShare', 'report.viewed'))).toEqual({ event: 'report.viewed', measure: 'share', bucket: false });
    expect(eventFeature(f('eventCount', 'Page Viewed (v2)'))).toEqual({ event: 'Page Viewed (v2)', measure: 'count', bucket: false });
    // A real event called "Other" is an event, not the bucket.
    expect(eventFeature(f('eventShare', 'Other'))).toEqual({ event: 'Other', measure: 'share', bucket: false });
    expect(eventFeature(f('eventShare', 'say "hi"\nnow'))).toEqual({ event: 'say "hi" now', measure: 'share', bucket: false });
    const bucket = num('share__other', [1], { meaning: { kind: 'eventShare', events: { type: 'other', except: ['a'] } } });
    expect(eventFeature(bucket)).toEqual({ event: 'other', measure: 'share', bucket: true });
    expect(eventFeature(num('distinct_event_types', [1], { meaning: { kind: 'distinctEventTypes' } }))).toBeNull();
    expect(eventFeature(num('share__x', [1], { meaning: { kind: 'weekendShare' } }))).toBeNull();
  });
});

describe('number formatting (locale-free)', () => {
  it('formats numbers, percentages, ratios and days sensibly', () => {
    expect([41.3, 15, 4.25, 0.456, 0.0004, 12345.6, -2.5].map((v) => formatNumber(v))).toEqual(['41.3', '15', '4.3', '0.46', '0', '12,346', '-2.5']);
    expect([41.3, 9.96, 2].map((v) => formatNumber(v, true))).toEqual(['41', '10', '2']);
    expect([0.62, 0.045, 0.001, 0.0004, 0, 1].map(formatPercent)).toEqual(['62%', '4.5%', '0.1%', '<0.1%', '0%', '100%']);
    expect([2.83, 12.4, 1].map(formatRatio)).toEqual(['2.8×', '12×', '1.0×']);
    expect([1, 52.4, 2.5].map(formatDays)).toEqual(['1 day', '52 days', '2.5 days']);
    expect(formatNumber(NaN)).toBe('n/a');
  });

  it('keeps data values on one line', () => {
    expect(oneLine('a\nb\r\n\tc  d\u2028e')).toBe('a b c d e');
    expect(oneLine(' \n ')).toBe('(blank)');
  });

  it('pluralises', () => {
    expect(['report', 'query', 'box', 'class', 'files', 'day'].map(plural)).toEqual(['reports', 'queries', 'boxes', 'classes', 'files', 'days']);
    expect(['reports', 'queries', 'boxes', 'class', 'status', 'API'].map(singular)).toEqual(['report', 'query', 'box', 'class', 'status', 'API']);
  });
});

/**
 * What the reports and the CLI summary say about the window: a warning first when it leaves out
 * more than half of the users, "the whole log" for window.days: all, and nothing event-shaped in
 * an attribute-only run.
 */
import { describe, expect, it } from 'vitest';
import { summaryTable } from '../../../src/cli/commands/run.js';
import { WHOLE_LOG_DAYS } from '../../../src/config/resolve.js';
import { renderHtml, renderMarkdown } from '../../../src/stages/report/index.js';
import { windowNotice } from '../../../src/stages/report/model.js';
import type { RunDocuments } from '../../../src/run/types.js';
import { makeConfig, makeRunDocuments } from '../../helpers/run-documents.js';

const base = makeRunDocuments();
const events = base.manifest.accounting.find((a) => a.role === 'events')!;
const users = base.manifest.accounting.find((a) => a.role === 'users')!;

/** 1,200 users clustered; `outside` more had events, none in the window. */
function withOutside(outside: number, overrides: Partial<RunDocuments['manifest']> = {}): RunDocuments {
  return makeRunDocuments({ manifest: { accounting: [{ ...events, usersOutOfWindow: outside }, users], ...overrides } });
}

describe('the window leaves out most users', () => {
  it('says nothing when it keeps most of them', () => {
    expect(windowNotice(base)).toBeNull();
    expect(windowNotice(withOutside(1_200))).toBeNull(); // exactly half
    expect(renderMarkdown(withOutside(1_000))).not.toContain('window leaves out');
  });

  it('users whose events all fall outside the window: counted, with the flags that change it', () => {
    const docs = withOutside(3_600);
    const n = windowNotice(docs)!;
    expect(n.headline).toBe('The 90-day window leaves out 75.0% of users');
    expect(n.detail).toBe(`3,600 of 4,800 users with events have none in the 90 days up to ${docs.manifest.window.end.slice(0, 10)}, so they are in no segment.`);
    for (const flag of ['--window-days N', 'window.days: N', '--window-days all', 'window.days: all', '--as-of']) expect(n.fix).toContain(flag);
  });

  it('users-table users with no events in the window count too', () => {
    const docs = makeRunDocuments({ segments: { usersWithoutEvents: 2_000 } });
    expect(windowNotice(docs)!.detail).toMatch(/^2,000 of 3,200 users in the users table have no events in the 90 days up to /);
  });

  it('report.md: a warning at the top of the summary, before the figures', () => {
    const md = renderMarkdown(withOutside(3_600));
    const summary = md.slice(md.indexOf('## Summary'), md.indexOf('## Segments'));
    expect(summary.split('\n').slice(2, 4)).toEqual([
      '> [!WARNING]',
      expect.stringMatching(/^> \*\*The 90-day window leaves out 75\.0% of users\.\*\* 3,600 of 4,800 users .* Widen it with `--window-days N` \(`window\.days: N` in the config\), or use the whole log with `--window-days all`/),
    ]);
    expect(summary.indexOf('[!WARNING]')).toBeLessThan(summary.indexOf('| Users |'));
  });

  it('report.html: a callout before the tiles, the flags as code', () => {
    const html = renderHtml(withOutside(3_600));
    const callout = /<div class="callout warn" id="window-drops-users" role="note">(.*?)<\/div>/s.exec(html);
    expect(callout).not.toBeNull();
    expect(callout![1]).toContain('<strong>The 90-day window leaves out 75.0% of users.</strong>');
    expect(callout![1]).toContain('<code>--window-days all</code>');
    expect(html.indexOf('id="window-drops-users"')).toBeLessThan(html.indexOf('class="tiles"'));
    expect(renderHtml(base)).not.toContain('window-drops-users');
  });

  it('the CLI summary starts with it', () => {
    const text = summaryTable(withOutside(3_600));
    expect(text.split('\n')[0]).toMatch(/^warning: The 90-day window leaves out 75\.0% of users\. 3,600 of 4,800 .* --window-days all \(window\.days: all\)/);
    expect(text).not.toContain('`');
    expect(summaryTable(base).startsWith('warning:')).toBe(false);
  });
});

describe('window.days: all', () => {
  const whole = withOutside(0, { config: makeConfig({ window: { days: WHOLE_LOG_DAYS, end: null } }) });

  it('is shown as the whole log, up to its last day, and never warns', () => {
    const end = whole.manifest.window.end.slice(0, 10);
    expect(renderMarkdown(whole)).toContain(`| Window | the whole log, up to ${end} |`);
    expect(renderHtml(whole)).toContain(`<div class="label">Window</div><div class="value">whole log</div><div class="sub">up to ${end}</div>`);
    expect(windowNotice(makeRunDocuments({ manifest: whole.manifest, segments: { usersWithoutEvents: 5_000 } }))).toBeNull();
  });
});

describe('an attribute-only run', () => {
  const docs = makeRunDocuments({ manifest: { accounting: [users], mapping: null } });

  it('report.md has no events used, no window and no event lists', () => {
    const md = renderMarkdown(docs);
    expect(md).not.toContain('| Events used |');
    expect(md).not.toContain('| Window |');
    expect(md).not.toContain('Over-indexed events');
    expect(md).not.toContain('Under-indexed events');
    expect(md).toContain('| Users | 1,200 |');
  });

  it('report.html has no events or window tiles and no event boxes', () => {
    const html = renderHtml(docs);
    expect(html).not.toContain('<div class="label">Events used</div>');
    expect(html).not.toContain('<div class="label">Window</div>');
    expect(html).not.toContain('Over-indexed events');
    expect(html).toContain('<div class="label">Users</div>');
    // A run with events keeps them.
    expect(renderHtml(base)).toContain('<h4>Over-indexed events</h4>');
  });
});

describe('a log that begins inside the window', () => {
  it('gives the first event beside the window dates, in both reports', () => {
    const w = base.manifest.window;
    const late = makeRunDocuments({ manifest: { window: { ...w, firstEvent: '2024-04-02T08:00:00Z' } } });
    expect(renderMarkdown(late)).toContain(`| Window | ${w.start} → ${w.end} (${w.days} days; events from 2024-04-02) |`);
    expect(renderHtml(late)).toMatch(/<div class="label">Window<\/div><div class="value">\d+ days<\/div><div class="sub">[^<]*; events from 2024-04-02<\/div>/);
    expect(renderMarkdown(base)).not.toContain('events from');
  });
});

import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../../src/stages/report/index.js';
import { formatInt } from '../../../src/stages/report/format.js';
import { makeRunDocuments } from '../../helpers/run-documents.js';
import { cells, markdownTables, withoutCode } from './checks.js';
import { HOSTILE, makeHostileDocuments } from './hostile.js';

describe('renderMarkdown', () => {
  const docs = makeRunDocuments();
  const md = renderMarkdown(docs);

  it('titles the report with the run id and config name', () => {
    expect(md.split('\n')[0]).toBe(`# segmint report: \`${docs.manifest.runId}\` (weekly)`);
  });

  it('summarises users, events used, window and why k was chosen', () => {
    expect(md).toContain('| Users | 1,200 |');
    expect(md).toContain('| Events used | 46,980 |');
    expect(md).toContain('(90 days)');
    expect(md).toContain(`**Why k = 3:** ${docs.segments.selection.reason}`);
    expect(md).not.toContain('No strong cluster structure');
  });

  it('names the peak days behind peak_day_share, and says nothing of them in a run without', () => {
    // Outside check: sale-day segments read as "weekend" and no one could see which days counted.
    const peaks = makeRunDocuments({ manifest: { peakDays: ['2026-09-19', '2026-10-24'] } });
    expect(renderMarkdown(peaks)).toContain('| Peak days | 2026-09-19, 2026-10-24 (twice the active users of most days within a week) |');
    expect(md).not.toContain('Peak days');
  });

  it('says clearly when there is no strong structure', () => {
    const weak = makeRunDocuments({ segments: { selection: { method: 'auto', reason: 'best silhouette', strongStructure: false } } });
    expect(renderMarkdown(weak)).toContain('**No strong cluster structure.**');
  });

  it('lists every segment in the table and in its own section', () => {
    for (const s of docs.segments.segments) {
      expect(md).toContain(`| ${s.id} | ${s.name} | ${formatInt(s.size)} |`);
      expect(md).toContain(`### Segment ${s.id}: ${s.name}`);
      expect(md).toContain(s.description);
    }
  });

  it('shows each rule with its metrics and whether its SQL was verified', () => {
    for (const r of docs.rules.rules) expect(md).toContain(`\n${r.text}\n`);
    expect(md).toContain('| 87.2% | 81.4% | 0.842 | 47.6% | 1.71× | 571 | 498 | 612 |');
    expect(md.match(/✓ SQL verified in DuckDB/g)).toHaveLength(2);
    expect(md.match(/✗ SQL \*\*not\*\* verified/g)).toHaveLength(1);
  });

  it('shows traits with signed effect sizes, lift and direction', () => {
    expect(md).toContain('| share of report_created events | 0.19 | 0.05 | +2.31 | 3.80× | ▲ over |');
    expect(md).toContain('| plan: trial | 64.0% | 21.0% | +1.61 | 3.05× | ▲ over |');
    expect(md).toContain('| sessions | 4.20 | 9.80 | −0.81 | 0.43× | ▼ under |');
  });

  it('has a row for every k tried and marks the chosen one', () => {
    for (const s of docs.segments.scores) expect(md).toMatch(new RegExp(`^\\| (\\*\\*)?${s.k}(\\*\\*)? \\|`, 'm'));
    expect(md).toContain('| **3** | 3,980.2 | 0.356 | 455.8 | 0.987 | 0.820 | 0.583 | 22.0% | yes | ◀ chosen |');
    // The Eligible column names every gate a k failed, the stability gate included.
    expect(md).toContain('| 4 | 3,512.9 | 0.298 | 421.3 | 1.102 | 0.640 | 0.551 | 9.0% | no: a segment not reproduced (0.58 \\< 0.8) |  |');
    expect(md).toContain('| 6 | 2,987.3 | 0.254 | 360.6 | 1.241 | — | 0.487 | 2.0% | no: a segment below 5.0% that is not stable |  |');
    expect(md).toContain('A k is eligible when every segment has at least 20 users');
  });

  it('leaves out the gap statistic when no k has one', () => {
    const base = makeRunDocuments();
    const text = renderMarkdown(makeRunDocuments({
      segments: { scores: base.segments.scores.map(({ gap: _gap, ...s }) => s) },
    }));
    expect(text).not.toContain('Gap statistic');
    expect(text).toContain('| **3** | 3,980.2 | 0.356 | 455.8 | 0.987 | 0.820 | 22.0% | yes | ◀ chosen |');
  });

  it('accounts for every row per input, with totals and the read = sum check', () => {
    expect(md).toContain('| events | `/repo/data/events.csv` | 48,210 | 46,980 | 950 | 240 | 0 | 40 | ✓ |');
    expect(md).toContain('| **total** |  | 49,460 | 48,180 | 950 | 252 | 0 | 78 | ✓ |');
    expect(md).toContain('read = used + out of window + duplicates + set aside (vendor-internal events) + rejected');
  });

  it('counts set-aside vendor-internal events in the sum', () => {
    const base = makeRunDocuments();
    const events = base.manifest.accounting[0];
    const withInternal = makeRunDocuments({
      manifest: { accounting: [{ ...events, read: events.read + 7, setAside: 7 }] },
    });
    const text = renderMarkdown(withInternal);
    expect(text).toContain('| 950 | 240 | 7 | 40 | ✓ |');
    expect(text).not.toContain('unaccounted');
  });

  it('flags an input whose counts do not add up', () => {
    const base = makeRunDocuments();
    const off = makeRunDocuments({
      manifest: { accounting: [{ ...base.manifest.accounting[0], read: base.manifest.accounting[0].read + 5 }] },
    });
    const text = renderMarkdown(off);
    expect(text).toContain('✗ 5 unaccounted');
    expect(text).toContain('⚠ Rows not accounted for in: events.');
  });

  it('lists warnings and timings', () => {
    for (const w of docs.manifest.warnings) expect(md).toContain(`| \`${w.code}\` | ${w.stage} |`);
    expect(md).toContain('| cluster | 3.62 s |');
    expect(md).toContain('| **total** | **7.41 s** |');
  });

  it('handles a segment without a rule and a run without warnings', () => {
    const base = makeRunDocuments();
    const text = renderMarkdown(makeRunDocuments({ rules: { rules: base.rules.rules.slice(1) }, manifest: { warnings: [] } }));
    expect(text).toContain('_No rule was suggested for this segment._');
    expect(text).toContain('## Warnings\n\nNone.');
  });

  it('is deterministic and independent of document order', () => {
    expect(renderMarkdown(makeRunDocuments())).toBe(md);
    const shuffled = makeRunDocuments({
      segments: { segments: [...docs.segments.segments].reverse(), scores: [...docs.segments.scores].reverse() },
    });
    expect(renderMarkdown(shuffled)).toBe(md);
  });

  it('matches the golden report for the fixture', async () => {
    await expect(md).toMatchFileSnapshot('./__snapshots__/fixture-report.md');
  });
});

describe('renderMarkdown with hostile data', () => {
  const md = renderMarkdown(makeHostileDocuments());

  it('keeps every table rectangular', () => {
    const tables = markdownTables(md);
    expect(tables.length).toBeGreaterThan(8);
    for (const t of tables) {
      const width = cells(t[0]).length;
      for (const row of t) expect(cells(row), row).toHaveLength(width);
    }
  });

  it('lets no HTML through outside code, except its own tags', () => {
    const prose = withoutCode(md).replace(/<\/?(details|summary|br)>/g, '');
    expect(prose).not.toMatch(/(^|[^\\])</m);
  });

  it('keeps fenced code blocks closed by their own fence', () => {
    // The hostile rule text contains ``` — its block must use a longer fence.
    expect(md).toContain(`\`\`\`\`\n${'sessions < 7 AND share of dashboard_viewed >= 0.45'} AND event = '${HOSTILE}'\n\`\`\`\``);
  });

  it('does not mutate its input', () => {
    const docs = makeHostileDocuments();
    const before = JSON.stringify(docs);
    renderMarkdown(docs);
    expect(JSON.stringify(docs)).toBe(before);
  });
});

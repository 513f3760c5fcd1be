import { describe, expect, it } from 'vitest';
import { renderHtml, renderMarkdown } from '../../../src/stages/report/index.js';
import { sinceMarkdown, sinceModel, sparkline } from '../../../src/stages/report/since.js';
import { makeRunDocuments } from '../../helpers/run-documents.js';
import { HOSTILE, makeHostileDocuments } from './hostile.js';
import { withLineage } from './lineage-docs.js';
import { cells, markdownTables, withoutCode } from './checks.js';

describe('"Since the previous run"', () => {
  it('is left out of report.md, and one line in report.html, for runs written before keys', () => {
    const docs = makeRunDocuments();
    expect(sinceModel(docs)).toBeNull();
    expect(renderMarkdown(docs)).not.toContain('Since the previous run');
    expect(renderHtml(docs)).toContain('written before segmint kept segment keys');
  });

  it('the transition table: previous keys (rows) by this run\'s keys (columns), no-events and absent users last', () => {
    const m = sinceModel(withLineage(makeRunDocuments(), 'k'))!;
    expect(m.matrix.from).toEqual(['seg-k0', 'seg-k1', 'seg-k2', 'seg-k90', '-1', '']);
    expect(m.matrix.to).toEqual(['seg-k0', 'seg-k1', 'seg-k2', '-1', '']);
    expect(m.matrix.counts[0]).toEqual([300, 7, 7, 0, 0]);
    expect(m.matrix.counts[3]).toEqual([0, 0, 100, 0, 0]);
    expect(m.matrix.counts[2]).toEqual([7, 7, 300, 4, 9]);
    const md = sinceMarkdown(withLineage(makeRunDocuments(), 'k'));
    expect(md).toContain('| From \\ to | `seg-k0` | `seg-k1` | `seg-k2` | No events in window | not in this run |');
    expect(md).toContain('| not in the previous run | · | 30 | · | · | · |');
    expect(md).toContain('900 of 1,000 users segmented in both runs (90.0%) kept their segment key.');
    expect(md).toContain('(renamed; was old name k)');
  });

  it('size history: one series per key, ended keys after current ones, gaps where a key did not exist', () => {
    const m = sinceModel(withLineage(makeRunDocuments(), 'k'))!;
    expect(m.series.map((s) => [s.key, s.id])).toEqual([['seg-k0', 0], ['seg-k1', 1], ['seg-k2', 2], ['seg-k90', null]]);
    expect(m.series[3].sizes.at(-1)).toBeNull();
    expect(sparkline([0, 50, 100, null], 100)).toBe('▁▅█·');
  });

  it('escapes every value from the documents', () => {
    const docs = withLineage(makeHostileDocuments(), HOSTILE);
    const html = renderHtml(docs);
    const section = html.slice(html.indexOf('<section id="since">'), html.indexOf('</section>', html.indexOf('<section id="since">')));
    expect(section).not.toContain('<script>');
    expect(section).not.toContain('</svg> |');
    expect(section).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    const md = sinceMarkdown(docs);
    // No HTML outside code spans, every table rectangular.
    expect(withoutCode(md)).not.toMatch(/(^|[^\\])</m);
    const tables = markdownTables(md);
    expect(tables.length).toBe(5);
    for (const t of tables) for (const row of t) expect(cells(row), row).toHaveLength(cells(t[0]).length);
  });
});

/** The report's "Promoted segments" section (`run|report --ruleset`): rendered only when given, escaped like everything else. */
import { describe, expect, it } from 'vitest';
import { renderHtml, renderMarkdown, escapeHtml } from '../../../src/stages/report/index.js';
import { cells, markdownTables, withoutCode } from './checks.js';
import { HOSTILE, makeHostileDocuments, makeHostileMatches } from './hostile.js';

describe('promoted segments section', () => {
  const docs = makeHostileDocuments();
  const promoted = makeHostileMatches(docs);

  it('appears only when matches are given; the rest of the report is unchanged', () => {
    const plain = renderMarkdown(docs);
    const md = renderMarkdown(docs, { promoted });
    expect(plain).not.toContain('## Promoted segments');
    const section = md.slice(md.indexOf('## Promoted segments'), md.indexOf('\n### Segment '));
    expect(md.replace(`${section}\n`, '')).toBe(plain);
    expect(renderHtml(docs)).not.toContain('id="promoted"');
    expect(renderHtml(docs, { promoted })).toContain('<section id="promoted"><h2>Promoted segments</h2>');
  });

  it('markdown: one row per match with key, version, Jaccard and whether the rule differs; tables rectangular, no HTML', () => {
    const md = renderMarkdown(docs, { promoted });
    const section = md.slice(md.indexOf('## Promoted segments'), md.indexOf('\n### Segment '));
    const [t] = markdownTables(section);
    expect(t).toHaveLength(2 + promoted.matches.length);
    for (const row of t) expect(cells(row)).toHaveLength(cells(t[0]).length);
    promoted.matches.forEach((m, i) => {
      const row = t[2 + i];
      expect(row).toContain(`\`${m.key}\``);
      expect(row).toContain(`| v${m.version} | ${m.jaccard.toFixed(2)} |`);
      expect(row).toContain(m.ruleDiffers ? 'differs from this run’s suggestion' : 'same as this run’s suggestion');
    });
    expect(section).toContain('Not evaluated on this run’s data: `skipped`');
    expect(withoutCode(section)).not.toMatch(/(^|[^\\])</m);
  });

  it('html: every value escaped, no script', () => {
    const html = renderHtml(docs, { promoted });
    expect(html).not.toMatch(/<script/i);
    const section = html.slice(html.indexOf('<section id="promoted">'), html.indexOf('</section>', html.indexOf('<section id="promoted">')));
    expect(section).toContain(escapeHtml(HOSTILE));
    expect(section.split('differs from this run’s suggestion').length - 1).toBe(promoted.matches.filter((m) => m.ruleDiffers).length);
  });
});

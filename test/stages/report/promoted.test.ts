/**
 * The report's "Promoted segments" section (`run|report --ruleset`): rendered only when given,
 * escaped like everything else, and naming every compared promoted segment, the ones no segment
 * matches included (QA: "Compared with 6" listed 5, never the one that no longer matched).
 */
import { describe, expect, it } from 'vitest';
import { renderHtml, renderMarkdown, escapeHtml, type PromotedMatches } from '../../../src/stages/report/index.js';
import { escapeMarkdown } from '../../../src/stages/report/escape.js';
import { makeRunDocuments } from '../../helpers/run-documents.js';
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

  it('markdown: one row per compared promoted segment with key, version, Jaccard and whether the rule differs; tables rectangular, no HTML', () => {
    const md = renderMarkdown(docs, { promoted });
    const section = md.slice(md.indexOf('## Promoted segments'), md.indexOf('\n### Segment '));
    const [t] = markdownTables(section);
    expect(promoted.compared).toBe(promoted.matches.length + promoted.unmatched.length);
    expect(t).toHaveLength(2 + promoted.compared);
    for (const row of t) expect(cells(row)).toHaveLength(cells(t[0]).length);
    promoted.matches.forEach((m, i) => {
      const row = t[2 + i];
      expect(row).toContain(`\`${m.key}\``);
      expect(row).toContain(`| v${m.version} | ${m.jaccard.toFixed(2)} |`);
      expect(row).toContain(m.ruleDiffers ? 'differs from this run’s suggestion; the promoted rule is `' : 'same as this run’s suggestion');
    });
    promoted.unmatched.forEach((u, i) => {
      const row = t[2 + promoted.matches.length + i];
      expect(row).toMatch(/^\| none: no segment of this run matches it \(/);
      expect(row).toContain(`\`${u.key}\``);
      expect(row).toContain(`| v${u.version} | ${(u.best?.jaccard ?? 0).toFixed(2)} | the promoted rule is \``);
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
    for (const u of [...promoted.matches, ...promoted.unmatched]) expect(section).toContain(`<code>${escapeHtml(u.key)}</code> ${escapeHtml(u.name)}`);
    expect(section.split('none: no segment of this run matches it').length - 1).toBe(promoted.unmatched.length);
  });

  describe('a promoted segment no segment matches', () => {
    // Five compared, one matched: the other four must be named, with their best overlap.
    const plain = makeRunDocuments();
    const p: PromotedMatches = {
      ruleset: 'rulesets/prod',
      compared: 4,
      matches: [{ segment: 2, key: 'power-reporters-1a2b3c', version: 3, name: 'Power reporters', jaccard: 0.8312, rule: 'events >= 150', ruleDiffers: true }],
      unmatched: [
        { key: 'lapsed-survey-cancellers-fa41f4', version: 1, name: 'Lapsed survey cancellers', rule: 'count of "view_report" ≥ 1', selected: 41, best: { segment: 1, jaccard: 0.1234 } },
        { key: 'no-one-9f8e7d', version: 2, name: 'No one', rule: 'events >= 100000', selected: 0, best: null },
        { key: 'ungrouped-000001', version: 1, name: 'Ungrouped', rule: 'events < 1', selected: 7, best: null },
      ],
      skipped: [],
    };

    it('markdown: a row for each, said to match none, with what it selects and its best overlap; the promoted rule named as such', () => {
      const md = renderMarkdown(plain, { promoted: p });
      const section = md.slice(md.indexOf('## Promoted segments'), md.indexOf('\n### Segment '));
      const [t] = markdownTables(section);
      expect(section).toContain('Compared with 4 promoted segment(s) of `rulesets/prod`.');
      expect(t.slice(2)).toEqual([
        '| 2 Power reporters | `power-reporters-1a2b3c` Power reporters | v3 | 0.83 | differs from this run’s suggestion; the promoted rule is `events >= 150` |',
        `| none: no segment of this run matches it (it selects 41 of this run’s users; best overlap: 1 Dormant trialists) | \`lapsed-survey-cancellers-fa41f4\` Lapsed survey cancellers | v1 | 0.12 | the promoted rule is \`count of "view_report" ≥ 1\` |`,
        '| none: no segment of this run matches it (it selects none of this run’s users) | `no-one-9f8e7d` No one | v2 | 0.00 | the promoted rule is `events >= 100000` |',
        '| none: no segment of this run matches it (it selects 7 of this run’s users, none in a segment) | `ungrouped-000001` Ungrouped | v1 | 0.00 | the promoted rule is `events < 1` |',
      ]);
      expect(section).toContain('Segments matching no promoted segment: 0, 1.');
    });

    it('markdown: with no match at all, the sentence says so and the table still names every compared one', () => {
      const md = renderMarkdown(plain, { promoted: { ...p, compared: 3, matches: [] } });
      const section = md.slice(md.indexOf('## Promoted segments'), md.indexOf('\n### Segment '));
      expect(section).toContain('No segment of this run matches a promoted segment.\n\n| Segment |');
      const [t] = markdownTables(section);
      expect(t.slice(2).map((r) => cells(r)[2].trim())).toEqual(p.unmatched.map((u) => `\`${u.key}\` ${escapeMarkdown(u.name)}`));
    });

    it('html: the same rows, escaped', () => {
      const html = renderHtml(plain, { promoted: p });
      const section = html.slice(html.indexOf('<section id="promoted">'), html.indexOf('</section>', html.indexOf('<section id="promoted">')));
      expect(section).toContain(
        '<tr><td>none: no segment of this run matches it (it selects 41 of this run’s users; best overlap: 1 Dormant trialists)</td><td><code>lapsed-survey-cancellers-fa41f4</code> Lapsed survey cancellers</td><td class="num">v1</td><td class="num">0.12</td><td>the promoted rule is <code>count of &quot;view_report&quot; ≥ 1</code></td></tr>',
      );
      expect(section).toContain('<td>differs from this run’s suggestion; the promoted rule is <code>events &gt;= 150</code></td>');
      expect(section.split('none: no segment of this run matches it').length - 1).toBe(3);
    });
  });
});

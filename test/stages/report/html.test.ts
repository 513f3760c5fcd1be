import { describe, expect, it } from 'vitest';
import { escapeHtml, renderHtml } from '../../../src/stages/report/index.js';
import { makeRunDocuments } from '../../helpers/run-documents.js';
import { remoteLoads, tagProblems } from './checks.js';
import { HOSTILE, makeHostileDocuments } from './hostile.js';

const svgBlocks = (html: string) => html.match(/<svg[\s\S]*?<\/svg>/g) ?? [];

describe('renderHtml', () => {
  const docs = makeRunDocuments();
  const html = renderHtml(docs);

  it('is one well-formed, self-contained document', () => {
    expect(html.startsWith('<!doctype html>\n<html lang="en">')).toBe(true);
    expect(html.trimEnd().endsWith('</html>')).toBe(true);
    expect(tagProblems(html)).toEqual([]);
    expect(html.match(/<style>/g)).toHaveLength(1);
  });

  it('has no script and loads nothing from the network', () => {
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/\son[a-z]+\s*=/i); // no inline event handlers either
    expect(remoteLoads(html)).toEqual([]);
    expect(html).not.toContain('http://');
    expect(html).not.toContain('https://');
    // Defence in depth: the CSP forbids scripts and fetches even if something slipped through.
    expect(html).toContain(`content="${escapeHtml("default-src 'none'; style-src 'unsafe-inline';")}`);
  });

  it('links only within the page', () => {
    const hrefs = [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]);
    expect(hrefs.length).toBeGreaterThan(0);
    for (const h of hrefs) expect(h).toMatch(/^#[\w-]+$/);
    for (const h of hrefs) expect(html).toContain(`id="${h.slice(1)}"`);
  });

  it('shows the run summary and the reason for k', () => {
    expect(html).toContain(escapeHtml(docs.manifest.runId));
    expect(html).toContain('46,980');
    expect(html).toContain(escapeHtml(docs.segments.selection.reason));
    expect(html).not.toContain('No strong cluster structure');
    const weak = makeRunDocuments({ segments: { selection: { method: 'auto', reason: 'x', strongStructure: false } } });
    expect(renderHtml(weak)).toContain('<strong>No strong cluster structure.</strong>');
    // The peak days behind peak_day_share, when the run has any.
    const peaks = renderHtml(makeRunDocuments({ manifest: { peakDays: ['2026-09-19', '2026-10-24'] } }));
    expect(peaks).toMatch(/Peak days[\s\S]*2026-09-19, 2026-10-24/);
    expect(html).not.toContain('Peak days');
  });

  it('has a card per segment with its traits chart, events and rule', () => {
    for (const s of docs.segments.segments) {
      const card = html.slice(html.indexOf(`<article class="card" id="segment-${s.id}">`));
      const end = card.indexOf('</article>');
      const body = card.slice(0, end);
      expect(end).toBeGreaterThan(0);
      expect(body).toContain(`<h3>${escapeHtml(s.name)}</h3>`);
      expect(body).toContain(escapeHtml(s.description));
      expect(body).toContain(`aria-label="Effect sizes of the top traits of segment ${s.id}"`);
      for (const e of [...s.overIndexedEvents, ...s.underIndexedEvents]) expect(body).toContain(`<code>${escapeHtml(e)}</code>`);
      const rule = docs.rules.rules.find((r) => r.segment === s.id)!;
      expect(body).toContain(`<pre><code>${escapeHtml(rule.text)}</code></pre>`);
    }
    expect(html.match(/✓ SQL verified/g)).toHaveLength(2);
    expect(html.match(/✗ SQL not verified/g)).toHaveLength(1);
  });

  it('draws the map, the size chart and one line chart per k criterion', () => {
    const svgs = svgBlocks(html);
    const map = svgs.find((s) => s.includes('aria-label="Map of 600 users'));
    expect(map).toBeDefined();
    // One path per segment, one badge per segment.
    expect(map!.match(/<path /g)).toHaveLength(3);
    expect(map!.match(/class="badge"/g)).toHaveLength(3);
    expect(svgs.some((s) => s.includes('aria-label="Segment sizes"'))).toBe(true);
    const kCharts = svgs.filter((s) => s.includes('by k; k = 3 chosen'));
    expect(kCharts).toHaveLength(7);
  });

  it('shows the scores table with the chosen k, accounting, warnings and timings', () => {
    expect(html).toMatch(/<tr class="chosen"><td class="num">3 ◀<\/td>/);
    // k = 4 fails the stability gate, 5 and 6 the share gate too: all three are muted and say why.
    expect(html.match(/<tr class="muted">/g)).toHaveLength(3);
    expect(html).toContain('<span class="bad">no: a segment not reproduced (0.58 &lt; 0.8)</span>');
    expect(html).toContain('<td class="num">49,460</td>');
    for (const w of docs.manifest.warnings) expect(html).toContain(escapeHtml(w.message));
    expect(html).toContain('Total 7.41 s.');
    expect(html).toContain(escapeHtml(docs.manifest.configHash));
  });

  it('is deterministic and independent of document order', () => {
    expect(renderHtml(makeRunDocuments())).toBe(html);
    const shuffled = makeRunDocuments({
      segments: { segments: [...docs.segments.segments].reverse(), scores: [...docs.segments.scores].reverse() },
      manifest: { versions: Object.fromEntries(Object.entries(docs.manifest.versions).reverse()) },
    });
    expect(renderHtml(shuffled)).toBe(html);
  });

  it('copes with missing metrics, an empty map and a segment without rule', () => {
    const base = makeRunDocuments();
    const odd = makeRunDocuments({
      segments: {
        map: [],
        scores: base.segments.scores.map((s) => ({ ...s, silhouette: null, stability: null })),
        segments: base.segments.segments.map((s) => ({ ...s, stability: null, traits: s.id === 0 ? [] : s.traits })),
      },
      rules: { rules: [] },
    });
    const out = renderHtml(odd);
    expect(tagProblems(out)).toEqual([]);
    expect(out).not.toContain('NaN');
    expect(out).toContain('No rule was suggested for this segment.');
  });
});

describe('renderHtml with hostile data', () => {
  const docs = makeHostileDocuments();
  const html = renderHtml(docs);

  it('escapes every value, in text, attributes and SVG', () => {
    expect(html).not.toContain('<script>alert(1)');
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &quot;quotes&quot; &amp; &#39;apos&#39; &lt;/svg&gt;');
    // Inside SVG too: segment names label the size bars and map badges.
    const svgs = svgBlocks(html);
    expect(svgs.some((s) => s.includes('&lt;script&gt;alert(1)'))).toBe(true);
  });

  it('stays well formed: a "</svg>" in the data closes nothing', () => {
    expect(tagProblems(html)).toEqual([]);
    expect(html.match(/<svg /g)?.length).toBe(html.match(/<\/svg>/g)?.length);
  });

  it('turns URLs in the data into text, never into loads or links', () => {
    expect(remoteLoads(html)).toEqual([]);
    expect(html).toContain('https://evil.example/x.png'); // shown as text
  });

  it('does not mutate its input', () => {
    const before = JSON.stringify(docs);
    renderHtml(docs);
    expect(JSON.stringify(docs)).toBe(before);
  });

  it('escapes with the one function (sanity check of the entity set)', () => {
    expect(escapeHtml(HOSTILE)).not.toMatch(/[<>"']/);
  });
});

import { describe, expect, it } from 'vitest';
import { segmentsSchema } from '../../../src/run/schema.js';
import { renderHtml, renderMarkdown } from '../../../src/stages/report/index.js';
import type { OutcomeMeasure } from '../../../src/stages/outcomes/index.js';
import { makeRunDocuments } from '../../helpers/run-documents.js';

const docs = makeRunDocuments();
const ids = docs.segments.segments.map((s) => s.id);
const hostile = '<img src=x onerror=alert(1)>';
const outcomes: OutcomeMeasure[] = [
  {
    outcome: 'churned',
    source: 'users',
    kind: 'rate',
    level: 'true',
    label: 'churned',
    everyone: { n: 1000, value: 0.2, low: 0.176, high: 0.226 },
    segments: ids.map((segment, i) => ({ segment, n: 100, value: 0.1 * (i + 1), low: 0.05 * (i + 1), high: 0.15 * (i + 1), lift: 0.5 * (i + 1) })),
  },
  {
    outcome: hostile,
    source: 'users',
    kind: 'mean',
    level: null,
    label: `mean ${hostile}`,
    everyone: { n: 900, value: 1240, low: 1180, high: 1300 },
    segments: ids.map((segment) => ({ segment, n: 0, value: null, low: null, high: null, lift: null })),
  },
];
const withOutcomes = { ...docs, segments: { ...docs.segments, outcomes } };

describe('outcomes in the reports', () => {
  it('is a valid segments.json field', () => {
    expect(segmentsSchema.safeParse(withOutcomes.segments).success).toBe(true);
  });

  it('adds a table to report.md with the rate, interval and lift per segment, and nothing without outcomes', () => {
    const md = renderMarkdown(withOutcomes);
    expect(md).toContain('## Outcomes');
    expect(md).toContain(`| 0 | ${docs.segments.segments[0].name.replace(/[|]/g, '\\|')} |`);
    expect(md).toContain('10.0% (5.0%–15.0%) | 0.50×');
    expect(md).toContain('| **Everyone** |');
    expect(md).not.toMatch(/[^\\]<img/);
    expect(renderMarkdown(docs)).not.toContain('## Outcomes');
  });

  it('sorts report.html by each measure without a script, escaping every label', () => {
    const html = renderHtml(withOutcomes);
    expect(html).toContain('id="outcomes"');
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toContain(hostile);
    // One order by segment plus one per measure; the churn order lists the highest rate first.
    expect(html.match(/name="outcome-order"/g)).toHaveLength(3);
    const churnOrder = html.split('class="outcome-order outcome-order-1"')[1].split('</table>')[0];
    const firstRow = churnOrder.split('<tbody>')[1].split('</tr>')[0];
    expect(firstRow).toContain(`<td class="num">${ids.at(-1)}</td>`);
    expect(renderHtml(docs)).not.toContain('id="outcomes"');
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cells } from './checks.js';
import { escapeHtml, escapeMarkdown, escapeMarkdownLine, markdownBlock, markdownCode } from '../../../src/stages/report/escape.js';
import { visibleControls } from '../../../src/core/visible.js';

/** What visibleControls rewrites (no global flag: used with .test). */
const INVISIBLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

const unescapeHtml = (s: string) =>
  s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');


describe('escapeHtml', () => {
  it('escapes the five significant characters', () => {
    expect(escapeHtml('<script>alert("x") & \'y\'</script>')).toBe(
      '&lt;script&gt;alert(&quot;x&quot;) &amp; &#39;y&#39;&lt;/script&gt;',
    );
    expect(escapeHtml(42)).toBe('42');
  });

  it('leaves no markup character and round-trips, control characters shown as escapes (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const e = escapeHtml(s);
        expect(e).not.toMatch(/[<>"']/);
        expect(e).not.toMatch(INVISIBLE);
        expect(unescapeHtml(e)).toBe(visibleControls(s));
        if (!INVISIBLE.test(s)) expect(unescapeHtml(e)).toBe(s);
      }),
    );
  });

  it('shows a bidi override as an escape, so it cannot turn the sentence around it', () => {
    expect(escapeHtml('evil\u202eexe.txt')).toBe('evil\\u202eexe.txt');
    expect(escapeMarkdown('plan r\u202etl')).toBe('plan r\\\\u202etl');
    expect(markdownCode('a\u2066b', false)).toBe('`a\\u2066b`');
  });
});

describe('escapeMarkdown', () => {
  it('keeps a value on one line, in one table cell, with no HTML', () => {
    const e = escapeMarkdown('a|b\nc <i>x</i> `code` *bold* [link](u) $x$');
    expect(e).toBe('a\\|b c \\<i\\>x\\</i\\> \\`code\\` \\*bold\\* \\[link\\](u) \\$x\\$');
  });

  it('leaves underscores inside words alone but escapes ones that could start emphasis', () => {
    expect(escapeMarkdown('report_viewed')).toBe('report_viewed');
    expect(escapeMarkdown('_private_ x')).toBe('\\_private\\_ x');
  });

  it('never yields an unescaped pipe, a line break, or an unescaped < (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const e = escapeMarkdown(s);
        expect(e).not.toMatch(/[\r\n\u2028\u2029]/);
        expect(cells(`|${e}|`)).toHaveLength(3);
        expect(e).not.toMatch(/(^|[^\\])(\\\\)*</);
      }),
    );
  });

  it('escapes block markers at the start of a line', () => {
    expect(escapeMarkdownLine('- item')).toBe('\\- item');
    expect(escapeMarkdownLine('1. first')).toBe('1\\. first');
    expect(escapeMarkdownLine('1.5x more')).toBe('1.5x more');
    expect(escapeMarkdownLine('# heading')).toBe('\\# heading');
  });
});

describe('markdownCode', () => {
  it('uses a fence longer than any backtick run inside', () => {
    expect(markdownCode('a`b', false)).toBe('``a`b``');
    expect(markdownCode('`x', false)).toBe('`` `x ``');
    expect(markdownCode('plain', false)).toBe('`plain`');
  });

  it('escapes pipes only inside tables', () => {
    expect(markdownCode('a|b', true)).toBe('`a\\|b`');
    expect(markdownCode('a|b', false)).toBe('`a|b`');
  });
});

describe('markdownBlock', () => {
  it('cannot be closed early by the content', () => {
    const block = markdownBlock('x\n```\ny', 'sql');
    expect(block).toBe('````sql\nx\n```\ny\n````');
  });
});

/**
 * Escaping for every value that comes from the data (event names, attribute values, ids,
 * segment names, rule text, warnings, file paths). Reports are opened by people who did not
 * produce the data, so a hostile event name must never become markup.
 */

import { visibleControls } from '../../core/visible.js';

const HTML_ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * The one HTML escape: safe in text, in quoted attributes, and inside inline SVG.
 *
 * @example
 * escapeHtml('<script>"x" & y</script>'); // '&lt;script&gt;&quot;x&quot; &amp; y&lt;/script&gt;'
 */
export function escapeHtml(value: unknown): string {
  return visibleControls(String(value)).replace(/[&<>"']/g, (c) => HTML_ENTITIES[c]);
}

/** Line breaks end a markdown table row and split paragraphs, so data values lose them. */
const oneLine = (value: string): string => visibleControls(value.replace(/\r\n|[\r\n\u2028\u2029]/g, ' '));

const isWordChar = (c: string | undefined): boolean => c !== undefined && /[\p{L}\p{N}]/u.test(c);

/**
 * Escapes a data value for markdown prose or a table cell: one line, every character that could
 * start markup backslash-escaped (`<` so no HTML, `|` so no new cell, `` ` `` `*` `[` `$` …).
 * Underscores inside a word are left alone (they cannot start emphasis) so `report_viewed`
 * stays readable in a diff.
 *
 * @example
 * escapeMarkdown('a|b <i>'); // 'a\\|b \\<i\\>'
 */
export function escapeMarkdown(value: unknown): string {
  const s = oneLine(String(value));
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '_') {
      out += isWordChar(s[i - 1]) && isWordChar(s[i + 1]) ? '_' : '\\_';
    } else if ('\\`*[]<>|~&$#!{}'.includes(c)) {
      out += `\\${c}`;
    } else {
      out += c;
    }
  }
  return out;
}

/**
 * Like escapeMarkdown, for a value that starts a line: a leading `-`, `+`, `=` or `1.` would
 * otherwise open a list or underline a heading.
 *
 * @example
 * escapeMarkdownLine('- not a list'); // '\\- not a list'
 */
export function escapeMarkdownLine(value: unknown): string {
  return escapeMarkdown(value).replace(/^([-+=])/, '\\$1').replace(/^(\d{1,9})([.)])(?=\s|$)/, '$1\\$2');
}

/**
 * A data value as an inline code span (identifiers: event names, feature names, paths).
 * Code spans show `<` and `*` literally; the fence is longer than any backtick run inside, and
 * in a table cell pipes are escaped because GFM splits cells before it parses code spans.
 *
 * @example
 * markdownCode('report_viewed', true); // '`report_viewed`'
 */
export function markdownCode(value: unknown, inTable: boolean): string {
  let s = oneLine(String(value));
  if (inTable) s = s.replace(/\|/g, '\\|');
  const longestRun = Math.max(0, ...(s.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longestRun + 1);
  const pad = s.startsWith('`') || s.endsWith('`') || s === '' ? ' ' : '';
  return `${fence}${pad}${s}${pad}${fence}`;
}

/**
 * A multi-line data value as a fenced code block whose fence no line inside can close.
 *
 * @example
 * markdownBlock('SELECT 1', 'sql'); // '```sql\nSELECT 1\n```'
 */
export function markdownBlock(value: string, info = ''): string {
  const longestRun = Math.max(0, ...(value.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(Math.max(3, longestRun + 1));
  return `${fence}${info}\n${value.replace(/\r\n?/g, '\n')}\n${fence}`;
}

/** Structural checks on rendered reports, shared by the report tests. */

/** Splits a markdown table row on pipes that are not backslash-escaped. */
export const cells = (row: string): string[] => row.split(/(?<!\\)\|/);

/** Markdown tables: consecutive lines starting with "|". */
export function markdownTables(md: string): string[][] {
  const tables: string[][] = [];
  let current: string[] | null = null;
  for (const line of md.split('\n')) {
    if (line.startsWith('|')) {
      if (!current) tables.push((current = []));
      current.push(line);
    } else {
      current = null;
    }
  }
  return tables;
}

/** Removes fenced code blocks and inline code spans (whose content markdown shows literally). */
export function withoutCode(md: string): string {
  const lines = md.split('\n');
  const out: string[] = [];
  let fence: string | null = null;
  for (const line of lines) {
    const m = /^(`{3,})/.exec(line);
    if (fence === null && m) fence = m[1];
    else if (fence !== null && line === fence) fence = null;
    else if (fence === null) out.push(line);
  }
  return withoutCodeSpans(out.join('\n'));
}

/**
 * Code spans as CommonMark reads them: outside a span a backslash escapes the next character;
 * a run of n backticks opens a span that the next run of exactly n backticks closes.
 */
function withoutCodeSpans(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '\\') {
      out += text.slice(i, i + 2);
      i += 2;
      continue;
    }
    if (c !== '`') {
      out += c;
      i++;
      continue;
    }
    let n = 0;
    while (text[i + n] === '`') n++;
    const closer = new RegExp(`(?<!\`)\`{${n}}(?!\`)`, 'g');
    closer.lastIndex = i + n;
    const m = closer.exec(text);
    if (m) {
      i = m.index + n;
    } else {
      out += text.slice(i, i + n);
      i += n;
    }
  }
  return out;
}

const VOID = new Set(['meta', 'br', 'hr', 'img', 'input', 'link', 'wbr', 'source', 'area', 'base', 'col', 'embed', 'track']);

/**
 * Checks that every tag is closed in order (void elements and self-closed SVG elements aside)
 * and that no "<" starts anything but a tag. Returns the problems found (empty when well formed).
 */
export function tagProblems(html: string): string[] {
  const body = html.replace(/<style>[\s\S]*?<\/style>/g, '<style></style>');
  const problems: string[] = [];
  const stack: string[] = [];
  const re = /<(\/?)([a-zA-Z][\w-]*)([^<>]*)>|<(?!!doctype)/gi;
  for (const m of body.matchAll(re)) {
    if (m[2] === undefined) {
      problems.push(`stray "<" at ${m.index}`);
      continue;
    }
    const [, closing, rawName, rest] = m;
    const name = rawName.toLowerCase();
    if (closing) {
      const open = stack.pop();
      if (open !== name) problems.push(`</${name}> closes <${open}> at ${m.index}`);
    } else if (!VOID.has(name) && !rest.endsWith('/')) {
      stack.push(name);
    }
  }
  if (stack.length) problems.push(`unclosed: ${stack.join(', ')}`);
  return problems;
}

/** Anything that would make a browser fetch from the network. */
export function remoteLoads(html: string): string[] {
  const patterns = [
    /\b(?:src|href|srcset|action|poster|data|xlink:href)\s*=\s*["']?\s*(?:https?:|\/\/)/gi,
    /@import/gi,
    /url\(\s*["']?\s*(?:https?:|\/\/)/gi,
    /<(?:link|img|iframe|object|embed|script|audio|video|source|base)\b/gi,
  ];
  return patterns.flatMap((p) => [...html.matchAll(p)].map((m) => m[0]));
}

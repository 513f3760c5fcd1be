/**
 * Plain-words helpers: one-line sanitising of data values, number/percent/ratio formatting
 * (locale-free, so output is identical on every machine), and English bits (plurals, agent
 * nouns for event verbs).
 */

/** Collapses newlines, control characters and runs of spaces: data values stay one line. */
export function oneLine(s: string): string {
  const t = s.replace(/[\u0000-\u001f\u007f\u0085\u2028\u2029]+/g, ' ').replace(/\s+/g, ' ').trim();
  return t === '' ? '(blank)' : t;
}

/** At most `max` characters, with an ellipsis when cut. */
export function clip(s: string, max: number): string {
  const chars = Array.from(s);
  return chars.length <= max ? s : `${chars.slice(0, max - 1).join('')}…`;
}

/** Thousands separators without Intl, so output does not depend on the locale. */
function group(intText: string): string {
  return intText.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function trimZeros(s: string): string {
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

/**
 * A number as a reader wants it: integers for counts and days when they are large enough to
 * make decimals noise, one decimal for small values, two significant digits below 1.
 */
export function formatNumber(v: number, integer = false): string {
  if (!Number.isFinite(v)) return 'n/a';
  const a = Math.abs(v);
  let s: string;
  if (a >= 100 || (integer && a >= 10)) s = group(Math.round(a).toString());
  else if (a >= 1) s = trimZeros(a.toFixed(1));
  else if (a >= 0.001) s = trimZeros(a.toPrecision(2));
  else s = '0';
  return v < 0 && s !== '0' ? `-${s}` : s;
}

/** A 0–1 share as a percentage: "62%", "4.5%", "0.3%". */
export function formatPercent(p: number): string {
  if (!Number.isFinite(p)) return 'n/a';
  const x = 100 * p;
  const a = Math.abs(x);
  if (a >= 10 || a === 0) return `${Math.round(x)}%`;
  if (a >= 0.1) return `${trimZeros(x.toFixed(1))}%`;
  return x > 0 ? '<0.1%' : '0%';
}

/** A multiplier: "2.8×", "12×". */
export function formatRatio(r: number): string {
  return r >= 10 ? `${Math.round(r)}×` : `${r.toFixed(1)}×`;
}

/** Days for phrases: "1 day", "52 days", "2.5 days". */
export function formatDays(d: number): string {
  const s = formatNumber(d, true);
  return s === '1' ? '1 day' : `${s} days`;
}

export function capitalise(s: string): string {
  return s.length === 0 ? s : s[0].toUpperCase() + s.slice(1);
}

const ACRONYMS: Readonly<Record<string, string>> = {
  api: 'API', sdk: 'SDK', csv: 'CSV', pdf: 'PDF', sql: 'SQL', crm: 'CRM', url: 'URL', id: 'ID',
  sso: 'SSO', ui: 'UI', ai: 'AI', ios: 'iOS', cli: 'CLI', faq: 'FAQ', qr: 'QR', '2fa': '2FA', mfa: 'MFA',
};

/** A token as written in prose (acronyms in capitals). */
export function prose(token: string): string {
  return ACRONYMS[token] ?? token;
}

export function plural(word: string): string {
  if (ACRONYMS[word] !== undefined) return `${word}s`;
  if (/[^aeiou]y$/.test(word)) return `${word.slice(0, -1)}ies`;
  if (/(ss|us|is|x|z|ch|sh)$/.test(word)) return `${word}es`;
  // Already plural ("files_uploaded" → "files").
  if (word.endsWith('s')) return word;
  return `${word}s`;
}

/** The singular of a regular plural, for compound nouns ("files" → "file uploaders"). */
const PLURAL_ONLY = new Set(['settings', 'analytics', 'news', 'series', 'species', 'stats', 'metrics', 'details', 'credentials', 'permissions', 'preferences']);

export function singular(word: string): string {
  if (word.length < 4 || /(ss|us|is)$/.test(word) || PLURAL_ONLY.has(word)) return word;
  if (word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (/(x|z|ch|sh)es$/.test(word)) return word.slice(0, -2);
  return word.endsWith('s') ? word.slice(0, -1) : word;
}

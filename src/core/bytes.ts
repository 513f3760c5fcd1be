/**
 * UTF-8 byte order for JavaScript strings without encoding them: the order user ids are sorted
 * in everywhere (DuckDB's and PostgreSQL's "C" collation, FeatureTable.userIds).
 */

/**
 * Compares `a` and `b` as their UTF-8 bytes would compare. UTF-8 byte order is code point order,
 * and UTF-16 code units follow it except that a surrogate (half of a code point above U+FFFF)
 * sorts below U+E000–U+FFFF as a unit but above them as a code point. Encoding both strings per
 * comparison (`Buffer.compare(Buffer.from(a), Buffer.from(b))`) made sorting 1M user ids take
 * seconds of allocation.
 *
 * @example
 * ['b', 'a', '\uffff', '😀'].sort(compareUtf8); // ['a', 'b', '\uffff', '😀']
 */
export function compareUtf8(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const xSurrogate = x >= 0xd800 && x <= 0xdfff;
    const ySurrogate = y >= 0xd800 && y <= 0xdfff;
    if (xSurrogate !== ySurrogate) return xSurrogate ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}

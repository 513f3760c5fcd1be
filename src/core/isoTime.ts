/** ISO 8601 instants as segmint writes them for people (manifest, reports, logs). */

/**
 * An instant written with microseconds (`strftime … %f`, PostgreSQL's text) without the zero
 * digits it does not need, in steps of three: `.000000Z` → `Z`, `.538000Z` → `.538Z` (an input
 * with milliseconds read back as it was written), `.538120Z` unchanged. The value is the same.
 */
export function tidyIso(text: string): string {
  return text.replace(/\.000000Z$/, 'Z').replace(/\.(\d{3})000Z$/, '.$1Z');
}

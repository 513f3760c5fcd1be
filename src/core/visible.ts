/**
 * Characters that change how the text around them is shown without being seen themselves: the
 * bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) and the C0/C1
 * control characters. An event named `evil\u202Eexe.txt` turned the rest of a report line
 * around ("…who mostly trigger evilhtiw %001 ,stneve…"), segmint's own words included, so a
 * reviewer could not read what a segment or rule says. Where text from the data is shown to
 * people (reports, the console, rule wording), these characters are written as visible escapes
 * instead; the exact values stay in rules.json, rules.sql and assignments.csv.
 */
const INVISIBLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/**
 * The value with every invisible control character written as `\uXXXX`, as rules.sql's comments
 * write them (tab and line feed are left alone: callers that need one line handle them).
 *
 * @example
 * visibleControls('evil\u202eexe.txt'); // 'evil\\u202eexe.txt'
 */
export function visibleControls(value: string): string {
  return value.replace(INVISIBLE, unicodeEscape);
}

/**
 * visibleControls on one line: line breaks (line feed, U+2028, U+2029) written as escapes too,
 * for wording that must stay one line (a rule's text, a console table cell).
 *
 * @example
 * visibleOneLine('a\nb'); // 'a\\u000ab'
 */
export function visibleOneLine(value: string): string {
  return visibleControls(value).replace(/[\n\u2028\u2029]/g, unicodeEscape);
}

/** `\uXXXX` for a character of the Basic Multilingual Plane. */
export function unicodeEscape(c: string): string {
  return `\\u${c.codePointAt(0)!.toString(16).padStart(4, '0')}`;
}

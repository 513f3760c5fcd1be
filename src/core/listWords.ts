/**
 * Items joined as a sentence lists them: "a", "a and b", "a, b and c"; "" for none.
 *
 * @example
 * listWords(['k = 3', 'k = 4']); // "k = 3 and k = 4"
 */
export function listWords(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

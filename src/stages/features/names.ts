/**
 * Feature column names: safe snake_case identifiers derived from data (event names, attribute
 * columns), unique within the table. The original text always stays in the feature's label.
 */

/**
 * A lower-case `[a-z0-9_]` identifier for `raw`; accents are folded, anything else becomes `_`.
 * Text with nothing usable (e.g. only CJK characters) becomes `fallback`.
 *
 * @example
 * sanitizeName('Report Viewed (v2)'); // 'report_viewed_v2'
 * sanitizeName('Café'); // 'cafe'
 */
export function sanitizeName(raw: string, fallback = 'x'): string {
  const s = raw
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 48)
    .replace(/_+$/, '');
  return s === '' ? fallback : s;
}

/** Hands out names, suffixing `_2`, `_3`, … when a name is taken. */
export interface Namer {
  /** Reserve `name` as is (for fixed names decided up front). */
  reserve(name: string): void;
  /** `base`, or the first free `base_N`. */
  unique(base: string): string;
}

/**
 * @example
 * const namer = createNamer(['user_id']);
 * namer.unique('count__signup'); // 'count__signup'
 * namer.unique('count__signup'); // 'count__signup_2'
 */
export function createNamer(taken: readonly string[] = []): Namer {
  const used = new Set(taken.map((t) => t.toLowerCase()));
  return {
    reserve(name) {
      used.add(name.toLowerCase());
    },
    unique(base) {
      let name = base;
      for (let i = 2; used.has(name.toLowerCase()); i++) name = `${base}_${i}`;
      used.add(name.toLowerCase());
      return name;
    },
  };
}

/**
 * Tiny SVG builders. Every string attribute and every text node goes through escapeHtml, and
 * every number through `num`, so charts are safe for hostile data and byte-for-byte
 * deterministic.
 */
import { escapeHtml } from '../escape.js';

/**
 * A coordinate at fixed precision with trailing zeros trimmed ("12.5", "3", never "-0").
 *
 * @example
 * num(12.504); // "12.5"
 */
export function num(v: number, digits = 2): string {
  if (!Number.isFinite(v)) return '0';
  let s = v.toFixed(digits);
  if (s.includes('.')) s = s.replace(/\.?0+$/, '');
  return s === '-0' ? '0' : s;
}

/**
 * An axis tick label: like `num`, with a typographic minus.
 *
 * @example
 * tickLabel(-2); // "−2"
 */
export function tickLabel(v: number, digits = 2): string {
  const s = num(v, digits);
  return s.startsWith('-') ? `\u2212${s.slice(1)}` : s;
}

export type Attrs = Readonly<Record<string, string | number | undefined>>;

/** Attributes in the order given; undefined ones are left out. */
export function attrs(a: Attrs): string {
  let out = '';
  for (const [key, value] of Object.entries(a)) {
    if (value === undefined) continue;
    out += ` ${key}="${typeof value === 'number' ? num(value) : escapeHtml(value)}"`;
  }
  return out;
}

/**
 * An element; `children` is trusted markup built by these helpers. Without children it is
 * self-closed, which inline SVG in HTML accepts.
 *
 * @example
 * el('rect', { x: 0, y: 0, width: 10, height: 4 }); // '<rect x="0" y="0" width="10" height="4"/>'
 */
export function el(tag: string, a: Attrs = {}, children?: string): string {
  return children === undefined ? `<${tag}${attrs(a)}/>` : `<${tag}${attrs(a)}>${children}</${tag}>`;
}

/** A text node with its content escaped. */
export function text(x: number, y: number, content: string, a: Attrs = {}): string {
  return el('text', { x, y, ...a }, escapeHtml(content));
}

/** A hover tooltip (SVG <title>), escaped. */
export function title(content: string): string {
  return `<title>${escapeHtml(content)}</title>`;
}

/**
 * Shortens a label to `max` characters with an ellipsis (before escaping, so an entity is never
 * cut in half). Charts show the full text in a tooltip.
 */
export function truncate(s: string, max: number): string {
  const chars = Array.from(s);
  return chars.length <= max ? s : `${chars.slice(0, max - 1).join('')}\u2026`;
}

/**
 * The root element: scales to its container through the viewBox, and is announced to screen
 * readers as one image with a label.
 */
export function svgRoot(width: number, height: number, label: string, children: string, cls = 'chart'): string {
  return el(
    'svg',
    { class: cls, viewBox: `0 0 ${num(width)} ${num(height)}`, width, height, role: 'img', 'aria-label': label },
    children,
  );
}

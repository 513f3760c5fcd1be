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
 * Advance widths (thousandths of an em) of printable ASCII, from DejaVu Sans: the sans-serif
 * Linux browsers fall back to and one of the widest common ones, so a label that fits by this
 * measure also fits in the narrower system fonts of macOS and Windows.
 */
const ASCII_WIDTHS = [
  318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337, 636, 636, 636, 636, 636, 636, 636, 636,
  636, 636, 337, 337, 838, 838, 838, 531, 1000, 684, 686, 698, 770, 632, 575, 775, 752, 295, 295, 656, 557, 863, 748, 787,
  603, 787, 695, 635, 611, 732, 684, 989, 685, 611, 685, 390, 337, 390, 838, 500, 500, 613, 635, 550, 635, 615, 352, 635,
  634, 278, 278, 579, 278, 974, 634, 612, 635, 635, 411, 521, 392, 634, 592, 818, 592, 592, 525, 636, 337, 636, 838,
] as const;
const OTHER_WIDTHS: Readonly<Record<string, number>> = { '\u2212': 838, '\u2026': 1000, '\u00b7': 318, '\u00d7': 838, '\u00a0': 318 };
/** Bold DejaVu Sans is at most this much wider than regular for the characters labels use. */
const BOLD = 1.15;

/**
 * The width in px a label needs at `fontSize`, estimated without a browser (so charts stay pure
 * functions of their data): deliberately generous, never narrower than the real text. Characters
 * beyond the table count as a full em.
 *
 * @example
 * textWidth('41,535.8', 11); // ≈ 49
 */
export function textWidth(s: string, fontSize: number, bold = false): number {
  let em = 0;
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    em += code >= 32 && code < 127 ? ASCII_WIDTHS[code - 32] : OTHER_WIDTHS[ch] ?? 1000;
  }
  return (em / 1000) * fontSize * (bold ? BOLD : 1);
}

/**
 * The label, shortened with an ellipsis when it is wider than `maxWidth` px (see textWidth).
 * Callers show the full text in a <title> whenever the result differs from the input.
 *
 * @example
 * fitText('Multi-feature settings changers', 120, 12); // "Multi-feature se…"
 */
export function fitText(s: string, maxWidth: number, fontSize: number, bold = false): string {
  if (textWidth(s, fontSize, bold) <= maxWidth) return s;
  const chars = Array.from(s);
  let n = chars.length - 1;
  while (n > 0 && textWidth(`${chars.slice(0, n).join('').trimEnd()}\u2026`, fontSize, bold) > maxWidth) n--;
  return `${chars.slice(0, n).join('').trimEnd()}\u2026`;
}

/**
 * A text node that is shortened to `maxWidth` px when needed and then carries its full text as a
 * <title>, so the whole label is one hover away.
 */
export function fittedText(x: number, y: number, content: string, maxWidth: number, fontSize: number, a: Attrs = {}, bold = false): string {
  const shown = fitText(content, maxWidth, fontSize, bold);
  return el('text', { x, y, ...a }, shown === content ? escapeHtml(content) : `${title(content)}${escapeHtml(shown)}`);
}

/**
 * The root element: scales to its container through the viewBox, and is announced to screen
 * readers as one image with a label. Its drawn width goes to the page's style as `--w`: on a
 * phone a chart keeps most of it and its figure scrolls sideways (page.ts), since shrunk to a
 * 390 px screen a trait chart's labels were 5 px high (QA).
 */
export function svgRoot(width: number, height: number, label: string, children: string, cls = 'chart'): string {
  return el(
    'svg',
    { class: cls, viewBox: `0 0 ${num(width)} ${num(height)}`, width, height, style: `--w:${num(width)}px`, role: 'img', 'aria-label': label },
    children,
  );
}

/** Small line charts: one k-selection criterion across the k values tried. */
import { GRID, INK, MUTED } from './palette.js';
import { extent, linear } from './scales.js';
import { el, num, svgRoot, text } from './svg.js';

export interface LinePoint {
  readonly x: number;
  /** null = not computed; the line breaks there. */
  readonly y: number | null;
  /** Drawn hollow and grey (e.g. a k that failed the minimum-share constraint). */
  readonly muted: boolean;
}

export interface LineOptions {
  readonly width: number;
  readonly height: number;
  readonly label: string;
  /** The x to mark (the chosen k). */
  readonly highlight: number;
  readonly colour: string;
  /** Formats y tick labels. */
  readonly format: (v: number) => string;
  /** A dashed horizontal reference line (e.g. the minimum share a k needs). */
  readonly reference?: number;
}

/**
 * A line over integer x positions with a marked x; y ticks at the min and max.
 *
 * @example
 * lineChart([{ x: 2, y: 0.3, muted: false }, { x: 3, y: 0.35, muted: false }],
 *   { width: 260, height: 140, label: 'silhouette', highlight: 3, colour: '#0072B2', format: String });
 */
export function lineChart(points: readonly LinePoint[], o: LineOptions): string {
  const m = { top: 10, right: 14, bottom: 24, left: 52 };
  const sorted = [...points].sort((a, b) => a.x - b.x);
  const ys = sorted.flatMap((p) => (p.y !== null && Number.isFinite(p.y) ? [p.y] : []));
  const [y0, y1] = extent(o.reference === undefined ? ys : [...ys, o.reference], 0.12);
  const [x0, x1] = sorted.length > 1 ? [sorted[0].x, sorted[sorted.length - 1].x] : [(sorted[0]?.x ?? 0) - 1, (sorted[0]?.x ?? 0) + 1];
  const sx = linear([x0, x1], [m.left + 8, o.width - m.right - 8]);
  const sy = linear([y0, y1], [o.height - m.bottom, m.top]);
  const parts: string[] = [];

  const yTicks = ys.length === 0 ? [] : [Math.min(...ys), Math.max(...ys)].filter((v, i, a) => a.indexOf(v) === i);
  for (const t of yTicks) {
    parts.push(el('line', { x1: m.left, x2: o.width - m.right, y1: sy(t), y2: sy(t), stroke: GRID }));
    parts.push(text(m.left - 6, sy(t) + 4, o.format(t), { 'text-anchor': 'end', class: 'tick' }));
  }
  if (o.reference !== undefined && Number.isFinite(o.reference)) {
    parts.push(el('line', { x1: m.left, x2: o.width - m.right, y1: sy(o.reference), y2: sy(o.reference), stroke: '#b3261e', 'stroke-dasharray': '4 3' }));
    parts.push(text(o.width - m.right, sy(o.reference) - 4, o.format(o.reference), { 'text-anchor': 'end', class: 'ref' }));
  }
  if (sorted.some((p) => p.x === o.highlight)) {
    parts.push(el('rect', { x: sx(o.highlight) - 9, y: m.top - 4, width: 18, height: o.height - m.bottom - m.top + 8, fill: '#fff3cd', rx: 3 }));
  }
  for (const p of sorted) {
    parts.push(text(sx(p.x), o.height - 6, String(p.x), { 'text-anchor': 'middle', class: p.x === o.highlight ? 'tick tick-strong' : 'tick' }));
  }

  // Consecutive computed points form one segment; a null breaks the line.
  let d = '';
  let pen = false;
  for (const p of sorted) {
    if (p.y === null || !Number.isFinite(p.y)) {
      pen = false;
      continue;
    }
    d += `${pen ? 'L' : 'M'}${num(sx(p.x), 1)} ${num(sy(p.y), 1)}`;
    pen = true;
  }
  if (d) parts.push(el('path', { d, fill: 'none', stroke: o.colour, 'stroke-width': 2, 'stroke-linejoin': 'round' }));
  for (const p of sorted) {
    if (p.y === null || !Number.isFinite(p.y)) continue;
    const chosen = p.x === o.highlight;
    parts.push(el('circle', {
      cx: sx(p.x), cy: sy(p.y), r: chosen ? 5 : 3.5,
      fill: p.muted ? '#ffffff' : chosen ? INK : o.colour,
      stroke: p.muted ? MUTED : chosen ? INK : o.colour, 'stroke-width': 1.5,
    }));
  }
  return svgRoot(o.width, o.height, o.label, parts.join(''));
}

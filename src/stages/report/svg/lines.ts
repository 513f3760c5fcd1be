/** Small line charts: one k-selection criterion across the k values tried. */
import { GRID, INK, MUTED } from './palette.js';
import { extent, linear } from './scales.js';
import { el, num, svgRoot, text, textWidth } from './svg.js';

export interface LinePoint {
  readonly x: number;
  /** null = not computed; the line breaks there. */
  readonly y: number | null;
  /** Drawn hollow and grey (e.g. a k that failed the minimum-share constraint). */
  readonly muted: boolean;
}

/** Font size of tick and reference labels (svg.chart .tick and .ref in the page CSS). */
const TICK_PX = 11;

interface Spot {
  readonly x: number;
  readonly y: number;
  readonly anchor: 'start' | 'middle' | 'end';
}

/**
 * Where the reference line's label goes: just above or below the line (or one line further out),
 * at the right end, the left end or between two k, whichever comes first without covering a
 * point (the first candidate when none is free). Deterministic: candidates are tried in a fixed order.
 */
function referenceSpot(
  label: string, lineY: number, marks: readonly { x: number; y: number; r: number }[], xs: readonly number[],
  area: { left: number; right: number; top: number; bottom: number },
): Spot {
  const w = textWidth(label, TICK_PX);
  const candidates: Spot[] = [];
  // Just above or below the line first; a line's width further out when points crowd both sides.
  for (const y of [lineY - 4, lineY + 13, lineY - 16, lineY + 25]) {
    candidates.push({ x: area.right, y, anchor: 'end' }, { x: area.left + 4, y, anchor: 'start' });
    for (let i = 1; i < xs.length; i++) candidates.push({ x: (xs[i - 1] + xs[i]) / 2, y, anchor: 'middle' });
  }
  const free = (c: Spot) => {
    const x0 = c.anchor === 'start' ? c.x : c.anchor === 'end' ? c.x - w : c.x - w / 2;
    // A text box reaches about an em above its baseline and a quarter below.
    const [top, bottom] = [c.y - TICK_PX, c.y + TICK_PX / 4];
    if (x0 < area.left || x0 + w > area.right || top < area.top || bottom > area.bottom) return false;
    return marks.every((p) => p.x + p.r + 1 < x0 || p.x - p.r - 1 > x0 + w || p.y + p.r + 1 < top || p.y - p.r - 1 > bottom);
  };
  return candidates.find(free) ?? candidates[0];
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
  const sorted = [...points].sort((a, b) => a.x - b.x);
  const ys = sorted.flatMap((p) => (p.y !== null && Number.isFinite(p.y) ? [p.y] : []));
  const yTicks = ys.length === 0 ? [] : [Math.min(...ys), Math.max(...ys)].filter((v, i, a) => a.indexOf(v) === i);
  const tickLabels = yTicks.map((t) => o.format(t));
  // The left margin holds the widest y label (an inertia of "109,068.0" needs far more than a silhouette's "0.356").
  const m = { top: 10, right: 14, bottom: 24, left: Math.max(52, Math.ceil(Math.max(0, ...tickLabels.map((l) => textWidth(l, TICK_PX)))) + 10) };
  const [y0, y1] = extent(o.reference === undefined ? ys : [...ys, o.reference], 0.12);
  const [x0, x1] = sorted.length > 1 ? [sorted[0].x, sorted[sorted.length - 1].x] : [(sorted[0]?.x ?? 0) - 1, (sorted[0]?.x ?? 0) + 1];
  const sx = linear([x0, x1], [m.left + 8, o.width - m.right - 8]);
  const sy = linear([y0, y1], [o.height - m.bottom, m.top]);
  const parts: string[] = [];
  let refLabel = '';

  yTicks.forEach((t, i) => {
    parts.push(el('line', { x1: m.left, x2: o.width - m.right, y1: sy(t), y2: sy(t), stroke: GRID }));
    parts.push(text(m.left - 6, sy(t) + 4, tickLabels[i], { 'text-anchor': 'end', class: 'tick' }));
  });
  if (o.reference !== undefined && Number.isFinite(o.reference)) {
    const ry = sy(o.reference);
    parts.push(el('line', { x1: m.left, x2: o.width - m.right, y1: ry, y2: ry, stroke: '#b3261e', 'stroke-dasharray': '4 3' }));
    const marks = sorted.flatMap((p) => (p.y === null || !Number.isFinite(p.y) ? [] : [{ x: sx(p.x), y: sy(p.y), r: p.x === o.highlight ? 5 : 3.5 }]));
    const spot = referenceSpot(o.format(o.reference), ry, marks, sorted.map((p) => sx(p.x)), { left: m.left, right: o.width - m.right, top: 0, bottom: o.height - m.bottom });
    // Drawn last, so neither the highlight band nor a point can paint over it.
    refLabel = text(spot.x, spot.y, o.format(o.reference), { 'text-anchor': spot.anchor, class: 'ref' });
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
  if (refLabel) parts.push(refLabel);
  return svgRoot(o.width, o.height, o.label, parts.join(''));
}

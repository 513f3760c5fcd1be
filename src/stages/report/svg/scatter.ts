/** The segment map: users' first two PCA coordinates, one colour (and shape) per segment. */
import { segmentColour, segmentShape, GRID, INK, MUTED, type MarkerShape } from './palette.js';
import { extent, linear, ticks } from './scales.js';
import { el, num, svgRoot, text, tickLabel, title } from './svg.js';

export interface ScatterOptions {
  readonly width: number;
  readonly height: number;
  readonly xLabel: string;
  readonly yLabel: string;
  /** Segment names by id, for the centroid badges' tooltips. */
  readonly names: ReadonlyMap<number, string>;
}

/** One marker as path commands, so a whole segment is a single <path> (small file, fast paint). */
export function markerPath(shape: MarkerShape, x: number, y: number, r: number): string {
  switch (shape) {
    case 'circle':
      return `M${num(x - r, 1)} ${num(y, 1)}a${num(r)} ${num(r)} 0 1 0 ${num(2 * r)} 0a${num(r)} ${num(r)} 0 1 0 ${num(-2 * r)} 0`;
    case 'square':
      return `M${num(x - r, 1)} ${num(y - r, 1)}h${num(2 * r)}v${num(2 * r)}h${num(-2 * r)}z`;
    case 'diamond':
      return `M${num(x, 1)} ${num(y - r * 1.3, 1)}l${num(r * 1.3)} ${num(r * 1.3)}l${num(-r * 1.3)} ${num(r * 1.3)}l${num(-r * 1.3)} ${num(-r * 1.3)}z`;
  }
}

/**
 * An SVG scatter of [x, y, segment] points with axes, and a numbered badge at each segment's
 * mean position.
 *
 * @example
 * scatterChart([[0, 0, 0], [1, 1, 1]], { width: 400, height: 300, xLabel: 'PC1', yLabel: 'PC2', names: new Map() });
 */
export function scatterChart(points: readonly (readonly [number, number, number])[], o: ScatterOptions): string {
  const m = { top: 12, right: 12, bottom: 40, left: 48 };
  const finitePoints = points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
  const [x0, x1] = extent(finitePoints.map((p) => p[0]), 0.04);
  const [y0, y1] = extent(finitePoints.map((p) => p[1]), 0.04);
  const sx = linear([x0, x1], [m.left, o.width - m.right]);
  const sy = linear([y0, y1], [o.height - m.bottom, m.top]);

  const parts: string[] = [];
  for (const t of ticks(x0, x1, 6)) {
    parts.push(el('line', { x1: sx(t), x2: sx(t), y1: m.top, y2: o.height - m.bottom, stroke: GRID }));
    parts.push(text(sx(t), o.height - m.bottom + 16, tickLabel(t), { 'text-anchor': 'middle', class: 'tick' }));
  }
  for (const t of ticks(y0, y1, 5)) {
    parts.push(el('line', { x1: m.left, x2: o.width - m.right, y1: sy(t), y2: sy(t), stroke: GRID }));
    parts.push(text(m.left - 6, sy(t) + 4, tickLabel(t), { 'text-anchor': 'end', class: 'tick' }));
  }
  parts.push(text((m.left + o.width - m.right) / 2, o.height - 6, o.xLabel, { 'text-anchor': 'middle', class: 'axis-label' }));
  parts.push(text(14, (m.top + o.height - m.bottom) / 2, o.yLabel, {
    'text-anchor': 'middle', class: 'axis-label', transform: `rotate(-90 14 ${num((m.top + o.height - m.bottom) / 2)})`,
  }));

  // Group by segment in ascending id so the drawing order (and the bytes) never depend on input order.
  const bySegment = new Map<number, (readonly [number, number, number])[]>();
  for (const p of finitePoints) {
    const list = bySegment.get(p[2]);
    if (list) list.push(p);
    else bySegment.set(p[2], [p]);
  }
  const ids = [...bySegment.keys()].sort((a, b) => a - b);
  for (const id of ids) {
    const d = bySegment.get(id)!.map(([x, y]) => markerPath(segmentShape(id), sx(x), sy(y), 2.6)).join('');
    parts.push(el('path', { d, fill: segmentColour(id), 'fill-opacity': 0.55 }));
  }
  for (const id of ids) {
    const list = bySegment.get(id)!;
    const cx = sx(list.reduce((s, p) => s + p[0], 0) / list.length);
    const cy = sy(list.reduce((s, p) => s + p[1], 0) / list.length);
    parts.push(el('g', { class: 'badge' }, [
      title(`segment ${id}: ${o.names.get(id) ?? ''}`),
      el('circle', { cx, cy, r: 11, fill: '#ffffff', stroke: INK, 'stroke-width': 1.5 }),
      text(cx, cy + 4, String(id), { 'text-anchor': 'middle', fill: INK, class: 'badge-label' }),
    ].join('')));
  }
  parts.push(el('rect', {
    x: m.left, y: m.top, width: o.width - m.left - m.right, height: o.height - m.top - m.bottom, fill: 'none', stroke: MUTED, 'stroke-opacity': 0.4,
  }));
  return svgRoot(o.width, o.height, `Map of ${finitePoints.length} users by segment (${o.xLabel} against ${o.yLabel})`, parts.join(''));
}

/** The segment map: users' first two PCA coordinates, one colour (and shape) per segment. */
import { segmentColour, segmentShape, GRID, INK, MUTED, type MarkerShape } from './palette.js';
import { extent, linear, ticks } from './scales.js';
import { el, fittedText, num, svgRoot, text, textWidth, tickLabel, title } from './svg.js';

export interface ScatterOptions {
  readonly width: number;
  readonly height: number;
  readonly xLabel: string;
  readonly yLabel: string;
  /** Segment names by id, for the centroid badges' tooltips. */
  readonly names: ReadonlyMap<number, string>;
}

/** Font sizes of tick labels and axis titles (svg.chart .tick and .axis-label in the page CSS). */
const TICK_PX = 11;
const TITLE_PX = 12;
/** Width of the band left of the y tick labels that holds the rotated y title. */
const TITLE_BAND = 20;
/** Radius of a centre badge; two badges closer than BADGE_GAP (centre to centre) would touch. */
const BADGE_R = 11;
const BADGE_GAP = 2 * BADGE_R + 4;

interface XY {
  readonly x: number;
  readonly y: number;
}

/**
 * Badge positions: each segment's badge at its centre unless that would cover an earlier badge
 * (segments whose centres nearly coincide on the first two components). Then it moves to the
 * first free spot on rings around the centre, tried in a fixed order (12 directions from
 * straight up, clockwise, rings BADGE_GAP apart), inside the plot. Deterministic: ids in order,
 * no randomness.
 */
export function placeBadges(centres: readonly XY[], area: { left: number; right: number; top: number; bottom: number }): XY[] {
  const pad = BADGE_R + 2;
  const clampX = (x: number) => Math.min(Math.max(x, area.left + pad), Math.max(area.left + pad, area.right - pad));
  const clampY = (y: number) => Math.min(Math.max(y, area.top + pad), Math.max(area.top + pad, area.bottom - pad));
  const placed: XY[] = [];
  for (const c of centres) {
    const home = { x: clampX(c.x), y: clampY(c.y) };
    const free = (p: XY) => placed.every((q) => Math.hypot(p.x - q.x, p.y - q.y) >= BADGE_GAP);
    let spot: XY | undefined = free(home) ? home : undefined;
    for (let ring = 1; spot === undefined && ring <= 8; ring++) {
      for (let k = 0; k < 12 && spot === undefined; k++) {
        const angle = -Math.PI / 2 + (k * Math.PI) / 6;
        // Rounded, so the bytes never depend on the last bits of sin and cos.
        const p = { x: Math.round((home.x + ring * BADGE_GAP * Math.cos(angle)) * 100) / 100, y: Math.round((home.y + ring * BADGE_GAP * Math.sin(angle)) * 100) / 100 };
        if (p.x === clampX(p.x) && p.y === clampY(p.y) && free(p)) spot = p;
      }
    }
    placed.push(spot ?? home);
  }
  return placed;
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
  const finitePoints = points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
  const [x0, x1] = extent(finitePoints.map((p) => p[0]), 0.04);
  const [y0, y1] = extent(finitePoints.map((p) => p[1]), 0.04);
  const xTicks = ticks(x0, x1, 6);
  const yTicks = ticks(y0, y1, 5);
  // The left margin holds the rotated y title (a band of TITLE_BAND px) and the widest y tick label.
  const yTickWidth = Math.ceil(Math.max(0, ...yTicks.map((t) => textWidth(tickLabel(t), TICK_PX))));
  const m = { top: 12, right: 12, bottom: 40, left: Math.max(48, TITLE_BAND + yTickWidth + 6) };
  const sx = linear([x0, x1], [m.left, o.width - m.right]);
  const sy = linear([y0, y1], [o.height - m.bottom, m.top]);

  const parts: string[] = [];
  for (const t of xTicks) {
    parts.push(el('line', { x1: sx(t), x2: sx(t), y1: m.top, y2: o.height - m.bottom, stroke: GRID }));
    // Centred under its grid line, but never past the right edge.
    const half = textWidth(tickLabel(t), TICK_PX) / 2;
    parts.push(text(Math.min(sx(t), o.width - half - 1), o.height - m.bottom + 16, tickLabel(t), { 'text-anchor': 'middle', class: 'tick' }));
  }
  for (const t of yTicks) {
    parts.push(el('line', { x1: m.left, x2: o.width - m.right, y1: sy(t), y2: sy(t), stroke: GRID }));
    parts.push(text(m.left - 6, sy(t) + 4, tickLabel(t), { 'text-anchor': 'end', class: 'tick' }));
  }
  // Axis titles longer than their axis are shortened, with the full title as a tooltip.
  parts.push(fittedText((m.left + o.width - m.right) / 2, o.height - 6, o.xLabel, o.width - m.left - m.right, TITLE_PX, { 'text-anchor': 'middle', class: 'axis-label' }, true));
  const midY = (m.top + o.height - m.bottom) / 2;
  parts.push(fittedText(14, midY, o.yLabel, o.height - m.top - m.bottom, TITLE_PX, {
    'text-anchor': 'middle', class: 'axis-label', transform: `rotate(-90 14 ${num(midY)})`,
  }, true));

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
  const centres = ids.map((id) => {
    const list = bySegment.get(id)!;
    return { x: sx(list.reduce((s, p) => s + p[0], 0) / list.length), y: sy(list.reduce((s, p) => s + p[1], 0) / list.length) };
  });
  const badges = placeBadges(centres, { left: m.left, right: o.width - m.right, top: m.top, bottom: o.height - m.bottom });
  ids.forEach((_id, i) => {
    const c = centres[i];
    const b = badges[i];
    // A badge moved aside to stay readable points back at its segment's centre (one merely kept
    // inside the plot still covers its centre and needs no line).
    if (Math.hypot(b.x - c.x, b.y - c.y) > BADGE_R) parts.push(el('line', { x1: c.x, y1: c.y, x2: b.x, y2: b.y, stroke: INK, 'stroke-width': 1.2 }));
  });
  ids.forEach((id, i) => {
    const b = badges[i];
    parts.push(el('g', { class: 'badge' }, [
      title(`segment ${id}: ${o.names.get(id) ?? ''}`),
      el('circle', { cx: b.x, cy: b.y, r: BADGE_R, fill: '#ffffff', stroke: INK, 'stroke-width': 1.5 }),
      text(b.x, b.y + 4, String(id), { 'text-anchor': 'middle', fill: INK, class: 'badge-label' }),
    ].join('')));
  });
  parts.push(el('rect', {
    x: m.left, y: m.top, width: o.width - m.left - m.right, height: o.height - m.top - m.bottom, fill: 'none', stroke: MUTED, 'stroke-opacity': 0.4,
  }));
  return svgRoot(o.width, o.height, `Map of ${finitePoints.length} users by segment (${o.xLabel} against ${o.yLabel})`, parts.join(''));
}

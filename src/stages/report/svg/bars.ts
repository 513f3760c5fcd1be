/** Bar charts: segment sizes, trait effect sizes (diverging), and small 0–1 meters. */
import { GRID, INK, MUTED, OVER, UNDER } from './palette.js';
import { linear, ticks } from './scales.js';
import { el, fittedText, num, svgRoot, text, textWidth, title } from './svg.js';

/** Font size of bar labels and values (svg.chart in the page CSS). */
const LABEL_PX = 12;
/** Room between a label or value and its neighbour. */
const GAP = 8;

/** The widest of some labels in px, at the chart font size. */
const widest = (labels: readonly string[]) => Math.ceil(Math.max(0, ...labels.map((l) => textWidth(l, LABEL_PX))));

export interface Bar {
  readonly label: string;
  readonly value: number;
  /** The value as shown at the end of the bar. */
  readonly display: string;
  readonly colour: string;
}

/**
 * Horizontal bars from zero, one row per item, label on the left.
 *
 * @example
 * barChart([{ label: 'Casual', value: 0.5, display: '50%', colour: '#0072B2' }], { width: 480, max: 1, label: 'sizes' });
 */
export function barChart(
  bars: readonly Bar[],
  o: { readonly width: number; readonly max: number; readonly label: string; readonly labelWidth?: number; readonly valueWidth?: number },
): string {
  const row = 28;
  const labelWidth = o.labelWidth ?? 190;
  // Values never run past the right edge: the column grows to the widest one.
  const valueWidth = Math.max(o.valueWidth ?? 96, widest(bars.map((b) => b.display)) + GAP + 4);
  const height = bars.length * row + 8;
  const sx = linear([0, o.max > 0 ? o.max : 1], [labelWidth, o.width - valueWidth]);
  const parts = bars.map((b, i) => {
    const y = 4 + i * row;
    const end = Math.max(sx(0) + 1, sx(Math.max(0, b.value)));
    return el('g', {}, [
      title(`${b.label}: ${b.display}`),
      fittedText(0, y + 18, b.label, labelWidth - GAP, LABEL_PX, { class: 'bar-label' }),
      el('rect', { x: sx(0), y: y + 4, width: o.width - valueWidth - labelWidth, height: row - 10, fill: GRID, rx: 3 }),
      el('rect', { x: sx(0), y: y + 4, width: end - sx(0), height: row - 10, fill: b.colour, rx: 3 }),
      text(o.width - valueWidth + 8, y + 18, b.display, { class: 'bar-value' }),
    ].join(''));
  });
  return svgRoot(o.width, height, o.label, parts.join(''));
}

export interface DivergingBar {
  readonly label: string;
  readonly value: number;
  readonly display: string;
  /** Extra words for the tooltip (e.g. the segment and population values). */
  readonly detail: string;
}

/**
 * A symmetric round bound for a diverging axis: at least 1, in steps of 0.5, at most
 * DIVERGING_CAP. One extreme trait (a new-user segment's tenure can reach an effect of 15) would
 * otherwise shrink every other bar to a sliver; bars past the cap are drawn to the edge and keep
 * their true value as a label.
 */
export const DIVERGING_CAP = 4;

export function divergingBound(values: readonly number[]): number {
  const max = Math.max(0, ...values.filter(Number.isFinite).map(Math.abs));
  return Math.min(DIVERGING_CAP, Math.max(1, Math.ceil(max * 2) / 2));
}

/**
 * Room each side of a diverging axis for the value printed past a bar's end: the widest display
 * plus its offset, at least 44 px. Pass the same pad to every chart that shares an axis (the cards),
 * so one effect has one length everywhere.
 *
 * @example
 * divergingPad(['+14.88', '−0.42']); // 52
 */
export function divergingPad(displays: readonly string[]): number {
  // A value starts 5 px past its bar's end; 2 px spare.
  return Math.max(44, widest(displays) + 7);
}

/**
 * Effect sizes as bars left (under-indexed) or right (over-indexed) of a zero line, on a
 * symmetric axis [−bound, bound] shared by all segments so cards compare at a glance.
 *
 * @example
 * divergingChart([{ label: 'events', value: 1.2, display: '+1.20', detail: '' }], { width: 520, bound: 2, label: 'traits' });
 */
export function divergingChart(
  bars: readonly DivergingBar[],
  o: { readonly width: number; readonly bound: number; readonly label: string; readonly valuePad?: number },
): string {
  const row = 24;
  const labelWidth = 200;
  const valuePad = Math.max(o.valuePad ?? 0, divergingPad(bars.map((b) => b.display)));
  const top = 4;
  const axisY = top + bars.length * row + 4;
  const height = axisY + 20;
  const sx = linear([-o.bound, o.bound], [labelWidth + valuePad, o.width - valuePad]);
  const zero = sx(0);
  const parts: string[] = [];
  for (const t of ticks(-o.bound, o.bound, 5)) {
    parts.push(el('line', { x1: sx(t), x2: sx(t), y1: top, y2: axisY, stroke: t === 0 ? MUTED : GRID, 'stroke-width': t === 0 ? 1.2 : 1 }));
    parts.push(text(sx(t), axisY + 14, t > 0 ? `+${num(t)}` : t < 0 ? `\u2212${num(-t)}` : '0', { 'text-anchor': 'middle', class: 'tick' }));
  }
  bars.forEach((b, i) => {
    const y = top + i * row;
    const v = Number.isFinite(b.value) ? Math.max(-o.bound, Math.min(o.bound, b.value)) : 0;
    const x = sx(v);
    const positive = v >= 0;
    parts.push(el('g', {}, [
      title(`${b.label}: effect ${b.display}${b.detail ? ` (${b.detail})` : ''}`),
      fittedText(0, y + 16, b.label, labelWidth - GAP, LABEL_PX, { class: 'bar-label' }),
      el('rect', { x: Math.min(x, zero), y: y + 5, width: Math.max(1, Math.abs(x - zero)), height: row - 10, fill: positive ? OVER : UNDER, rx: 2 }),
      text(positive ? x + 5 : x - 5, y + 16, b.display, { 'text-anchor': positive ? 'start' : 'end', class: 'bar-value', fill: INK }),
    ].join('')));
  });
  return svgRoot(o.width, height, o.label, parts.join(''));
}

/**
 * A small horizontal meter for a 0–1 value (precision, recall).
 *
 * @example
 * meter(0.87, 'precision 87.2%', '#0072B2');
 */
export function meter(value: number, label: string, colour: string, width = 160): string {
  const v = Number.isFinite(value) ? Math.max(0, Math.min(1, value)) : 0;
  return svgRoot(width, 10, label, [
    el('rect', { x: 0, y: 0, width, height: 10, rx: 5, fill: GRID }),
    el('rect', { x: 0, y: 0, width: Math.max(v > 0 ? 4 : 0, v * width), height: 10, rx: 5, fill: colour }),
  ].join(''), 'meter');
}

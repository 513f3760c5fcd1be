/**
 * Segment colours: the Okabe–Ito palette, distinguishable with the common forms of colour
 * blindness. Beyond eight segments colours repeat and the marker shape changes instead.
 */
const OKABE_ITO = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#4D4D4D'] as const;

/** Over-indexed (positive effect) and under-indexed (negative effect) in trait charts. */
export const OVER = '#0072B2';
export const UNDER = '#D55E00';
export const INK = '#1f2933';
export const MUTED = '#6b7785';
export const GRID = '#e3e7ec';

export type MarkerShape = 'circle' | 'square' | 'diamond';

/**
 * The colour of segment `id`.
 *
 * @example
 * segmentColour(0); // "#0072B2"
 */
export function segmentColour(id: number): string {
  return OKABE_ITO[((id % OKABE_ITO.length) + OKABE_ITO.length) % OKABE_ITO.length];
}

/** The marker shape of segment `id` (changes every eight segments, when colours repeat). */
export function segmentShape(id: number): MarkerShape {
  const shapes: readonly MarkerShape[] = ['circle', 'square', 'diamond'];
  return shapes[Math.floor(Math.abs(id) / OKABE_ITO.length) % shapes.length];
}

/**
 * `mix-only`: a design-collaboration tool whose five personas differ in nothing but what they do
 * — makers (edit, draw, component work), reviewers (comments, approvals), presenters (present,
 * share links, export), developers (inspect, copy code, download assets) and template browsers
 * (browse, duplicate, search) at 40 / 25 / 17 / 12 / 6%. Everything else is drawn the same way
 * for every persona: events per user lognormal (median 20, at least 3), a first-seen day anywhere
 * in the window with every event between it and the window end (no one churns: a lapsed group
 * crossed with the personas would be a second right answer), hours and weekdays from one
 * population-wide profile. So volume, recency, tenure, sessions and time of day vary a lot and
 * say nothing about the persona.
 *
 * Unlike the other families it does not go through activity.ts (no per-persona cadence, hours or
 * session shapes): each event is an independent draw. It was written after an exploratory check
 * of this shape (four groups told apart by event mix alone, lognormal volume, written by someone
 * who had seen only the README) where segmint cut the largest group by recency and reached ARI
 * 0.60, although a classifier that knows the mixes reaches 0.95. Hard because the columns that
 * separate no one (recency, tenure, volume) outnumber those that do, and cutting the largest
 * persona into newer and older users is reproducible. Calibrated with calibrate.mts (the
 * notebook at the true k: 0.94 on seeds 1–5).
 */
import { createRng, type Rng } from '../../../src/core/rng.js';
import type { EventRow, World, WorldFamily } from '../types.js';
import { DEFAULT_WINDOW, dayOfWeek, isoSeconds, type Window } from './activity.js';
import { assignPersonas, categorical, familySeed, lognormal, perturbMix, userId } from './random.js';

const NAME = 'mix-only';

const EVENTS = [
  'canvas_edited',
  'shape_drawn',
  'component_created',
  'comment_added',
  'comment_resolved',
  'design_approved',
  'presentation_started',
  'link_shared',
  'file_exported',
  'code_inspected',
  'snippet_copied',
  'asset_downloaded',
  'template_browsed',
  'template_duplicated',
  'search_run',
  'file_opened',
] as const;

/** Each persona's mean mix over EVENTS (file_opened is common to all). */
const PERSONAS: Record<string, readonly number[]> = {
  maker: [5, 4, 2.5, 0.6, 0.3, 0.1, 0.3, 0.4, 0.6, 0.2, 0.1, 0.3, 0.4, 0.3, 0.8, 2],
  reviewer: [0.6, 0.2, 0.1, 4, 2.5, 1.5, 0.3, 0.4, 0.2, 0.3, 0.1, 0.1, 0.2, 0.1, 0.5, 2],
  presenter: [0.8, 0.3, 0.1, 0.6, 0.2, 0.3, 3, 2.5, 1.5, 0.1, 0.1, 0.3, 0.4, 0.3, 0.6, 2],
  developer: [0.3, 0.1, 0.2, 0.5, 0.2, 0.1, 0.1, 0.3, 0.5, 4, 3, 2, 0.2, 0.1, 0.8, 2],
  template_browser: [0.8, 0.4, 0.2, 0.2, 0.1, 0.1, 0.2, 0.4, 0.3, 0.1, 0.1, 0.2, 3.5, 2, 2.5, 2],
};
const NAMES = Object.keys(PERSONAS);
const SHARES = [0.4, 0.25, 0.17, 0.12, 0.06];
/** Per-user spread around the persona's mix (Dirichlet concentration). */
const MIX_CONCENTRATION = 40;
/** Population-wide hour profile (UTC), 24 weights. */
const HOURS = [1, 0.6, 0.4, 0.3, 0.3, 0.5, 1, 2, 3.5, 4.5, 4.5, 4, 3.5, 4, 4.5, 4.5, 4, 3.5, 2.5, 2, 1.8, 1.6, 1.4, 1.2];
const WEEKDAYS = [1, 1, 1, 1, 0.9, 0.35, 0.3];

function simulate(rng: Rng, id: string, mix: readonly number[], window: Window): EventRow[] {
  const days = window.days;
  const userMix = perturbMix(rng, mix, MIX_CONCENTRATION);
  const n = Math.max(3, Math.round(lognormal(rng, Math.log(20), 0.75)));
  const first = rng.int(days);
  const last = days - 1;
  const out: EventRow[] = [];
  for (let i = 0; i < n; i++) {
    let day: number;
    // Weekday preference by rejection, bounded: the profile is population-wide.
    let tries = 0;
    do {
      day = first + rng.int(last - first + 1);
      tries++;
    } while (tries < 10 && rng.next() > WEEKDAYS[dayOfWeek(window, day)]);
    const hour = categorical(rng, HOURS);
    const ms = window.startMs + day * 86_400_000 + hour * 3_600_000 + rng.int(3_600_000);
    out.push({ user_id: id, event: EVENTS[categorical(rng, userMix)], timestamp: isoSeconds(ms) });
  }
  return out;
}

export const mixOnly: WorldFamily = {
  name: NAME,
  description: 'design tool, 5 personas (40/25/17/12/6%) told apart by event mix alone; volume, recency, tenure and hours drawn alike for all',
  generate(seed) {
    const rng = createRng(familySeed(NAME, seed));
    const n = 1800 + rng.int(1201);
    const events: EventRow[] = [];
    const truth = new Map<string, string>();
    assignPersonas(rng, n, SHARES, 60).forEach((p, i) => {
      const id = userId('d', i + 1);
      truth.set(id, NAMES[p]);
      for (const e of simulate(rng.fork(), id, PERSONAS[NAMES[p]], DEFAULT_WINDOW)) events.push(e);
    });
    events.sort((a, b) => (a.timestamp < b.timestamp ? -1 : a.timestamp > b.timestamp ? 1 : a.user_id < b.user_id ? -1 : a.user_id > b.user_id ? 1 : 0));
    const world: World = { family: NAME, seed, events, users: null, truth, trueK: NAMES.length, score: 'ari' };
    return world;
  },
};

/**
 * `signature-events`: a meal-planning app whose three to five personas each have events no one
 * else has — planners build weekly plans and shopping lists, bakers scale recipes and run timers,
 * budgeters price baskets and track spend, families manage household profiles, fitness cooks log
 * macros — and share the rest (viewing and searching recipes, about half of everyone's events).
 * Everything else is one steady population: every user is there from the window's first days to
 * its end, active at a low daily rate (about 0.3 events a day, gamma around it) spread evenly over
 * the days, at hours from one population-wide profile. Nobody lapses.
 *
 * The personas are as clean as a log gets, and that is what makes it hard in its own way: with
 * the mix settled, what varies most is recency. A user active a third of an event a day is
 * silent for days by chance, so days since the last event (and the same in usual gaps) has a long
 * exponential tail in every persona, and k-means can take that tail as one more segment, cut
 * across all of them — "lapsed users" in a log where nobody lapsed. Written after an outside
 * check whose log had this shape (three groups with disjoint event types, 15–40 events evenly
 * over 85 days) got four segments, the fourth an 18% "Lapsed users" tail.
 */
import { createRng, type Rng } from '../../../src/core/rng.js';
import type { EventRow, WorldFamily } from '../types.js';
import { DEFAULT_WINDOW, isoSeconds, type Window } from './activity.js';
import { assignPersonas, betaMean, categorical, dirichlet, familySeed, gamma, perturbMix, poisson, shuffleInPlace, userId } from './random.js';

const NAME = 'signature-events';

/** Events every persona does, with their weights within the shared part. */
const SHARED: Readonly<Record<string, number>> = { recipe_viewed: 5, recipe_searched: 3, recipe_saved: 1 };

/** Each persona's own events and their weights (no event belongs to two personas). */
const PERSONAS: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  planner: { meal_plan_created: 3, shopping_list_exported: 2 },
  baker: { recipe_scaled: 3, timer_started: 2, oven_preset_used: 1 },
  budgeter: { basket_priced: 3, spend_tracked: 2 },
  family_cook: { household_profile_edited: 2, portion_split: 3 },
  fitness_cook: { macros_logged: 3, meal_weighed: 2 },
};

/** Population-wide hour profile (UTC), 24 weights: evenings and weekend mornings. */
const HOURS = [0.4, 0.2, 0.1, 0.1, 0.1, 0.2, 0.6, 1.2, 1.4, 1.1, 1, 1.2, 1.6, 1.3, 1, 1, 1.3, 2.2, 3, 3.2, 2.6, 1.8, 1.2, 0.7];

/** Mean events per day of a user, and the gamma shape of its spread across users. */
const DAILY_RATE = 0.3;
const RATE_SHAPE = 6;

interface Persona {
  readonly name: string;
  readonly events: readonly string[];
  readonly weights: readonly number[];
}

function simulate(rng: Rng, id: string, persona: Persona, window: Window): EventRow[] {
  const first = rng.int(5);
  const days = window.days - first;
  const rate = gamma(rng, RATE_SHAPE, DAILY_RATE / RATE_SHAPE);
  const n = Math.max(4, poisson(rng, rate * days));
  const sharedShare = betaMean(rng, 0.5, 20);
  const sharedNames = Object.keys(SHARED);
  const shared = perturbMix(rng, Object.values(SHARED), 30);
  const own = perturbMix(rng, persona.weights, 30);
  const out: EventRow[] = [];
  for (let i = 0; i < n; i++) {
    const day = first + rng.int(days);
    const ms = window.startMs + day * 86_400_000 + categorical(rng, HOURS) * 3_600_000 + rng.int(3_600_000);
    const event = rng.next() < sharedShare ? sharedNames[categorical(rng, shared)] : persona.events[categorical(rng, own)];
    out.push({ user_id: id, event, timestamp: isoSeconds(ms) });
  }
  return out;
}

export const signatureEvents: WorldFamily = {
  name: NAME,
  description: 'meal-planning app, 3–5 personas with events of their own and half their events shared; steady low activity for all, nobody lapses',
  generate(seed) {
    const rng = createRng(familySeed(NAME, seed));
    const count = 3 + rng.int(3);
    const chosen = shuffleInPlace(rng, Object.keys(PERSONAS)).slice(0, count).sort();
    const personas: Persona[] = chosen.map((name) => ({ name, events: Object.keys(PERSONAS[name]), weights: Object.values(PERSONAS[name]) }));
    const shares = dirichlet(rng, personas.map(() => 4)).map((s) => 0.08 + s);
    const n = 1500 + rng.int(1501);
    const events: EventRow[] = [];
    const truth = new Map<string, string>();
    assignPersonas(rng, n, shares, 60).forEach((p, i) => {
      const id = userId('m', i + 1);
      truth.set(id, personas[p].name);
      for (const e of simulate(rng.fork(), id, personas[p], DEFAULT_WINDOW)) events.push(e);
    });
    events.sort((a, b) => (a.timestamp < b.timestamp ? -1 : a.timestamp > b.timestamp ? 1 : a.user_id < b.user_id ? -1 : a.user_id > b.user_id ? 1 : 0));
    return { family: NAME, seed, events, users: null, truth, trueK: personas.length, score: 'ari' };
  },
};

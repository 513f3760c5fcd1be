/**
 * `one-population`: a note-taking app with NO planted segments. Every user comes from the same
 * continuous distribution — heavy-tailed volume, one shared event mix with per-user Dirichlet
 * noise, one hour-of-day profile, tenure uniform over the window — and the users table holds
 * attributes drawn independently of behaviour. Truth labels everyone `all` and `trueK` is null.
 * Hard in the opposite direction to the other families: a heavy tail and uneven tenure *look*
 * like structure (light vs heavy users, new vs old), and a method that always reports k ≥ 2
 * clusters with confident names is inventing segments. The right answer is "no clear
 * segments" (or clusters that are visibly arbitrary slices of one continuum).
 */
import { createRng, type Rng } from '../../../src/core/rng.js';
import type { WorldFamily } from '../types.js';
import { assembleWorld, type ActivityProfile, type PlannedUser } from './activity.js';
import { familySeed, pick, userId } from './random.js';

const NAME = 'one-population';

const EVERYONE: ActivityProfile = {
  mix: {
    'Note Created': 0.18,
    'Note Edited': 0.26,
    'Note Opened': 0.2,
    'Search Performed': 0.09,
    'Tag Added': 0.06,
    'Notebook Opened': 0.07,
    'Note Shared': 0.04,
    'Reminder Set': 0.03,
    'Attachment Added': 0.03,
    'Template Used': 0.02,
    'Checklist Ticked': 0.02,
  },
  mixConcentration: 40,
  // A wide Beta: from once-a-month to nearly daily, with no gap in between.
  activeDays: { mean: 0.15, concentration: 2.5 },
  weekdayFactor: [1.05, 1.05, 1.05, 1.05, 1, 0.9, 0.9],
  sessionsPerDay: 1.4,
  hours: [
    { weight: 0.35, mean: 9.5, sd: 2 },
    { weight: 0.35, mean: 14.5, sd: 2.2 },
    { weight: 0.3, mean: 20.5, sd: 2 },
  ],
  hourJitter: 1,
  eventsPerSession: { median: 2.2, sigma: 0.7, userSigma: 0.5, max: 60 },
  gapSeconds: { median: 40, sigma: 1 },
  // Tenure uniform over the window: signed up any day (day 0 also stands for "before the window").
  startDay: (rng, w) => rng.int(w.days),
};

function plan(rng: Rng, n: number): PlannedUser[] {
  return Array.from({ length: n }, (_, i) => ({
    id: userId('x', i + 1),
    persona: 'all',
    profile: EVERYONE,
    attributes: {
      plan: pick(rng, ['free', 'plus', 'pro'], [0.6, 0.3, 0.1]),
      country: pick(rng, ['US', 'GB', 'DE', 'BR', 'IN', 'JP'], [0.35, 0.12, 0.12, 0.13, 0.18, 0.1]),
      signup_channel: pick(rng, ['organic', 'referral', 'app_store', 'ads'], [0.4, 0.2, 0.25, 0.15]),
    },
  }));
}

export const onePopulation: WorldFamily = {
  name: NAME,
  description:
    'note-taking app with no segments: one continuous population (heavy-tailed volume, one noisy mix, uniform tenure); any k ≥ 2 is invented',
  generate(seed) {
    const rng = createRng(familySeed(NAME, seed));
    const n = 1500 + rng.int(2501);
    return assembleWorld(NAME, seed, rng, plan(rng, n), { trueK: null, withUsers: true });
  },
};

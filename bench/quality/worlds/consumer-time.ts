/**
 * `consumer-time`: a streaming app where the segments are defined mostly by *when* people watch.
 * Commuters: many short weekday sessions at 7–9 h and 17–19 h, lots of downloads. Bingers: long
 * evening and late-night sessions, heavier at weekends, many completed titles and autoplayed
 * episodes. Families: weekday early evenings and weekend afternoons, profile switching and
 * kids' profiles, casting to the TV. Trialists: signed up in the last 14 days, few sessions and
 * few events, onboarding events. Hard because everyone uses the same core events (play_start,
 * browse_row, …) for most of their mix: each persona's own events (downloads, autoplay, kids'
 * profiles, onboarding) are a fifth to a third of it, so the event mix separates them only in
 * part, and hardly at all for sparse users; hour-of-day, weekend share, session shape, volume
 * and tenure carry the rest. Calibrated with calibrate.mts.
 */
import { createRng, type Rng } from '../../../src/core/rng.js';
import type { WorldFamily } from '../types.js';
import { assembleWorld, type ActivityProfile, type PlannedUser } from './activity.js';
import { assignPersonas, familySeed, pick, userId } from './random.js';

const NAME = 'consumer-time';

const PERSONAS: Record<string, ActivityProfile> = {
  commuter: {
    mix: {
      play_start: 0.24,
      download: 0.19,
      play_pause: 0.165,
      add_to_list: 0.085,
      play_complete: 0.09,
      browse_row: 0.1,
      search: 0.065,
      rate_title: 0.035,
      switch_profile: 0.015,
      cast_start: 0.02,
    },
    mixConcentration: 60,
    activeDays: { mean: 0.24, concentration: 12 },
    weekdayFactor: [1.3, 1.3, 1.3, 1.3, 1.2, 0.15, 0.12],
    sessionsPerDay: 1.6,
    hours: [
      { weight: 0.55, mean: 8, sd: 0.6 },
      { weight: 0.45, mean: 18, sd: 0.6 },
    ],
    weekendHours: [{ weight: 1, mean: 13, sd: 3 }],
    hourJitter: 0.4,
    eventsPerSession: { median: 1.7, sigma: 0.45, userSigma: 0.3, max: 10 },
    gapSeconds: { median: 240, sigma: 0.7 },
  },
  binger: {
    mix: {
      play_start: 0.2,
      play_complete: 0.25,
      autoplay_next: 0.16,
      browse_row: 0.1,
      play_pause: 0.07,
      cast_start: 0.065,
      add_to_list: 0.07,
      rate_title: 0.05,
      search: 0.035,
    },
    mixConcentration: 60,
    activeDays: { mean: 0.09, concentration: 10 },
    weekdayFactor: [0.75, 0.75, 0.75, 0.85, 1.3, 2, 1.8],
    sessionsPerDay: 1.1,
    hours: [
      { weight: 0.6, mean: 22, sd: 1 },
      { weight: 0.4, mean: 0.5, sd: 1.2 },
    ],
    weekendHours: [
      { weight: 0.35, mean: 15, sd: 2.5 },
      { weight: 0.65, mean: 23, sd: 1.5 },
    ],
    eventsPerSession: { median: 6.5, sigma: 0.45, userSigma: 0.3, max: 50 },
    gapSeconds: { median: 1500, sigma: 0.5 },
  },
  family: {
    mix: {
      play_start: 0.19,
      switch_profile: 0.165,
      kids_profile_opened: 0.18,
      cast_start: 0.105,
      play_complete: 0.1,
      play_pause: 0.09,
      browse_row: 0.095,
      search: 0.035,
      add_to_list: 0.03,
      rate_title: 0.01,
    },
    mixConcentration: 60,
    activeDays: { mean: 0.11, concentration: 10 },
    weekdayFactor: [0.45, 0.45, 0.45, 0.45, 0.8, 2.7, 2.6],
    sessionsPerDay: 1.3,
    hours: [{ weight: 1, mean: 17.5, sd: 1 }],
    weekendHours: [
      { weight: 0.7, mean: 15, sd: 1.6 },
      { weight: 0.3, mean: 10, sd: 1.2 },
    ],
    eventsPerSession: { median: 3, sigma: 0.5, userSigma: 0.3, max: 25 },
    gapSeconds: { median: 700, sigma: 0.8 },
  },
  trialist: {
    mix: {
      onboarding_step: 0.2,
      profile_created: 0.07,
      plan_selected: 0.05,
      browse_row: 0.2,
      search: 0.14,
      play_start: 0.16,
      play_pause: 0.05,
      play_complete: 0.04,
      add_to_list: 0.06,
      rate_title: 0.025,
    },
    mixConcentration: 60,
    activeDays: { mean: 0.3, concentration: 8 },
    sessionsPerDay: 1.2,
    hours: [{ weight: 1, mean: 20, sd: 2.5 }],
    eventsPerSession: { median: 2.5, sigma: 0.5, userSigma: 0.3, max: 20 },
    gapSeconds: { median: 90, sigma: 1 },
    // Joined during the last 14 days of the window.
    startDay: (rng, w) => w.days - 14 + rng.int(14),
  },
};

const NAMES = Object.keys(PERSONAS);
const SHARES = [0.3, 0.28, 0.25, 0.17];
const PLANS = ['basic', 'standard', 'premium'];
const PLAN_WEIGHTS: Record<string, number[]> = {
  commuter: [0.3, 0.5, 0.2],
  binger: [0.2, 0.45, 0.35],
  family: [0.15, 0.4, 0.45],
  trialist: [0.45, 0.4, 0.15],
};
const COUNTRIES = ['GB', 'DE', 'FR', 'NL', 'ES', 'IE'];

function plan(rng: Rng, n: number): PlannedUser[] {
  return assignPersonas(rng, n, SHARES).map((p, i) => ({
    id: userId('v', i + 1),
    persona: NAMES[p],
    profile: PERSONAS[NAMES[p]],
    attributes: {
      plan: pick(rng, PLANS, PLAN_WEIGHTS[NAMES[p]]),
      country: pick(rng, COUNTRIES, [0.35, 0.2, 0.15, 0.1, 0.12, 0.08]),
    },
  }));
}

export const consumerTime: WorldFamily = {
  name: NAME,
  description:
    'streaming app: commuters, bingers, families, trialists share one core vocabulary, so the mix tells them apart only in part; time of day, weekends, session shape and tenure carry the rest',
  generate(seed) {
    const rng = createRng(familySeed(NAME, seed));
    const n = 1500 + rng.int(2001);
    return assembleWorld(NAME, seed, rng, plan(rng, n), { trueK: NAMES.length, withUsers: true });
  },
};

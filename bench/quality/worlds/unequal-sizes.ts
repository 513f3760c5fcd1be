/**
 * `unequal-sizes`: a fitness-tracking app whose six personas span 40% to 3% of the users —
 * daily loggers 40, weekend warriors 25, dieters 15, social challengers 10, early churners 7,
 * coached members 3 (at least 60 users). They are told apart by a mix of signals, not one:
 * event mix (each persona has its own signature events — water and steps for the loggers,
 * workouts and routes for the warriors, barcodes and weigh-ins for the dieters, leaderboards and
 * kudos for the social group, onboarding and goals for the churners), weekend-versus-weekday
 * habits, time of day, and recency (the churners gave up after 10–40 days, roughly 40–80 days
 * before the window end). Hard because size-blind methods split the 40% group before they
 * notice the 3% one, and a small group is easy to write off as noise; the coached members are
 * distinct enough (own events, evening video classes) that a good method keeps them.
 * Calibrated with calibrate.mts.
 */
import { createRng, type Rng } from '../../../src/core/rng.js';
import type { WorldFamily } from '../types.js';
import { assembleWorld, type ActivityProfile, type PlannedUser } from './activity.js';
import { assignPersonas, familySeed, pick, userId } from './random.js';

const NAME = 'unequal-sizes';

const EVERY_DAY = [1, 1, 1, 1, 1, 1, 1];
const WEEKENDS = [0.3, 0.3, 0.3, 0.3, 0.45, 2.6, 2.4];
const WEEKDAYS = [1.15, 1.15, 1.15, 1.15, 1.05, 0.55, 0.55];

const PERSONAS: Record<string, ActivityProfile> = {
  daily_logger: {
    mix: {
      water_logged: 0.26,
      meal_logged: 0.22,
      steps_synced: 0.2,
      workout_logged: 0.1,
      reminder_snoozed: 0.08,
      weight_logged: 0.05,
      progress_viewed: 0.05,
      recipe_viewed: 0.04,
    },
    mixConcentration: 50,
    activeDays: { mean: 0.18, concentration: 8 },
    weekdayFactor: EVERY_DAY,
    sessionsPerDay: 1.4,
    hours: [
      { weight: 0.4, mean: 8, sd: 1.2 },
      { weight: 0.3, mean: 13, sd: 1.2 },
      { weight: 0.3, mean: 20, sd: 1.5 },
    ],
    eventsPerSession: { median: 1.6, sigma: 0.5, userSigma: 0.3, max: 20 },
    gapSeconds: { median: 25, sigma: 0.8 },
  },
  weekend_warrior: {
    mix: {
      workout_started: 0.3,
      workout_completed: 0.26,
      route_recorded: 0.18,
      gear_added: 0.06,
      progress_viewed: 0.1,
      steps_synced: 0.06,
      water_logged: 0.04,
    },
    mixConcentration: 50,
    activeDays: { mean: 0.1, concentration: 8 },
    weekdayFactor: WEEKENDS,
    sessionsPerDay: 1.2,
    hours: [
      { weight: 0.6, mean: 18.5, sd: 1.3 },
      { weight: 0.4, mean: 7, sd: 1 },
    ],
    weekendHours: [
      { weight: 0.75, mean: 9, sd: 1.5 },
      { weight: 0.25, mean: 16, sd: 2 },
    ],
    eventsPerSession: { median: 2.6, sigma: 0.5, userSigma: 0.3, max: 25 },
    gapSeconds: { median: 900, sigma: 1 },
  },
  dieter: {
    mix: {
      meal_logged: 0.24,
      barcode_scanned: 0.2,
      weight_logged: 0.18,
      recipe_viewed: 0.18,
      macro_goal_set: 0.08,
      progress_viewed: 0.08,
      water_logged: 0.04,
    },
    mixConcentration: 50,
    activeDays: { mean: 0.17, concentration: 8 },
    weekdayFactor: WEEKDAYS,
    sessionsPerDay: 1.5,
    hours: [
      { weight: 0.25, mean: 7.5, sd: 1 },
      { weight: 0.25, mean: 12.5, sd: 1 },
      { weight: 0.5, mean: 19, sd: 1.2 },
    ],
    eventsPerSession: { median: 2, sigma: 0.5, userSigma: 0.3, max: 20 },
    gapSeconds: { median: 30, sigma: 0.8 },
  },
  social: {
    mix: {
      leaderboard_viewed: 0.26,
      kudos_given: 0.24,
      challenge_joined: 0.14,
      friend_added: 0.1,
      workout_completed: 0.1,
      steps_synced: 0.1,
      progress_viewed: 0.06,
    },
    mixConcentration: 50,
    activeDays: { mean: 0.13, concentration: 8 },
    weekdayFactor: EVERY_DAY,
    sessionsPerDay: 1.6,
    hours: [
      { weight: 0.5, mean: 12.5, sd: 1.5 },
      { weight: 0.5, mean: 21, sd: 1.5 },
    ],
    eventsPerSession: { median: 2.2, sigma: 0.55, userSigma: 0.35, max: 25 },
    gapSeconds: { median: 20, sigma: 0.8 },
  },
  early_churner: {
    mix: {
      onboarding_step_completed: 0.22,
      goal_set: 0.12,
      meal_logged: 0.2,
      water_logged: 0.16,
      steps_synced: 0.12,
      recipe_viewed: 0.08,
      workout_logged: 0.06,
      reminder_snoozed: 0.04,
    },
    mixConcentration: 50,
    activeDays: { mean: 0.35, concentration: 8 },
    weekdayFactor: EVERY_DAY,
    sessionsPerDay: 1.4,
    hours: [
      { weight: 0.4, mean: 8, sd: 1.2 },
      { weight: 0.3, mean: 13, sd: 1.2 },
      { weight: 0.3, mean: 20, sd: 1.5 },
    ],
    eventsPerSession: { median: 1.8, sigma: 0.5, userSigma: 0.3, max: 20 },
    gapSeconds: { median: 25, sigma: 0.8 },
    // Signed up around the window start and gave up after 10–40 days.
    startDay: (rng) => rng.int(8),
    endDay: (rng, _w, start) => start + 10 + rng.int(31),
  },
  coached: {
    mix: {
      coach_message_sent: 0.22,
      video_class_started: 0.2,
      video_class_completed: 0.17,
      coach_plan_viewed: 0.12,
      workout_completed: 0.1,
      progress_viewed: 0.08,
      meal_logged: 0.06,
      session_booked: 0.05,
    },
    mixConcentration: 50,
    activeDays: { mean: 0.3, concentration: 10 },
    weekdayFactor: WEEKDAYS,
    sessionsPerDay: 1.3,
    hours: [
      { weight: 0.8, mean: 19.5, sd: 1 },
      { weight: 0.2, mean: 6.5, sd: 0.8 },
    ],
    eventsPerSession: { median: 3, sigma: 0.45, userSigma: 0.3, max: 25 },
    gapSeconds: { median: 600, sigma: 0.8 },
  },
};

const NAMES = Object.keys(PERSONAS);
const SHARES = [0.4, 0.25, 0.15, 0.1, 0.07, 0.03];
const PLATFORM_WEIGHTS: Record<string, number[]> = {
  daily_logger: [0.5, 0.4, 0.1],
  weekend_warrior: [0.45, 0.45, 0.1],
  dieter: [0.55, 0.35, 0.1],
  social: [0.6, 0.35, 0.05],
  early_churner: [0.4, 0.5, 0.1],
  coached: [0.55, 0.3, 0.15],
};

function plan(rng: Rng, n: number): PlannedUser[] {
  return assignPersonas(rng, n, SHARES, 60).map((p, i) => ({
    id: userId('m', i + 1),
    persona: NAMES[p],
    profile: PERSONAS[NAMES[p]],
    attributes: {
      platform: pick(rng, ['ios', 'android', 'web'], PLATFORM_WEIGHTS[NAMES[p]]),
      age_band: pick(rng, ['18-24', '25-34', '35-44', '45-54', '55+'], [0.18, 0.32, 0.25, 0.15, 0.1]),
    },
  }));
}

export const unequalSizes: WorldFamily = {
  name: NAME,
  description:
    'fitness app, 6 personas sized 40/25/15/10/7/3% told apart by mix, weekend habits, hours and recency; the 3% coached group (≥ 60 users) is small but real',
  generate(seed) {
    const rng = createRng(familySeed(NAME, seed));
    const n = 2000 + rng.int(1501);
    return assembleWorld(NAME, seed, rng, plan(rng, n), { trueK: NAMES.length, withUsers: true });
  },
};

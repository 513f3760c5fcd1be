/**
 * `sparse-lapsed`: a B2B analytics tool with six personas — dashboard builders, query analysts,
 * workspace admins (8%), API integrations (~9.5%, machine traffic only), sparse viewers and
 * lapsed users. Hard because a quarter of the users are viewers active about one day in ten
 * with a handful of events (a quarter of them 1–5 in all, so their shares are noisy), and lapsed
 * users look like viewers by event mix: only *when* they were active (stopped 30–70 days before
 * the window end) and how much they did before sets them apart. Builders, analysts and admins
 * each have signature events at clearly elevated shares (as in real trackers, where a role shows
 * in what it does). Human event names are Title Case, machine ones snake_case, as in many real
 * trackers. The users table carries `role` (≈60% agreement with the persona) and `plan` (weakly
 * related; lapsed accounts lean free).
 *
 * Calibrated (see calibrate.mts) so that a plain notebook at the true k lands near the ARI it
 * reaches on a real B2B log of this design (≈0.95); the difficulty left is for methods that must
 * find k and the right features themselves.
 */
import { createRng, type Rng } from '../../../src/core/rng.js';
import type { WorldFamily } from '../types.js';
import { assembleWorld, type ActivityProfile, type PlannedUser } from './activity.js';
import { assignPersonas, familySeed, pick, userId } from './random.js';

const NAME = 'sparse-lapsed';

const WORKDAY_HOURS = [
  { weight: 0.55, mean: 10.5, sd: 1.6 },
  { weight: 0.45, mean: 15, sd: 1.8 },
] as const;
const WORKWEEK = [1.15, 1.2, 1.2, 1.15, 1.0, 0.2, 0.12];

const base = {
  mixConcentration: 80,
  weekdayFactor: WORKWEEK,
  hours: WORKDAY_HOURS,
  gapSeconds: { median: 45, sigma: 0.9 },
} as const;

const PERSONAS: Record<string, ActivityProfile> = {
  builder: {
    ...base,
    mix: {
      'Dashboard Created': 0.12,
      'Dashboard Edited': 0.3,
      'Chart Added': 0.24,
      'Dashboard Viewed': 0.16,
      'Query Run': 0.1,
      'Share Link Created': 0.04,
      'Alert Configured': 0.04,
    },
    activeDays: { mean: 0.18, concentration: 12 },
    sessionsPerDay: 1.25,
    eventsPerSession: { median: 2.8, sigma: 0.7, userSigma: 0.4, max: 60 },
  },
  analyst: {
    ...base,
    mix: {
      'Query Run': 0.42,
      'Report Exported': 0.2,
      'Query Saved': 0.12,
      'Dashboard Viewed': 0.14,
      'Filter Applied': 0.12,
    },
    activeDays: { mean: 0.18, concentration: 12 },
    sessionsPerDay: 1.3,
    eventsPerSession: { median: 2.6, sigma: 0.7, userSigma: 0.4, max: 60 },
  },
  admin: {
    ...base,
    mix: {
      'User Invited': 0.26,
      'Settings Changed': 0.24,
      'Role Changed': 0.16,
      'Billing Updated': 0.08,
      'SSO Configured': 0.04,
      'Dashboard Viewed': 0.12,
      'Alert Configured': 0.1,
    },
    activeDays: { mean: 0.15, concentration: 12 },
    sessionsPerDay: 1.1,
    eventsPerSession: { median: 2.4, sigma: 0.6, userSigma: 0.35, max: 30 },
  },
  api: {
    mix: { api_call: 0.7, api_batch_upload: 0.11, api_token_refresh: 0.07, webhook_delivered: 0.12 },
    mixConcentration: 80,
    activeDays: { mean: 0.96, concentration: 40 },
    sessionsPerDay: 1.25,
    hours: 'uniform',
    hourJitter: 0,
    eventsPerSession: { median: 1.1, sigma: 0.5, userSigma: 0.5, max: 40 },
    gapSeconds: { median: 2, sigma: 0.4 },
  },
  viewer: {
    ...base,
    mix: {
      'Dashboard Viewed': 0.82,
      'Comment Posted': 0.08,
      'Filter Applied': 0.06,
      'Share Link Created': 0.04,
    },
    activeDays: { mean: 0.1, concentration: 25 },
    // Viewers glance at dashboards in the morning (stand-ups, weekly reviews).
    hours: [
      { weight: 0.85, mean: 9.7, sd: 0.9 },
      { weight: 0.15, mean: 14, sd: 2 },
    ],
    hourJitter: 0.5,
    sessionsPerDay: 1.05,
    eventsPerSession: { median: 1.2, sigma: 0.4, userSigma: 0.2, max: 8 },
  },
  lapsed: {
    ...base,
    mix: {
      'Dashboard Viewed': 0.74,
      'Comment Posted': 0.1,
      'Filter Applied': 0.08,
      'Report Exported': 0.04,
      'Share Link Created': 0.04,
    },
    activeDays: { mean: 0.65, concentration: 15 },
    sessionsPerDay: 1.3,
    eventsPerSession: { median: 3, sigma: 0.6, userSigma: 0.3, max: 30 },
    // Active from the window start (or a little later), stopped 30–70 days before its end.
    startDay: (rng) => rng.int(10),
    endDay: (rng, w) => w.days - 30 - rng.int(41),
  },
};

const NAMES = Object.keys(PERSONAS);
const SHARES = [0.2, 0.24, 0.08, 0.095, 0.245, 0.14];
const ROLE_OF: Record<string, string> = {
  builder: 'editor',
  analyst: 'analyst',
  admin: 'admin',
  api: 'service_account',
  viewer: 'viewer',
  lapsed: 'viewer',
};
const ROLES = ['editor', 'analyst', 'admin', 'service_account', 'viewer'];
const PLANS = ['free', 'team', 'enterprise'];
const PLAN_WEIGHTS: Record<string, number[]> = {
  builder: [0.25, 0.45, 0.3],
  analyst: [0.25, 0.45, 0.3],
  admin: [0.15, 0.45, 0.4],
  api: [0.1, 0.4, 0.5],
  viewer: [0.35, 0.45, 0.2],
  lapsed: [0.6, 0.32, 0.08],
};

function plan(rng: Rng, n: number): PlannedUser[] {
  const personas = assignPersonas(rng, n, SHARES);
  return personas.map((p, i) => {
    const persona = NAMES[p];
    const role = rng.next() < 0.6 ? ROLE_OF[persona] : pick(rng, ROLES);
    return {
      id: userId('u', i + 1),
      persona,
      profile: PERSONAS[persona],
      attributes: { role, plan: pick(rng, PLANS, PLAN_WEIGHTS[persona]) },
    };
  });
}

export const sparseLapsed: WorldFamily = {
  name: NAME,
  description:
    'B2B analytics tool, 6 personas incl. 8% admins, ~10% API machines, 25% sparse viewers (about one day in ten, many with 1–5 events) and lapsed users whose mix matches the viewers; heavy-tailed volumes',
  generate(seed) {
    const rng = createRng(familySeed(NAME, seed));
    const n = 1000 + rng.int(2001);
    return assembleWorld(NAME, seed, rng, plan(rng, n), { trueK: NAMES.length, withUsers: true });
  },
};

/**
 * `crm-firmographic`: a sales CRM whose segments live in the accounts table, not in behaviour.
 * Four planted segments — enterprise finance (thousands of employees, enterprise plan, high
 * MRR), SMB retail (tens of employees, team plan), mid-market tech (hundreds of employees,
 * business plan) and self-serve startups (a handful of people, mostly free) — are defined by
 * `industry` (each segment its own two or three industries), `employees` (heavy-tailed overall:
 * segment medians 5, 25, 400 and 5,000, lognormal σ ≈ 0.5 within), `plan` (≈94% the segment's
 * own), `mrr`, `region` and `seats`, with some overlap and a few missing values. No industry is a
 * stray one-in-a-hundred level: a rare category, one-hot encoded and standardised, becomes a
 * far-out pile that a plain k-means isolates as a "segment", which is not what this family
 * tests. Everyone uses the same twelve events with mixes within a few points of each other and
 * overlapping volumes (a behaviour-only clustering scores ARI ≈ 0). Hard because a
 * behaviour-only method finds nothing real here: the segments appear only if the users table is
 * used, and used well (log scales for the heavy-tailed numbers, categoricals handled sensibly).
 * Calibrated with calibrate.mts.
 */
import { createRng, type Rng } from '../../../src/core/rng.js';
import type { WorldFamily } from '../types.js';
import { assembleWorld, type ActivityProfile, type PlannedUser } from './activity.js';
import { assignPersonas, familySeed, lognormal, pick, userId } from './random.js';

const NAME = 'crm-firmographic';

const INDUSTRIES = ['finance', 'insurance', 'retail', 'ecommerce', 'software', 'media', 'healthcare', 'manufacturing', 'education'] as const;
const REGIONS = ['NA', 'EMEA', 'APAC', 'LATAM'] as const;
const PLANS = ['free', 'team', 'business', 'enterprise'] as const;
/** List price per seat and month, by plan. */
const SEAT_PRICE: Record<string, number> = { free: 0, team: 12, business: 29, enterprise: 55 };

interface Firmographics {
  readonly industry: readonly number[];
  readonly employees: { readonly median: number; readonly sigma: number };
  readonly plan: readonly number[];
  /** Seats as a share of employees (lognormal median), capped by employees. */
  readonly seats: { readonly median: number; readonly sigma: number };
  readonly region: readonly number[];
}

const FIRMS: Record<string, Firmographics> = {
  enterprise_finance: {
    industry: [0.75, 0.22, 0, 0, 0.03, 0, 0, 0, 0],
    employees: { median: 5000, sigma: 0.55 },
    plan: [0, 0.01, 0.05, 0.94],
    seats: { median: 200, sigma: 0.5 },
    region: [0.5, 0.48, 0.02, 0],
  },
  smb_retail: {
    industry: [0, 0, 0.62, 0.22, 0.02, 0, 0, 0.14, 0],
    employees: { median: 25, sigma: 0.5 },
    plan: [0.03, 0.94, 0.03, 0],
    seats: { median: 6, sigma: 0.45 },
    region: [0.08, 0.3, 0.02, 0.6],
  },
  midmarket_tech: {
    industry: [0.03, 0, 0, 0, 0.78, 0.15, 0, 0.04, 0],
    employees: { median: 400, sigma: 0.5 },
    plan: [0, 0.03, 0.94, 0.03],
    seats: { median: 50, sigma: 0.45 },
    region: [0.85, 0.12, 0.03, 0],
  },
  selfserve_startup: {
    industry: [0, 0, 0, 0.1, 0.55, 0.02, 0.15, 0, 0.18],
    employees: { median: 5, sigma: 0.5 },
    plan: [0.94, 0.06, 0, 0],
    seats: { median: 2, sigma: 0.45 },
    region: [0.25, 0.1, 0.6, 0.05],
  },
};

/** The shared behaviour: every segment perturbs this mix by a couple of points at most. */
const BASE_MIX: Record<string, number> = {
  deal_created: 0.1,
  deal_stage_changed: 0.14,
  contact_added: 0.12,
  email_logged: 0.15,
  call_logged: 0.08,
  note_added: 0.09,
  task_completed: 0.1,
  pipeline_viewed: 0.1,
  report_viewed: 0.05,
  'Meeting Scheduled': 0.04,
  'Import Run': 0.015,
  'Integration Connected': 0.015,
};
const NUDGES: Record<string, Record<string, number>> = {
  enterprise_finance: { report_viewed: 0.02, call_logged: 0.01, deal_created: -0.01 },
  smb_retail: { contact_added: 0.02, email_logged: 0.01, report_viewed: -0.01 },
  midmarket_tech: { 'Integration Connected': 0.01, pipeline_viewed: 0.02, call_logged: -0.01 },
  selfserve_startup: { deal_created: 0.02, 'Import Run': 0.01, report_viewed: -0.015 },
};
const ACTIVITY: Record<string, number> = {
  enterprise_finance: 0.28,
  smb_retail: 0.24,
  midmarket_tech: 0.27,
  selfserve_startup: 0.22,
};

function behaviour(segment: string): ActivityProfile {
  const mix: Record<string, number> = { ...BASE_MIX };
  for (const [e, d] of Object.entries(NUDGES[segment])) mix[e] = Math.max(0.005, mix[e] + d);
  return {
    mix,
    mixConcentration: 40,
    activeDays: { mean: ACTIVITY[segment], concentration: 10 },
    weekdayFactor: [1.15, 1.2, 1.2, 1.15, 1, 0.2, 0.1],
    sessionsPerDay: 1.3,
    hours: [
      { weight: 0.5, mean: 10.5, sd: 1.8 },
      { weight: 0.5, mean: 15, sd: 2 },
    ],
    hourJitter: 1.5,
    eventsPerSession: { median: 1.7, sigma: 0.6, userSigma: 0.4, max: 40 },
    gapSeconds: { median: 60, sigma: 1 },
  };
}

const NAMES = Object.keys(FIRMS);
const PROFILES: Record<string, ActivityProfile> = Object.fromEntries(NAMES.map((s) => [s, behaviour(s)]));
const SHARES = [0.2, 0.3, 0.25, 0.25];

function firmographics(rng: Rng, f: Firmographics): Record<string, string | number | null> {
  const employees = Math.max(1, Math.round(lognormal(rng, Math.log(f.employees.median), f.employees.sigma)));
  const plan = pick(rng, PLANS, f.plan);
  const seats = Math.min(employees, Math.max(1, Math.round(lognormal(rng, Math.log(f.seats.median), f.seats.sigma))));
  const mrr = Math.round(seats * SEAT_PRICE[plan] * lognormal(rng, 0, 0.2) * 100) / 100;
  return {
    // A CRM export is never complete: a few industries and headcounts are missing.
    industry: rng.next() < 0.03 ? null : pick(rng, INDUSTRIES, f.industry),
    employees: rng.next() < 0.05 ? null : employees,
    plan,
    mrr,
    region: pick(rng, REGIONS, f.region),
    seats,
  };
}

function plan(rng: Rng, n: number): PlannedUser[] {
  return assignPersonas(rng, n, SHARES).map((p, i) => ({
    id: userId('a', i + 1),
    persona: NAMES[p],
    profile: PROFILES[NAMES[p]],
    attributes: firmographics(rng, FIRMS[NAMES[p]]),
  }));
}

export const crmFirmographic: WorldFamily = {
  name: NAME,
  description:
    'sales CRM: 4 segments defined by account attributes (industry, heavy-tailed employees, plan, mrr, region, seats); behaviour differs only by a few points',
  generate(seed) {
    const rng = createRng(familySeed(NAME, seed));
    const n = 1200 + rng.int(1801);
    return assembleWorld(NAME, seed, rng, plan(rng, n), { trueK: NAMES.length, withUsers: true });
  },
};

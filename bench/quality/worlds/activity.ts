/**
 * The shared generative process behind the benchmark's event worlds. A user is not a bag of
 * independent event draws: each user gets their own daily activity probability, tenure (first
 * possible day) and lapse (last possible day); on each active day a number of sessions; each
 * session starts at an hour drawn from the persona's circular mixture of normals (shifted per
 * user), holds a heavy-tailed number of events, spaced by lognormal gaps, whose types come from
 * the persona's event mix perturbed per user by a Dirichlet draw. So users of one persona differ
 * in volume, rhythm and mix, the way real users do, and sparse users are really sparse.
 */
import type { Rng } from '../../../src/core/rng.js';
import type { AttributeRow, EventRow, World } from '../types.js';
import { betaMean, categorical, gamma, perturbMix, poisson } from './random.js';

const DAY_MS = 86_400_000;

/** The observation window: `days` whole UTC days ending at `end` (exclusive). */
export interface Window {
  /** Milliseconds of the window's first instant (00:00:00Z of day 0). */
  readonly startMs: number;
  readonly days: number;
}

/** The benchmark's default: 90 days ending 2026-06-30T23:59:59Z. */
export const DEFAULT_WINDOW: Window = makeWindow('2026-07-01T00:00:00Z', 90);

export function makeWindow(endExclusiveIso: string, days: number): Window {
  return { startMs: Date.parse(endExclusiveIso) - days * DAY_MS, days };
}

/** ISO 8601 UTC to the second: `2026-03-04T17:21:09Z`. */
export function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().slice(0, 19) + 'Z';
}

/** Day of week of window day `d`: 0 = Monday … 6 = Sunday. */
export function dayOfWeek(window: Window, d: number): number {
  return (new Date(window.startMs + d * DAY_MS).getUTCDay() + 6) % 7;
}

/** One component of an hour-of-day mixture on the 24 h circle (mean and sd in hours). */
export interface HourComponent {
  readonly weight: number;
  readonly mean: number;
  readonly sd: number;
}

export type HourProfile = readonly HourComponent[] | 'uniform';

/** A persona's behaviour; per-user parameters are drawn around it inside `simulateUser`. */
export interface ActivityProfile {
  /** Event type → share in this persona's mix (need not sum to 1; zero = never). */
  readonly mix: Readonly<Record<string, number>>;
  /** Dirichlet concentration of a user's mix around the persona mix (30–80: users differ). */
  readonly mixConcentration: number;
  /** Per-user probability of being active on a given day: Beta with this mean and a + b. */
  readonly activeDays: { readonly mean: number; readonly concentration: number };
  /** Multipliers on the daily activity probability, Monday … Sunday (default all 1). */
  readonly weekdayFactor?: readonly number[];
  /** Mean sessions on an active day (≥ 1); the extra sessions are Poisson with a per-user rate. */
  readonly sessionsPerDay: number;
  /** Session start hour on weekdays (and on weekends unless `weekendHours` is given). */
  readonly hours: HourProfile;
  readonly weekendHours?: HourProfile;
  /** SD (hours) of a per-user shift of the whole hour profile (default 0.75). */
  readonly hourJitter?: number;
  /** Events per session: lognormal with this median and sigma, user median shifted by userSigma. */
  readonly eventsPerSession: {
    readonly median: number;
    readonly sigma: number;
    readonly userSigma: number;
    readonly max?: number;
  };
  /** Seconds between consecutive events of a session: lognormal (median, sigma). */
  readonly gapSeconds: { readonly median: number; readonly sigma: number };
  /** Event that opens every session (e.g. an app open); not part of `mix`. */
  readonly sessionStart?: string;
  /** First window day the user can be active (tenure); default 0. */
  readonly startDay?: (rng: Rng, window: Window) => number;
  /** Day after the user's last possible active day (lapse); default window.days. */
  readonly endDay?: (rng: Rng, window: Window, startDay: number) => number;
}

function sampleHour(rng: Rng, hours: HourProfile, shift: number): number {
  if (hours === 'uniform') return rng.next() * 24;
  const c = hours[categorical(rng, hours.map((h) => h.weight))];
  const h = c.mean + shift + c.sd * rng.normal();
  return ((h % 24) + 24) % 24;
}

/**
 * One user's event stream in `window`, in time order. Always at least one event: a user whose
 * activity draws came up empty gets one session on a random day of their tenure.
 */
export function simulateUser(rng: Rng, userId: string, profile: ActivityProfile, window: Window): EventRow[] {
  const names = Object.keys(profile.mix);
  const userMix = perturbMix(rng, names.map((n) => profile.mix[n]), profile.mixConcentration);
  const start = clampInt(profile.startDay?.(rng, window) ?? 0, 0, window.days - 1);
  const end = clampInt(profile.endDay?.(rng, window, start) ?? window.days, start + 1, window.days);
  const pActive = betaMean(rng, profile.activeDays.mean, profile.activeDays.concentration);
  const extraSessions = profile.sessionsPerDay > 1 ? gamma(rng, 2, (profile.sessionsPerDay - 1) / 2) : 0;
  const eps = profile.eventsPerSession;
  const userMu = Math.log(eps.median) + eps.userSigma * rng.normal();
  const shift = (profile.hourJitter ?? 0.75) * rng.normal();
  const factor = profile.weekdayFactor ?? [1, 1, 1, 1, 1, 1, 1];
  const endMs = window.startMs + window.days * DAY_MS;

  const out: EventRow[] = [];
  const session = (d: number): void => {
    const dow = dayOfWeek(window, d);
    const hours = dow >= 5 && profile.weekendHours ? profile.weekendHours : profile.hours;
    const n = Math.min(eps.max ?? 400, Math.max(1, Math.round(Math.exp(userMu + eps.sigma * rng.normal()))));
    let t = window.startMs + d * DAY_MS + Math.floor(sampleHour(rng, hours, shift) * 3600) * 1000;
    const rows: EventRow[] = [];
    if (profile.sessionStart !== undefined) {
      rows.push({ user_id: userId, event: profile.sessionStart, timestamp: isoSeconds(t) });
      t += gap(rng, profile.gapSeconds);
    }
    for (let k = 0; k < n && t < endMs; k++) {
      rows.push({ user_id: userId, event: names[categorical(rng, userMix)], timestamp: isoSeconds(t) });
      t += gap(rng, profile.gapSeconds);
    }
    for (const r of rows) out.push(r);
  };

  for (let d = start; d < end; d++) {
    const p = Math.min(0.995, pActive * factor[dayOfWeek(window, d)]);
    if (rng.next() >= p) continue;
    const sessions = 1 + poisson(rng, extraSessions);
    for (let s = 0; s < sessions; s++) session(d);
  }
  if (out.length === 0) session(start + rng.int(end - start));
  // Sessions of one day were drawn at independent hours: put the stream in time order.
  return out.sort((a, b) => (a.timestamp < b.timestamp ? -1 : a.timestamp > b.timestamp ? 1 : 0));
}

function gap(rng: Rng, g: { readonly median: number; readonly sigma: number }): number {
  return Math.max(1, Math.round(g.median * Math.exp(g.sigma * rng.normal()))) * 1000;
}

function clampInt(v: number, lo: number, hi: number): number {
  return Math.max(lo, Math.min(hi, Math.floor(v)));
}

/** A generated user before assembly: id, planted persona, profile, optional users-table row. */
export interface PlannedUser {
  readonly id: string;
  readonly persona: string;
  readonly profile: ActivityProfile;
  readonly attributes?: Readonly<Record<string, string | number | boolean | null>>;
}

/**
 * Simulate every planned user (each from its own forked generator, in id order) and assemble
 * the world: events sorted by (timestamp, user_id, original order), truth for every user.
 */
export function assembleWorld(
  family: string,
  seed: number,
  rng: Rng,
  planned: readonly PlannedUser[],
  opts: { readonly window?: Window; readonly trueK: number | null; readonly withUsers: boolean },
): World {
  const window = opts.window ?? DEFAULT_WINDOW;
  const events: EventRow[] = [];
  const truth = new Map<string, string>();
  const users: AttributeRow[] = [];
  for (const u of planned) {
    const userRng = rng.fork();
    for (const e of simulateUser(userRng, u.id, u.profile, window)) events.push(e);
    truth.set(u.id, u.persona);
    if (opts.withUsers) users.push({ user_id: u.id, ...(u.attributes ?? {}) });
  }
  const order = events.map((_, i) => i);
  order.sort((a, b) => {
    const ea = events[a];
    const eb = events[b];
    if (ea.timestamp !== eb.timestamp) return ea.timestamp < eb.timestamp ? -1 : 1;
    if (ea.user_id !== eb.user_id) return ea.user_id < eb.user_id ? -1 : 1;
    return a - b;
  });
  return {
    family,
    seed,
    events: order.map((i) => events[i]),
    users: opts.withUsers ? users : null,
    truth,
    trueK: opts.trueK,
    score: 'ari',
  };
}

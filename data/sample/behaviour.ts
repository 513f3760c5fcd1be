/**
 * How one user behaves over the window: which days they are active and how much (planned up
 * front, so minimum volumes can be guaranteed), and the sessions and events of one active day
 * (drawn on demand, so the event stream never has to sit in memory).
 */
import type { Rng } from '../../src/core/rng.js';
import { DAY, type Window } from './calendar.js';
import { EVENT_INDEX, EVENT_TYPES, type Persona } from './personas.js';
import type { User } from './users.js';
import { clamp, cumulative, drawCumulative, lognormal, poisson } from './random.js';

export interface Behaviour {
  readonly user: User;
  /** Events per window day (0 = inactive). */
  readonly counts: Uint16Array;
  /**
   * Hours this user's working day is shifted from the usual (early birds, late workers). It
   * also blurs regions in UTC hour-of-day: without it, each continent's office hours would
   * make a time-of-day cluster of its own inside every persona.
   */
  readonly hourShift: number;
  /** Cumulative weights of this user's event mix (the persona's, jittered per user). */
  readonly mix: Float64Array;
  /** Draws for the day-level detail; separate from planning so each stays replayable. */
  readonly rng: Rng;
}

/** Sessions are at least this far apart, comfortably over the pipeline's 30-minute gap. */
const SESSION_SPACING = 40 * 60;
/** Within a session no gap reaches the 30-minute session cut. */
const MAX_GAP = 18 * 60;

const LOGIN = EVENT_INDEX.login;

function userMix(persona: Persona, rng: Rng): Float64Array {
  const w = new Float64Array(EVENT_TYPES.length);
  EVENT_TYPES.forEach((e, i) => {
    const base = persona.mix[e] ?? 0;
    w[i] = base * Math.exp(0.2 * rng.normal());
  });
  return cumulative(w);
}

/** Plan a user's active days and daily volumes. */
export function planBehaviour(user: User, window: Window, planRng: Rng, detailRng: Rng): Behaviour {
  const p = user.persona;
  const counts = new Uint16Array(window.days);
  const activity = clamp(p.activeProbability * Math.exp(0.25 * planRng.normal()), 0.03, 0.95);
  const volume = lognormal(p.eventsPerDay, 0.4, planRng);
  // Some users ramp up, some wind down; lapsed users fade before they stop.
  const slope = p.lifecycle === 'lapsed' ? -Math.abs(0.3 * planRng.normal()) : 0.3 * planRng.normal();
  const span = Math.max(1, user.lastDay - user.firstDay);

  for (let d = user.firstDay; d <= user.lastDay; d++) {
    const weekend = window.weekend[d] ? p.weekendFactor : 1;
    const since = d - user.firstDay;
    const trend = Math.exp(slope * (since / span - 0.5));
    // Trialists are keenest right after signing up.
    const keen = p.lifecycle === 'trial' ? 0.5 + 1.2 * Math.exp(-since / 6) : 1;
    const forced = d === user.lastDay || (d === user.firstDay && user.startsOnFirstDay);
    if (!forced && planRng.next() >= activity * weekend * trend * keen) continue;
    let n = Math.max(1, Math.round(lognormal(volume * Math.sqrt(trend) * keen, 0.3, planRng)));
    // A trialist's first day is the onboarding burst.
    if (p.lifecycle === 'trial' && since === 0) n = Math.max(n, 6 + planRng.int(7));
    counts[d] = Math.min(n, 65_535);
  }

  // Too quiet for the persona: switch on more days in the user's span (more days rather than
  // busier days, so sessions keep their shape); only once every day is on do days get busier.
  // The target is jittered above the minimum so topped-up users do not pile up on one count.
  const target = Math.round(p.minEvents * Math.exp(0.3 * Math.abs(planRng.normal())));
  let total = counts.reduce((s, c) => s + c, 0);
  let idle = counts.subarray(user.firstDay, user.lastDay + 1).filter((c) => c === 0).length;
  while (total < target) {
    const d = user.firstDay + planRng.int(user.lastDay - user.firstDay + 1);
    if (counts[d] > 0 && idle > 0) continue;
    const add = counts[d] === 0 ? Math.max(1, Math.round(lognormal(volume, 0.3, planRng))) : 1;
    if (counts[d] === 0) idle--;
    counts[d] += add;
    total += add;
  }
  const hourShift = clamp(2 * planRng.normal(), -4, 4);
  return { user, counts, hourShift, mix: userMix(p, planRng), rng: detailRng };
}

/** Local second-of-day a session starts at. */
function sessionStart(b: Behaviour, isWeekend: boolean, rng: Rng): number {
  let hour: number;
  if (b.user.persona.clock === 'around_the_clock' && rng.next() < 0.75) {
    hour = rng.next() * 24;
  } else if (isWeekend) {
    hour = clamp(13 + b.hourShift + 3 * rng.normal(), 5, 23.9);
  } else {
    // Morning and afternoon peaks, a little evening catch-up, around the user's own schedule.
    const r = rng.next();
    hour = r < 0.45 ? 10 + 1.4 * rng.normal() : r < 0.85 ? 14.5 + 1.6 * rng.normal() : 19.5 + 1.5 * rng.normal();
    hour = clamp(hour + b.hourShift, 5, 23.9);
  }
  return Math.floor(hour * 3600);
}

/**
 * Emit one active day's events as (UTC epoch second, event type index), in time order. Sessions
 * are bursts seconds to minutes apart, separated by at least 40 minutes.
 */
export function emitDay(b: Behaviour, window: Window, day: number, emit: (sec: number, event: number) => void): void {
  const n = b.counts[day];
  if (n === 0) return;
  const { rng, user } = b;
  const p = user.persona;
  const sessions = Math.min(n, 1 + poisson(p.extraSessions, rng));
  const sizes = new Array<number>(sessions).fill(1);
  for (let k = sessions; k < n; k++) sizes[rng.int(sessions)]++;
  // Local midnight of this window day, in UTC seconds.
  const midnight = window.startSec + day * DAY - Math.round(user.offsetHours * 3600);
  // West of UTC, an evening session on the window's last day would fall after its end; move it
  // earlier that day, so a user's planned last active day always shows up in the data.
  const latest = window.endSec - 3600 - midnight;
  const starts = sizes
    .map(() => {
      const start = sessionStart(b, window.weekend[day], rng);
      return start > latest ? Math.max(0, latest - rng.int(4 * 3600)) : start;
    })
    .sort((a, c) => a - c);

  let t = -Infinity;
  for (let s = 0; s < sessions; s++) {
    t = Math.max(starts[s], t + SESSION_SPACING + rng.int(3600));
    for (let j = 0; j < sizes[s]; j++) {
      if (j > 0) t += clamp(Math.round(-p.gapSeconds * Math.log(1 - rng.next())), 1, MAX_GAP);
      let event: number;
      if (j === 0 && rng.next() < p.loginProbability) event = LOGIN;
      else event = drawCumulative(b.mix, rng);
      emit(midnight + t, event);
    }
  }
}

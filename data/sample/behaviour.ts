/**
 * How one user behaves over the window: which days they are active and how much (planned up
 * front, so minimum volumes can be guaranteed), and the sessions and events of one active day
 * (drawn on demand, so the event stream never has to sit in memory).
 */
import type { Rng } from '../../src/core/rng.js';
import { DAY, weekday, type Window } from './calendar.js';
import { EVENT_INDEX, EVENT_TYPES, type Persona } from './personas.js';
import type { User } from './users.js';
import { clamp, cumulative, drawCumulative, lognormal, poisson } from './random.js';

export interface Behaviour {
  readonly user: User;
  /** Events per window day (0 = inactive). */
  readonly counts: Uint16Array;
  /** Cumulative weights of this user's event mix (the persona's, jittered per user). */
  readonly mix: Float64Array;
  /** Draws for the day-level detail; separate from planning so each stays replayable. */
  readonly rng: Rng;
}

/** Fewest events an active persona's user has in the window, so event shares are not degenerate. */
const MIN_EVENTS_ACTIVE = 12;
/** Lapsed users may have fewer; they still have enough for a mix. */
const MIN_EVENTS_LAPSED = 6;
/** Sessions are at least this far apart, comfortably over the pipeline's 30-minute gap. */
const SESSION_SPACING = 40 * 60;
/** Within a session no gap reaches the 30-minute session cut. */
const MAX_GAP = 18 * 60;

const LOGIN = EVENT_INDEX.login;
const ONBOARDING = EVENT_INDEX.onboarding_step_completed;

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
  const slope = p.lifecycle === 'lapsed' ? -Math.abs(0.4 * planRng.normal()) : 0.4 * planRng.normal();
  const span = Math.max(1, user.lastDay - user.firstDay);

  for (let d = user.firstDay; d <= user.lastDay; d++) {
    const dow = weekday(window, d);
    const weekend = dow === 0 || dow === 6 ? p.weekendFactor : 1;
    const since = d - user.firstDay;
    const trend = Math.exp(slope * (since / span - 0.5));
    // Trialists are keenest right after signing up.
    const keen = p.lifecycle === 'trial' ? 0.5 + 1.2 * Math.exp(-since / 6) : 1;
    const forced = d === user.lastDay || (d === user.firstDay && user.startsOnFirstDay);
    if (!forced && planRng.next() >= activity * weekend * trend * keen) continue;
    let n = Math.max(1, Math.round(lognormal(volume * Math.sqrt(trend) * keen, 0.4, planRng)));
    // A trialist's first day is the onboarding burst.
    if (p.lifecycle === 'trial' && since === 0) n = Math.max(n, 6 + planRng.int(7));
    counts[d] = Math.min(n, 65_535);
  }

  const min = p.lifecycle === 'lapsed' ? MIN_EVENTS_LAPSED : MIN_EVENTS_ACTIVE;
  let total = counts.reduce((s, c) => s + c, 0);
  const activeDays: number[] = [];
  counts.forEach((c, d) => c > 0 && activeDays.push(d));
  while (total < min) {
    counts[activeDays[planRng.int(activeDays.length)]]++;
    total++;
  }
  return { user, counts, mix: userMix(p, planRng), rng: detailRng };
}

/** Local second-of-day a session starts at. */
function sessionStart(persona: Persona, isWeekend: boolean, rng: Rng): number {
  let hour: number;
  if (persona.clock === 'around_the_clock' && rng.next() < 0.75) {
    hour = rng.next() * 24;
  } else if (isWeekend) {
    hour = clamp(13 + 3 * rng.normal(), 7, 23.5);
  } else {
    // Morning and afternoon peaks, a little evening catch-up.
    const r = rng.next();
    hour = r < 0.45 ? 10 + 1.4 * rng.normal() : r < 0.85 ? 14.5 + 1.6 * rng.normal() : 19.5 + 1.5 * rng.normal();
    hour = clamp(hour, 6, 23.5);
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
  const dow = weekday(window, day);
  const isWeekend = dow === 0 || dow === 6;
  const starts = sizes.map(() => sessionStart(p, isWeekend, rng)).sort((a, c) => a - c);
  // Local midnight of this window day, in UTC seconds.
  const midnight = window.startSec + day * DAY - Math.round(user.offsetHours * 3600);
  const onboarding = p.lifecycle === 'trial' ? 0.2 * Math.exp(-(day - user.firstDay) / 4) : 0;

  let t = -Infinity;
  for (let s = 0; s < sessions; s++) {
    t = Math.max(starts[s], t + SESSION_SPACING + rng.int(3600));
    for (let j = 0; j < sizes[s]; j++) {
      if (j > 0) t += clamp(Math.round(-p.gapSeconds * Math.log(1 - rng.next())), 1, MAX_GAP);
      let event: number;
      if (j === 0 && rng.next() < p.loginProbability) event = LOGIN;
      else if (onboarding > 0 && rng.next() < onboarding) event = ONBOARDING;
      else event = drawCumulative(b.mix, rng);
      emit(midnight + t, event);
    }
  }
}

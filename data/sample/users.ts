/**
 * Synthetic users (users.csv, ground-truth.csv): each gets a persona, an account, where they sit,
 * a role and when they are around in the window. Attributes lean towards a persona (admins are
 * more often role=admin, integrators engineers, trialists on trial accounts) but never decide it.
 */
import { permutation, type Rng } from '../../src/core/rng.js';
import type { Account } from './accounts.js';
import { DAY, isoDate, type Window } from './calendar.js';
import { COUNTRIES } from './geography.js';
import { PERSONAS, type Persona } from './personas.js';
import { between, cumulative, drawCumulative, weightedKey } from './random.js';

export interface User {
  readonly index: number;
  readonly id: string;
  readonly persona: Persona;
  readonly account: Account;
  /** Country code, '' when the CRM never recorded it. */
  readonly country: string;
  readonly offsetHours: number;
  readonly language: string;
  readonly role: string;
  readonly signupDate: string;
  readonly optIn: string;
  /** First window day the user may be active (local calendar). */
  readonly firstDay: number;
  /** Last window day the user is active (always active on it). */
  readonly lastDay: number;
  /** Whether the user is active on firstDay for sure (new users show up the day they sign up). */
  readonly startsOnFirstDay: boolean;
}

/** Persona counts proportional to the shares; leftovers go to the largest remainders (ties: list order). */
function personaCounts(n: number): number[] {
  const raw = PERSONAS.map((p) => p.share * n);
  const counts = raw.map(Math.floor);
  const order = raw.map((r, i) => ({ i, frac: r - Math.floor(r) })).sort((a, b) => b.frac - a.frac || a.i - b.i);
  let left = n - counts.reduce((s, c) => s + c, 0);
  for (let k = 0; left > 0; k = (k + 1) % order.length, left--) counts[order[k].i]++;
  return counts;
}

interface AccountPool {
  readonly accounts: readonly Account[];
  readonly cum: Float64Array;
}

function pool(accounts: readonly Account[], weight: (a: Account) => number): AccountPool {
  const list = accounts.filter((a) => weight(a) > 0);
  // Tiny generated books may have no fitting account at all; then any account will do.
  if (list.length === 0) return { accounts, cum: cumulative(accounts.map((a) => a.seatWeight)) };
  return { accounts: list, cum: cumulative(list.map(weight)) };
}

function draw(p: AccountPool, rng: Rng): Account {
  return p.accounts[drawCumulative(p.cum, rng)];
}

/**
 * Which accounts a persona can belong to. Trialists partly fill new trial accounts; lapsed users
 * must predate the window, and lean towards at-risk accounts; nobody else joins a trial account.
 */
function accountPools(accounts: readonly Account[]) {
  const established = (a: Account) => a.lifecycle !== 'trial' && a.createdDay < 0;
  return {
    trial: pool(accounts, (a) => (a.lifecycle === 'trial' ? a.seatWeight : 0)),
    established: pool(accounts, (a) => (established(a) ? a.seatWeight : 0)),
    atRisk: pool(accounts, (a) => (established(a) ? a.seatWeight * (a.lifecycle === 'at_risk' ? 3 : 1) : 0)),
    nonTrial: pool(accounts, (a) => (a.lifecycle !== 'trial' ? a.seatWeight : 0)),
  };
}

function chooseAccount(persona: Persona, pools: ReturnType<typeof accountPools>, rng: Rng): Account {
  switch (persona.lifecycle) {
    case 'trial':
      return pools.trial.accounts.length > 0 && rng.next() < 0.6 ? draw(pools.trial, rng) : draw(pools.established, rng);
    case 'lapsed':
      return draw(pools.atRisk, rng);
    case 'active':
      return draw(pools.nonTrial, rng);
  }
}

/**
 * `n` users with ids u00001…, persona shares as in PERSONAS (exact counts), every account given
 * at least one user when there are enough users of a fitting persona.
 */
export function makeUsers(n: number, accounts: readonly Account[], window: Window, rng: Rng): User[] {
  const width = Math.max(5, String(n).length);
  const counts = personaCounts(n);
  const personaOf: Persona[] = [];
  PERSONAS.forEach((p, i) => {
    for (let k = 0; k < counts[i]; k++) personaOf.push(p);
  });
  const order = permutation(n, rng);
  const personas = Array.from({ length: n }, (_, i) => personaOf[order[i]]);

  // Seed every account with one user so none is empty, then fill by seat weight.
  const assigned: (Account | undefined)[] = new Array(n);
  const trialists = [...order].filter((i) => personas[i].lifecycle === 'trial');
  const actives = [...order].filter((i) => personas[i].lifecycle === 'active');
  for (const a of accounts) {
    const from = a.lifecycle === 'trial' ? trialists : actives;
    const u = from.pop();
    if (u !== undefined) assigned[u] = a;
  }
  const pools = accountPools(accounts);
  const countryCum = cumulative(COUNTRIES.map((c) => c.accountWeight));
  const days = window.days;

  const users: User[] = [];
  for (let i = 0; i < n; i++) {
    const persona = personas[i];
    const account = assigned[i] ?? chooseAccount(persona, pools, rng);
    // Most people sit where their company does; some are remote.
    const home = rng.next() < 0.9 ? account.country : COUNTRIES[drawCumulative(countryCum, rng)];
    const offsetHours = home.offsets[rng.int(home.offsets.length)];

    let firstDay = 0;
    let lastDay = days - 1 - between(0, persona.recentDays, rng);
    let startsOnFirstDay = false;
    if (persona.lifecycle === 'trial') {
      firstDay = Math.max(between(days - Math.round(days * 0.22), days - 2, rng), account.createdDay);
      lastDay = Math.max(lastDay, firstDay);
      startsOnFirstDay = true;
    } else if (persona.lifecycle === 'lapsed') {
      lastDay = days - 1 - between(Math.round(days * 0.39), Math.round(days * 0.89), rng);
    } else if (account.createdDay >= 0 || rng.next() < 0.15) {
      // Joined during the window, but long enough ago not to look like a trialist.
      firstDay = Math.min(lastDay, Math.max(between(1, Math.round(days * 0.45), rng), account.createdDay + between(0, 5, rng)));
      startsOnFirstDay = true;
    }

    // The sign-up date is the local calendar day of the first visit (as UTC date of local midnight).
    const signupDay = startsOnFirstDay ? firstDay : -between(1, Math.max(1, Math.min(3 * 365, -account.createdDay)), rng);
    const signupDate = isoDate(window.startSec + signupDay * DAY - Math.round(offsetHours * 3600));

    users.push({
      index: i,
      id: 'u' + String(i + 1).padStart(width, '0'),
      persona,
      account,
      country: rng.next() < 0.01 ? '' : home.code,
      offsetHours,
      language: rng.next() < 0.02 ? '' : weightedKey(home.languages, rng),
      role: rng.next() < 0.03 ? '' : weightedKey(persona.roles, rng),
      signupDate,
      optIn: rng.next() < 0.03 ? '' : rng.next() < persona.optIn ? 'true' : 'false',
      firstDay,
      lastDay,
      startsOnFirstDay,
    });
  }
  return users;
}

export const USER_COLUMNS = ['user_id', 'account_id', 'role', 'country', 'language', 'signup_date', 'email_opt_in'] as const;

export function userRow(u: User): string[] {
  return [u.id, u.account.id, u.role, u.country, u.language, u.signupDate, u.optIn];
}

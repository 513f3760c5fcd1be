/**
 * Synthetic customer accounts (accounts.csv): firmographics, plan, CRM / marketing tools, ARR.
 * Plan follows company size loosely, ARR follows plan and size with a heavy tail, and tools
 * follow plan, as they do in real B2B books of business.
 */
import type { Rng } from '../../src/core/rng.js';
import { DAY, isoDate, type Window } from './calendar.js';
import { COUNTRIES, type Country } from './geography.js';
import { between, clamp, lognormal, weightedIndex, weightedKey } from './random.js';

export type Plan = 'free' | 'starter' | 'pro' | 'enterprise';
export type Lifecycle = 'trial' | 'onboarding' | 'active' | 'expansion' | 'renewal' | 'at_risk';

export interface Account {
  readonly id: string;
  readonly name: string;
  readonly industry: string;
  readonly employees: number;
  readonly plan: Plan;
  readonly crm: string;
  readonly marketingAutomation: string;
  readonly arr: number;
  readonly lifecycle: Lifecycle;
  /** Window-relative day the account was created (negative: before the window). */
  readonly createdDay: number;
  readonly createdDate: string;
  readonly country: Country;
  /** Relative pull on users: bigger companies on bigger plans have more seats. */
  readonly seatWeight: number;
}

const INDUSTRIES: Readonly<Record<string, number>> = {
  software: 22,
  fintech: 10,
  healthcare: 9,
  retail: 9,
  manufacturing: 8,
  education: 6,
  media: 6,
  logistics: 6,
  'professional services': 8,
  insurance: 5,
  energy: 4,
  nonprofit: 3,
  telecom: 4,
};

const NAME_HEADS = [
  'Acme', 'Northwind', 'Bluefin', 'Cobalt', 'Summit', 'Harbor', 'Redwood', 'Lumen', 'Vertex', 'Pioneer',
  'Quartz', 'Atlas', 'Beacon', 'Cedar', 'Delta', 'Ember', 'Falcon', 'Granite', 'Helix', 'Iris',
  'Juniper', 'Kestrel', 'Lattice', 'Meridian', 'Nimbus', 'Orchid', 'Polaris', 'Quill', 'Riverstone', 'Sable',
  'Tidal', 'Umber', 'Vantage', 'Willow', 'Yarrow', 'Zephyr', "O'Malley", 'Brightline', 'Copperleaf', 'Foxglove',
];
const NAME_TAILS = [
  'Analytics', 'Logistics', 'Health', 'Foods', 'Labs', 'Systems', 'Capital', 'Retail', 'Media', 'Energy',
  'Robotics', 'Learning', 'Bank', 'Insurance', 'Studios', 'Networks', 'Partners', 'Works', 'Freight', 'Clinics',
];
// Commas, ampersands and apostrophes are on purpose: the pipeline must quote and escape them.
const NAME_SUFFIXES = ['', '', '', ' Inc.', ', Inc.', ' LLC', ' Ltd', ' GmbH', ' & Co.', ' Group', ' S.A.', ' BV'];

const LIFECYCLES: Readonly<Record<Lifecycle, number>> = {
  trial: 12,
  onboarding: 8,
  active: 50,
  expansion: 12,
  renewal: 8,
  at_risk: 10,
};

function pickPlan(employees: number, lifecycle: Lifecycle, rng: Rng): Plan {
  if (lifecycle === 'trial') return (['free', 'starter', 'pro'] as const)[weightedIndex([5, 3, 2], rng)];
  const score = Math.log(employees) + rng.normal() * 0.9;
  if (score < 3.0) return 'free';
  if (score < 4.6) return 'starter';
  if (score < 6.4) return 'pro';
  return 'enterprise';
}

/**
 * Annual recurring revenue in dollars, rounded to 100: a platform fee plus seats, where seats grow
 * sub-linearly with headcount (not everyone at a large company uses the BI tool). Trials pay nothing.
 */
function pickArr(plan: Plan, employees: number, lifecycle: Lifecycle, rng: Rng): number {
  if (plan === 'free' || lifecycle === 'trial') return 0;
  const seats = Math.max(3, Math.round(0.2 * Math.pow(employees, 0.8) * lognormal(1, 0.6, rng)));
  const price = { starter: { base: 600, seat: 300 }, pro: { base: 6000, seat: 600 }, enterprise: { base: 40000, seat: 900 } }[plan];
  const raw = price.base * lognormal(1, 0.15, rng) + seats * price.seat * lognormal(1, 0.3, rng);
  return Math.round(raw / 100) * 100;
}

function pickCrm(plan: Plan, rng: Rng): string {
  const table: Readonly<Record<Plan, Record<string, number>>> = {
    free: { hubspot: 20, pipedrive: 15, salesforce: 3, none: 55, '': 7 },
    starter: { hubspot: 35, pipedrive: 20, salesforce: 12, none: 28, '': 5 },
    pro: { hubspot: 35, pipedrive: 10, salesforce: 40, none: 11, '': 4 },
    enterprise: { salesforce: 75, hubspot: 15, pipedrive: 1, none: 5, '': 4 },
  };
  return weightedKey(table[plan], rng);
}

function pickMarketing(crm: string, plan: Plan, rng: Rng): string {
  if (crm === 'hubspot') return weightedKey({ hubspot: 65, marketo: 5, pardot: 2, none: 24, '': 4 }, rng);
  if (crm === 'salesforce') return weightedKey({ pardot: 35, marketo: 35, hubspot: 8, none: 18, '': 4 }, rng);
  const big = plan === 'pro' || plan === 'enterprise';
  return weightedKey({ marketo: big ? 15 : 3, hubspot: 10, pardot: big ? 8 : 2, none: 70, '': 5 }, rng);
}

function companyName(taken: Set<string>, rng: Rng): string {
  for (let attempt = 0; attempt < 20; attempt++) {
    const name =
      NAME_HEADS[rng.int(NAME_HEADS.length)] + ' ' + NAME_TAILS[rng.int(NAME_TAILS.length)] +
      NAME_SUFFIXES[rng.int(NAME_SUFFIXES.length)];
    if (!taken.has(name)) return name;
  }
  // Big generated books (benchmarks) run out of combinations; a numbered name stays unique.
  const base = NAME_HEADS[rng.int(NAME_HEADS.length)] + ' ' + NAME_TAILS[rng.int(NAME_TAILS.length)];
  let n = 2;
  while (taken.has(`${base} ${n}`)) n++;
  return `${base} ${n}`;
}

/**
 * `count` accounts with ids a0001…; trial accounts were created in the last ~25 days of the
 * window, onboarding ones in its first half, everyone else before it.
 */
export function makeAccounts(count: number, window: Window, rng: Rng): Account[] {
  const width = Math.max(4, String(count).length);
  const taken = new Set<string>();
  const countryWeights = COUNTRIES.map((c) => c.accountWeight);
  const out: Account[] = [];
  for (let i = 0; i < count; i++) {
    const lifecycle = weightedKey(LIFECYCLES, rng) as Lifecycle;
    const employees = Math.round(clamp(lognormal(110, 1.5, rng), 2, 60000));
    const plan = pickPlan(employees, lifecycle, rng);
    const crm = pickCrm(plan, rng);
    const days = window.days;
    const createdDay =
      lifecycle === 'trial'
        ? between(days - Math.round(days * 0.28), days - 3, rng)
        : lifecycle === 'onboarding'
          ? between(-60, Math.round(days * 0.4), rng)
          : -between(90, 365 * 8, rng);
    const name = companyName(taken, rng);
    taken.add(name);
    const planSeats = { free: 0.6, starter: 1, pro: 1.6, enterprise: 2.4 }[plan];
    out.push({
      id: 'a' + String(i + 1).padStart(width, '0'),
      name,
      industry: weightedKey(INDUSTRIES, rng),
      employees,
      plan,
      crm,
      marketingAutomation: pickMarketing(crm, plan, rng),
      arr: pickArr(plan, employees, lifecycle, rng),
      lifecycle,
      createdDay,
      createdDate: isoDate(window.startSec + createdDay * DAY),
      country: COUNTRIES[weightedIndex(countryWeights, rng)],
      seatWeight: planSeats * Math.pow(employees, 0.45),
    });
  }
  return out;
}

export const ACCOUNT_COLUMNS = [
  'account_id', 'name', 'industry', 'employees', 'plan', 'crm', 'marketing_automation', 'arr', 'lifecycle_stage', 'created_date',
] as const;

export function accountRow(a: Account): (string | number)[] {
  return [a.id, a.name, a.industry, a.employees, a.plan, a.crm, a.marketingAutomation, a.arr, a.lifecycle, a.createdDate];
}

/**
 * Deciding, from sniffed inputs, what each one is and how the config should read it: events
 * (a vendor export, or rows with a user id and a timestamp), a users table (one row per user
 * id) or an accounts table (one row per account id, joined through a column the users table
 * shares). Pure: every number comes from the sniffed profiles.
 */
import type { ColumnHints } from './sniff.js';
import type { ValueFeature } from '../config/types.js';
import { errors } from '../core/messages.js';
import { ACCOUNT_ID_NAMES, EVENT_ID_NAMES, USER_ID_NAMES, findColumn } from '../stages/ingest/columns.js';
import type { PresetName } from '../stages/ingest/presets/index.js';
import type { ColumnProfile, EventProfile, SniffedInput } from './sniff.js';

/** Names that say without doubt that a column is the event name (`type`/`name`/`action` do not). */
const STRONG_EVENT_NAMES = ['event', 'event_type', 'event_name', 'eventName'];
/** A key whose values are this distinct (share of present values) identifies rows: a table keyed by it. */
const KEYED = 0.95;
/** Rejects expected above this share of rows ⇒ raise max_reject_rate (its default is 1%). */
const REJECT_HEADROOM = 0.005;
/** The default window; longer data gets a window covering all of it. */
const DEFAULT_DAYS = 90;

export interface PlannedEvents {
  readonly inputs: readonly SniffedInput[];
  readonly preset: PresetName | null;
  /** The columns to write (null for a preset, which maps them itself). Null entries = `auto`. */
  readonly columns: {
    readonly userId: string | null;
    readonly event: string | null;
    readonly timestamp: string | null;
    readonly eventId: string | null;
  } | null;
  /** Constant event name when no column names the event. */
  readonly eventName: string | null;
  /** Columns that made `eventName` "purchase" (order-log columns), for the comment. */
  readonly orderColumns: readonly string[];
  /** A numeric quantity column with negative values: rows undoing a purchase. */
  readonly negativeCase: { readonly column: string; readonly rows: number; readonly event: string } | null;
  readonly values: readonly ValueFeature[];
  /** Earliest / latest event in the samples, and the window days that cover them. */
  readonly span: { readonly first: string; readonly last: string; readonly days: number } | null;
  readonly windowDays: number;
  /** Columns of plain event files that no setting uses. */
  readonly unused: readonly string[];
}

export interface PlannedTable {
  readonly inputs: readonly SniffedInput[];
  readonly key: string;
  /** Users only: the column joining to accounts. */
  readonly accountKey: string | null;
  /** Rows of the samples with no key (rejected by ingest). */
  readonly missingKeys: number;
  readonly rows: number;
}

export interface RejectEstimate {
  readonly role: 'events' | 'users' | 'accounts';
  readonly rows: number;
  readonly rejected: number;
  /** What the rejected rows lack, e.g. `no user id (column CustomerID)`. */
  readonly reasons: readonly string[];
}

export interface InitPlan {
  readonly name: string;
  readonly events: PlannedEvents | null;
  readonly users: PlannedTable | null;
  readonly accounts: PlannedTable | null;
  /** The worst expected reject share, per role. */
  readonly rejects: readonly RejectEstimate[];
  /** null = the default (1%) is enough. */
  readonly maxRejectRate: number | null;
}

type Role = 'events' | 'users' | 'accounts' | 'id-keyed';

/**
 * Classify the inputs and decide every setting init writes.
 *
 * @example
 * const plan = planConfig([await sniffInput(db, 'orders.csv', 0)], 'orders');
 * plan.events?.eventName; // 'purchase'
 */
export function planConfig(inputs: readonly SniffedInput[], name: string, hints: ColumnHints = {}): InitPlan {
  const roles = inputs.map((input) => classify(input, hints));
  // A table keyed by a bare `id` is the users table when there is no other, else accounts.
  const hasUsers = roles.includes('users');
  const role = (i: number): Exclude<Role, 'id-keyed'> => (roles[i] === 'id-keyed' ? (hasUsers ? 'accounts' : 'users') : (roles[i] as Exclude<Role, 'id-keyed'>));
  const of = (r: Exclude<Role, 'id-keyed'>) => inputs.filter((_, i) => role(i) === r);

  const events = of('events').length > 0 ? planEvents(of('events')) : null;
  const accounts = of('accounts').length > 0 ? planTable(of('accounts'), 'accounts', null) : null;
  const users = of('users').length > 0 ? planTable(of('users'), 'users', accounts, hints.userId) : null;
  if (accounts && !users) {
    throw errors.initUnrecognised(accounts.inputs[0].path, 'it looks like an accounts table, but no users table links users to accounts (give init the users table too)');
  }

  const rejects: RejectEstimate[] = [];
  if (events) rejects.push(events.preset === null ? eventRejects(events) : vendorRejects(events));
  for (const [r, t] of [['users', users], ['accounts', accounts]] as const) {
    if (t && t.missingKeys > 0) {
      rejects.push({ role: r, rows: t.rows, rejected: t.missingKeys, reasons: [`no ${r === 'users' ? 'user' : 'account'} id (column ${t.key})`] });
    }
  }
  const worst = Math.max(0, ...rejects.map((r) => r.rejected / Math.max(r.rows, 1)));
  return { name, events, users, accounts, rejects, maxRejectRate: worst > REJECT_HEADROOM ? rejectLimit(worst) : null };
}

/** A limit with room above the measured share, in 5% steps, so a slightly worse export still runs. */
export function rejectLimit(share: number): number {
  return Math.min(1, Math.max(0.05, Math.ceil(share * 1.15 * 20) / 20));
}

function classify(input: SniffedInput, hints: ColumnHints): Role {
  if (input.preset !== null) return 'events';
  if (input.rows === 0) throw errors.initUnrecognised(input.path, 'it has no data rows');
  const names = input.columns.map((c) => c.name);
  const col = (n: string | null) => input.columns.find((c) => c.name === n) ?? null;
  const uid = col(hints.userId !== undefined && names.includes(hints.userId) ? hints.userId : findColumn(names, USER_ID_NAMES));
  const ev = input.events;
  if (uid !== null) {
    const strong = ev?.event !== null && ev?.event !== undefined && STRONG_EVENT_NAMES.some((s) => s.toLowerCase() === ev.event!.toLowerCase());
    if (ev !== null && (!keyed(uid) || strong)) return 'events';
    if (keyed(uid) || uid.distinct >= 0.5 * uid.present) return 'users';
    throw errors.initUnrecognised(input.path, `user ids repeat (column ${uid.name}) like an event log, but no column holds a timestamp`);
  }
  const account = col(findColumn(names, ACCOUNT_ID_NAMES));
  if (account !== null && keyed(account)) return 'accounts';
  const id = col(findColumn(names, ['id']));
  if (id !== null && keyed(id)) return 'id-keyed';
  throw errors.initUnrecognised(input.path, `no user id column (looked for ${USER_ID_NAMES.join(', ')}; found ${names.slice(0, 12).join(', ')})`);
}

function keyed(c: ColumnProfile): boolean {
  return c.present > 0 && c.distinct >= KEYED * c.present;
}

function planEvents(inputs: readonly SniffedInput[]): PlannedEvents {
  const presets = [...new Set(inputs.map((i) => i.preset))];
  if (presets.length > 1) {
    const odd = inputs.find((i) => i.preset !== inputs[0].preset)!;
    throw errors.initUnrecognised(odd.path, `its rows are ${odd.preset ?? 'plain columns'}, but ${inputs[0].path} is ${inputs[0].preset ?? 'plain columns'}: one config reads one export shape (write one config per export)`);
  }
  const preset = presets[0];
  if (preset !== null) {
    const vendors = inputs.map((i) => i.vendor!);
    const { span, windowDays } = spanOf(vendors.map((v) => v.first), vendors.map((v) => v.last));
    return { inputs, preset, columns: null, eventName: null, orderColumns: [], negativeCase: null, values: [], span, windowDays, unused: [] };
  }

  const profiles = inputs.map((i) => i.events!);
  // Name a column only when every input agrees; otherwise `auto` finds it per file.
  const agreed = <K extends 'userId' | 'event' | 'timestamp'>(k: K): EventProfile[K] | 'auto' =>
    profiles.every((p) => p[k] === profiles[0][k]) ? profiles[0][k] : 'auto';
  const userId = agreed('userId');
  const timestamp = agreed('timestamp');
  const event = agreed('event');
  const used = new Set(profiles.flatMap((p) => [p.userId, p.timestamp, p.event].filter((x): x is string => x !== null)));
  const columns = inputs[0].columns;
  const rest = columns.map((c) => c.name).filter((n) => !used.has(n));
  const eventId = findColumn(rest, EVENT_ID_NAMES);

  const orderColumns = rest.filter((n) => ORDER_WORDS.test(n));
  const eventName = profiles.some((p) => p.event === null) ? (orderColumns.length > 0 ? 'purchase' : eventNameFromFile(inputs[0].path)) : null;
  const numeric = (n: string) => {
    const c = columns.find((x) => x.name === n);
    return c !== undefined && c.present > 0 && c.numeric === c.present;
  };
  const quantity = rest.find((n) => QUANTITY.test(n) && numeric(n)) ?? null;
  const price = rest.find((n) => PRICE.test(n) && numeric(n)) ?? null;
  const amount = rest.find((n) => AMOUNT.test(n) && numeric(n)) ?? null;
  const values: ValueFeature[] = [];
  if (quantity && price) values.push({ name: 'revenue', columns: [quantity, price], aggregates: ['sum', 'mean'] });
  else if (amount) values.push({ name: snakeName(amount), columns: [amount], aggregates: ['sum', 'mean'] });
  else if (price) values.push({ name: snakeName(price), columns: [price], aggregates: ['sum', 'mean'] });

  const qty = quantity ? columns.find((c) => c.name === quantity)! : null;
  const negativeCase = eventName === 'purchase' && qty && qty.negative > 0 ? { column: qty.name, rows: qty.negative, event: 'cancellation' } : null;

  const { span, windowDays } = spanOf(profiles.map((p) => p.first), profiles.map((p) => p.last));
  const usedNames = new Set([...used, ...(eventId ? [eventId] : []), ...values.flatMap((v) => v.columns), ...(negativeCase ? [negativeCase.column] : [])]);
  return {
    inputs,
    preset: null,
    columns: {
      userId: userId === 'auto' ? null : userId,
      event: event === 'auto' ? null : event,
      timestamp: timestamp === 'auto' ? null : timestamp,
      eventId,
    },
    eventName,
    orderColumns,
    negativeCase,
    values,
    span,
    windowDays,
    unused: columns.map((c) => c.name).filter((n) => !usedNames.has(n)),
  };
}

/** The span of the events seen, and the window days that cover it (at least the default). */
function spanOf(firsts: readonly (string | null)[], lasts: readonly (string | null)[]): Pick<PlannedEvents, 'span' | 'windowDays'> {
  const f = firsts.filter((x): x is string => x !== null).sort();
  const l = lasts.filter((x): x is string => x !== null).sort();
  if (f.length === 0 || l.length === 0) return { span: null, windowDays: DEFAULT_DAYS };
  const first = f[0];
  const last = l[l.length - 1];
  const days = (Date.parse(last) - Date.parse(first)) / 86_400_000;
  // The window ends at the latest event; one extra day keeps the earliest one inside it.
  return { span: { first, last, days }, windowDays: days > DEFAULT_DAYS ? Math.min(3650, Math.ceil(days) + 1) : DEFAULT_DAYS };
}

const ORDER_WORDS = /invoice|order|quantity|qty|price|amount|revenue|sku|stock_?code|product/i;
const QUANTITY = /^(quantity|qty|units|unit_?count|items)$/i;
const PRICE = /^(unit_?price|price|unit_?cost|item_?price)$/i;
const AMOUNT = /^(revenue|amount|value|total|order_?total|order_?value|sales|spend|gmv)$/i;

/** `UnitPrice` → `unit_price`, `Order Total` → `order_total`: a valid value-feature name. */
export function snakeName(column: string): string {
  const s = column
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return /^[a-z]/.test(s) ? s : `value_${s || 'amount'}`;
}

/** An event name from a file name with no event column: `logins.csv` → `login`; else `event`. */
export function eventNameFromFile(file: string): string {
  const base = file.replace(/^.*[\\/]/, '').replace(/(\.(gz|gzip|zst))?$/i, '').replace(/\.[^.]+$/, '');
  const word = snakeName(base);
  if (!/^[a-z][a-z_]{2,29}$/.test(word) || /^(events?|data|export|log|logs|sample|input|file)$/.test(word)) return 'event';
  return word.endsWith('s') && !word.endsWith('ss') ? word.slice(0, -1) : word;
}

function vendorRejects(events: PlannedEvents): RejectEstimate {
  const rows = events.inputs.reduce((s, i) => s + i.vendor!.rows, 0);
  const rejected = events.inputs.reduce((s, i) => s + i.vendor!.problems, 0);
  return { role: 'events', rows, rejected, reasons: rejected > 0 ? ['no user id, event name or readable timestamp where the preset looks for them'] : [] };
}

function eventRejects(events: PlannedEvents): RejectEstimate {
  let rows = 0;
  let user = 0;
  let event = 0;
  let ts = 0;
  for (const input of events.inputs) {
    const p = input.events!;
    rows += input.rows;
    user += p.missingUser;
    event += p.missingEvent;
    ts += p.badTimestamp;
  }
  const c = events.columns!;
  const reasons = [
    ...(user > 0 ? [`no user id (column ${c.userId ?? 'auto'})`] : []),
    ...(event > 0 ? [`no event name (column ${c.event ?? 'auto'})`] : []),
    ...(ts > 0 ? [`no readable timestamp (column ${c.timestamp ?? 'auto'})`] : []),
  ];
  return { role: 'events', rows, rejected: user + event + ts, reasons };
}

function planTable(inputs: readonly SniffedInput[], role: 'users' | 'accounts', accounts: PlannedTable | null, userIdHint?: string): PlannedTable {
  const candidates = role === 'users' ? [...(userIdHint !== undefined ? [userIdHint] : []), ...USER_ID_NAMES, 'id'] : [...ACCOUNT_ID_NAMES, 'id'];
  const keys = inputs.map((i) => findColumn(i.columns.map((c) => c.name), candidates));
  const key = keys[0]!;
  const odd = inputs.find((_, i) => keys[i] !== key);
  if (odd) throw errors.initUnrecognised(odd.path, `it looks like another ${role} table, keyed by ${keys[inputs.indexOf(odd)]} instead of ${key} (give init one ${role} table; several files of it are fine)`);
  let accountKey: string | null = null;
  if (role === 'users' && accounts) {
    const names = inputs[0].columns.map((c) => c.name).filter((n) => n !== key);
    accountKey = (accounts.key.toLowerCase() !== 'id' ? findColumn(names, [accounts.key]) : null) ?? findColumn(names, ACCOUNT_ID_NAMES);
    if (accountKey === null) {
      throw errors.initUnrecognised(accounts.inputs[0].path, `it looks like an accounts table keyed by ${accounts.key}, but the users table has no column to join it on`);
    }
  }
  const rows = inputs.reduce((s, i) => s + i.rows, 0);
  const missingKeys = inputs.reduce((s, i) => s + i.rows - (i.columns.find((c) => c.name === key)?.present ?? 0), 0);
  return { inputs, key, accountKey, missingKeys, rows };
}

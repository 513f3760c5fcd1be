/**
 * Event-mix features and event names in words. The event a count or share is about comes from
 * the feature's meaning (one event type, or the "other" bucket of types outside the run's top N).
 */
import type { Feature } from '../features/types.js';
import { clip, oneLine, plural, prose, singular } from './words.js';

export interface EventFeature {
  /** The original event name (one line). */
  readonly event: string;
  readonly measure: 'share' | 'count';
  /** The "other" bucket of event types outside the top N. */
  readonly bucket: boolean;
}

/** The event a count or share measures, or null for other kinds of feature. */
export function eventFeature(f: Feature): EventFeature | null {
  const m = f.meaning;
  if (m.kind !== 'eventCount' && m.kind !== 'eventShare') return null;
  const measure = m.kind === 'eventShare' ? 'share' : 'count';
  return m.events.type === 'event' ? { event: oneLine(m.events.event), measure, bucket: false } : { event: 'other', measure, bucket: true };
}

/** How an event reads in a name ("report viewers") and after "who" ("view reports"). */
export interface EventWords {
  readonly noun: string;
  /** null when the event name holds no verb we know. */
  readonly verbPhrase: string | null;
}

// Verb → agent noun. Only verbs listed here become "<object> <agent>s"; anything else falls
// back to "<event words> users", which is never wrong.
const AGENTS: Readonly<Record<string, string>> = {
  view: 'viewer', create: 'creator', build: 'builder', edit: 'editor', update: 'updater', delete: 'deleter',
  remove: 'remover', share: 'sharer', export: 'exporter', import: 'importer', upload: 'uploader',
  download: 'downloader', send: 'sender', invite: 'inviter', search: 'searcher', click: 'clicker',
  open: 'opener', purchase: 'purchaser', buy: 'buyer', pay: 'payer', subscribe: 'subscriber',
  upgrade: 'upgrader', downgrade: 'downgrader', cancel: 'canceller', comment: 'commenter',
  read: 'reader', write: 'writer', play: 'player', watch: 'watcher', save: 'saver', complete: 'completer',
  start: 'starter', submit: 'submitter', publish: 'publisher', schedule: 'scheduler', run: 'runner',
  request: 'requester', install: 'installer', configure: 'configurer', visit: 'visitor', like: 'liker',
  follow: 'follower', copy: 'copier', sync: 'syncer',
  generate: 'generator', join: 'joiner', rate: 'rater',
  review: 'reviewer', approve: 'approver', assign: 'assigner', close: 'closer', resolve: 'resolver',
  archive: 'archiver', track: 'tracker', call: 'caller', launch: 'launcher', explore: 'explorer',
  integrate: 'integrator', customize: 'customiser', customise: 'customiser',
  add: 'adder', deploy: 'deployer', change: 'changer',
  // Verbs whose doers are best called users of the object: "filter users", "template users".
  apply: 'user', use: 'user', perform: 'user', trigger: 'user', connect: 'user', enable: 'user',
  chat: 'chatter', answer: 'answerer', vote: 'voter', tag: 'tagger', pin: 'pinner',
  favorite: 'favouriter', favourite: 'favouriter', bookmark: 'bookmarker',
  give: 'giver', select: 'selector',
};

const IRREGULAR: Readonly<Record<string, string>> = {
  sent: 'send', built: 'build', bought: 'buy', paid: 'pay', ran: 'run', wrote: 'write', written: 'write',
  read: 'read', began: 'start', begun: 'start', made: 'create', given: 'give', gave: 'give',
};

/** Whole event names with a fixed reading (after lower-casing and joining tokens with "_"). */
const SPECIAL: Readonly<Record<string, EventWords>> = {
  login: { noun: 'log-in-heavy users', verbPhrase: 'log in' },
  log_in: { noun: 'log-in-heavy users', verbPhrase: 'log in' },
  logged_in: { noun: 'log-in-heavy users', verbPhrase: 'log in' },
  sign_in: { noun: 'log-in-heavy users', verbPhrase: 'log in' },
  signed_in: { noun: 'log-in-heavy users', verbPhrase: 'log in' },
  signin: { noun: 'log-in-heavy users', verbPhrase: 'log in' },
  signup: { noun: 'sign-ups', verbPhrase: 'sign up' },
  sign_up: { noun: 'sign-ups', verbPhrase: 'sign up' },
  signed_up: { noun: 'sign-ups', verbPhrase: 'sign up' },
  api: { noun: 'API users', verbPhrase: 'call the API' },
  api_call: { noun: 'API users', verbPhrase: 'call the API' },
  api_called: { noun: 'API users', verbPhrase: 'call the API' },
  api_request: { noun: 'API users', verbPhrase: 'call the API' },
  pageview: { noun: 'page viewers', verbPhrase: 'view pages' },
  screenview: { noun: 'screen viewers', verbPhrase: 'view screens' },
  session_start: { noun: 'session starters', verbPhrase: 'start sessions' },
  comment_added: { noun: 'commenters', verbPhrase: 'add comments' },
  onboarding_step_completed: { noun: 'onboarding users', verbPhrase: 'go through onboarding' },
  onboarding_completed: { noun: 'onboarding users', verbPhrase: 'go through onboarding' },
  onboarding_step: { noun: 'onboarding users', verbPhrase: 'go through onboarding' },
  comment_posted: { noun: 'commenters', verbPhrase: 'post comments' },
  app_open: { noun: 'app openers', verbPhrase: 'open the app' },
  app_opened: { noun: 'app openers', verbPhrase: 'open the app' },
  // GA4's recommended event (outside check: "Multi-feature begin checkout users").
  begin_checkout: { noun: 'checkout starters', verbPhrase: 'start checkout' },
};

/** Words that start the place a verb acts on ("add_to_cart", "share_with_team"). */
const PREPOSITIONS = new Set(['to', 'into', 'in', 'on', 'onto', 'from', 'for', 'with', 'at', 'via']);
/** Things one adds to rather than adds ("wishlist_added" → "add to wishlist"). */
const CONTAINERS = new Set(['cart', 'basket', 'bag', 'wishlist', 'favorite', 'favourite', 'favorites', 'favourites', 'playlist', 'calendar', 'collection', 'library', 'watchlist', 'queue', 'list']);
/** Nouns with no plural ("help_viewed" → "view help", not "view helps"). */
const MASS_NOUNS = new Set(['help', 'data', 'content', 'feedback', 'info', 'information', 'documentation', 'docs', 'billing', 'media', 'music', 'software', 'support', 'advice', 'inventory', 'history', 'pricing', 'news', 'analytics', 'settings', 'onboarding', 'audio', 'mail', 'code', 'homework', 'research', 'traffic', 'storage', 'progress', 'training', 'equipment', 'merchandise', 'furniture']);

/** Tokens of an event name: camelCase, snake_case, kebab, dots, spaces, "$" prefixes. */
export function eventTokens(event: string): string[] {
  return event
    .replace(/(\p{Ll}|\d)(\p{Lu})/gu, '$1 $2')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((t) => t.length > 0);
}

/** A past-tense word we do not know as a verb ("failed", "succeeded"): what happened to the subject. */
function saysWhatHappened(token: string): boolean {
  return token.length >= 5 && token.endsWith('ed') && !token.endsWith('eed');
}

/** The base form of a verb token ("viewed", "viewing", "views" → "view"), or null. */
function verbBase(token: string): string | null {
  if (AGENTS[token] !== undefined) return token;
  if (IRREGULAR[token] !== undefined) return IRREGULAR[token];
  const tries: string[] = [];
  if (token.endsWith('ied')) tries.push(`${token.slice(0, -3)}y`);
  if (token.endsWith('ed')) tries.push(token.slice(0, -1), token.slice(0, -2), token.slice(0, -3));
  if (token.endsWith('ing')) tries.push(token.slice(0, -3), `${token.slice(0, -3)}e`, token.slice(0, -4));
  if (token.endsWith('s')) tries.push(token.slice(0, -1));
  return tries.find((t) => t.length > 1 && AGENTS[t] !== undefined) ?? null;
}

/**
 * An event name in words.
 *
 * @example
 * eventWords('report_viewed') // { noun: 'report viewers', verbPhrase: 'view reports' }
 * eventWords('api_call')      // { noun: 'API users', verbPhrase: 'call the API' }
 */
export function eventWords(event: string): EventWords {
  const tokens = eventTokens(event).slice(0, 6);
  if (tokens.length === 0) return { noun: `${clip(oneLine(event), 24)} users`, verbPhrase: null };
  const special = SPECIAL[tokens.join('_')];
  if (special !== undefined) return special;
  // The verb is usually last ("report_viewed") or first ("view_report").
  for (const at of tokens.length > 1 ? [tokens.length - 1, 0] : [0]) {
    const base = verbBase(tokens[at]);
    if (base === null) continue;
    const after = at === 0 ? tokens.slice(1) : tokens.slice(0, -1);
    // "build_failed" says a build failed: the first word is its subject, not a verb the user did
    // to something called "failed" (QA: "who often build faileds").
    if (at === 0 && after.length > 0 && saysWhatHappened(after[after.length - 1])) break;
    // "add_to_cart": the object is what follows the preposition, read as a place ("add to cart").
    const preposition = at === 0 && after.length > 1 && PREPOSITIONS.has(after[0]) ? after[0] : null;
    const object = (preposition === null ? after : after.slice(1)).slice(-3).map(prose);
    const agent = plural(AGENTS[base]);
    if (object.length === 0) return { noun: agent, verbPhrase: base };
    const last = object[object.length - 1];
    const objectSingular = [...object.slice(0, -1), singular(last)].join(' ');
    const noun = `${objectSingular} ${agent}`;
    // "wishlist_added" is adding to a wishlist, not adding wishlists.
    if (preposition !== null || (base === 'add' && CONTAINERS.has(singular(last)))) return { noun, verbPhrase: `${base} ${preposition ?? 'to'} ${objectSingular}` };
    const objectPlural = [...object.slice(0, -1), MASS_NOUNS.has(last) ? last : plural(last)].join(' ');
    return { noun, verbPhrase: `${base} ${objectPlural}` };
  }
  return { noun: `${tokens.slice(0, 3).map(prose).join(' ')} users`, verbPhrase: null };
}

/** Events nearly everyone does: they say little about what a segment is for. */
const GENERIC = new Set([
  'login', 'log_in', 'logged_in', 'sign_in', 'signed_in', 'signin', 'logout', 'log_out', 'logged_out',
  'session_start', 'session_started', 'app_open', 'app_opened', 'pageview', 'page_view', 'page_viewed',
  'screenview', 'screen_view', 'screen_viewed',
]);

/**
 * The event that best says what a segment does: the strongest over-indexed one, passing over
 * generic ones (log-ins, page views) when a more specific event is also over-indexed.
 */
export function leadEvent<E extends { readonly event: string }>(over: readonly E[]): E | null {
  return over.find((e) => !GENERIC.has(eventTokens(e.event).join('_'))) ?? over[0] ?? null;
}

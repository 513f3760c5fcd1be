/**
 * `far-and-near`: a team task-management tool. One *far* group (~9%) is a nightly sync bot with
 * its own nine-event vocabulary, its own schedule and a far larger, steadier volume; the other
 * five groups are ordinary people who use the same fifteen events and differ only in emphasis —
 * each has two or three signature events at four to five times the baseline share (27–33% each
 * against ≈ 6.7%), and a slightly different working rhythm. In the notebook's standardised
 * feature space the bot sits ≈ 2.4 times as far from every human group as the human groups sit
 * from each other (5–6 times in squared distance, which is what k-means weighs). Hard because
 * the far group dominates any variance-based view (it is where most of the spread is), so a
 * method that only finds "bot vs humans" — or that spends its clusters inside the bot — misses
 * the five near groups. Event-only world (no users table). Calibrated with calibrate.mts.
 */
import { createRng, type Rng } from '../../../src/core/rng.js';
import type { WorldFamily } from '../types.js';
import { assembleWorld, type ActivityProfile, type HourComponent, type PlannedUser } from './activity.js';
import { assignPersonas, familySeed, userId } from './random.js';

const NAME = 'far-and-near';

/** Everyone's shared vocabulary and baseline mix (≈ 6.7% each; a group's signature events get 27–33%). */
const VOCAB = [
  'task_created',
  'task_completed',
  'task_assigned',
  'comment_added',
  'mention_sent',
  'file_uploaded',
  'board_viewed',
  'search_performed',
  'label_added',
  'due_date_set',
  'sprint_planned',
  'time_logged',
  'doc_edited',
  'report_viewed',
  'checklist_item_ticked',
] as const;

/** Baseline mix with `signature` events raised to `share` each (the rest share what is left). */
function mixWith(signature: readonly string[], share: number): Record<string, number> {
  const rest = (1 - share * signature.length) / (VOCAB.length - signature.length);
  return Object.fromEntries(VOCAB.map((e) => [e, signature.includes(e) ? share : rest]));
}

const WEEK = [1.1, 1.15, 1.15, 1.1, 0.95, 0.2, 0.12];

function human(signature: readonly string[], hours: readonly HourComponent[], activity: number, perSession: number): ActivityProfile {
  return {
    mix: mixWith(signature, signature.length === 2 ? 0.33 : 0.27),
    mixConcentration: 80,
    activeDays: { mean: activity, concentration: 8 },
    weekdayFactor: WEEK,
    sessionsPerDay: 1.2,
    hours,
    hourJitter: 0.8,
    eventsPerSession: { median: perSession, sigma: 0.6, userSigma: 0.4, max: 50 },
    gapSeconds: { median: 50, sigma: 1 },
  };
}

const PERSONAS: Record<string, ActivityProfile> = {
  sync_bot: {
    mix: {
      records_fetched: 0.36,
      records_upserted: 0.3,
      records_deleted: 0.06,
      checkpoint_saved: 0.08,
      sync_conflict: 0.05,
      sync_failed: 0.03,
      rate_limit_hit: 0.04,
      schema_checked: 0.04,
      webhook_received: 0.04,
    },
    mixConcentration: 60,
    activeDays: { mean: 0.97, concentration: 60 },
    sessionsPerDay: 1.1,
    // Each bot has its own schedule: a sharp hour profile shifted by a wide per-bot jitter.
    hours: [{ weight: 1, mean: 2, sd: 0.15 }],
    hourJitter: 5,
    sessionStart: 'sync_started',
    eventsPerSession: { median: 1.2, sigma: 0.35, userSigma: 0.45, max: 20 },
    gapSeconds: { median: 4, sigma: 0.3 },
  },
  planners: human(
    ['sprint_planned', 'due_date_set', 'task_assigned'],
    [
      { weight: 0.7, mean: 9, sd: 1.3 },
      { weight: 0.3, mean: 14, sd: 1.5 },
    ],
    0.11,
    2.6,
  ),
  doers: human(
    ['task_completed', 'time_logged', 'checklist_item_ticked'],
    [
      { weight: 0.5, mean: 11, sd: 1.8 },
      { weight: 0.5, mean: 16, sd: 1.8 },
    ],
    0.14,
    2.4,
  ),
  writers: human(
    ['doc_edited', 'comment_added', 'mention_sent'],
    [
      { weight: 0.4, mean: 10.5, sd: 1.5 },
      { weight: 0.6, mean: 15.5, sd: 2 },
    ],
    0.1,
    2.8,
  ),
  overseers: human(
    ['report_viewed', 'board_viewed'],
    [
      { weight: 0.55, mean: 8.3, sd: 1 },
      { weight: 0.45, mean: 17.5, sd: 1.2 },
    ],
    0.085,
    2.2,
  ),
  organisers: human(
    ['label_added', 'search_performed', 'file_uploaded'],
    [
      { weight: 0.5, mean: 12.5, sd: 2 },
      { weight: 0.5, mean: 19.5, sd: 1.5 },
    ],
    0.1,
    2.5,
  ),
};

const NAMES = Object.keys(PERSONAS);

function plan(rng: Rng, n: number): PlannedUser[] {
  const botShare = 0.08 + rng.next() * 0.02;
  const shares = [botShare, ...NAMES.slice(1).map(() => (1 - botShare) / (NAMES.length - 1))];
  return assignPersonas(rng, n, shares).map((p, i) => ({ id: userId('p', i + 1), persona: NAMES[p], profile: PERSONAS[NAMES[p]] }));
}

export const farAndNear: WorldFamily = {
  name: NAME,
  description:
    'task tool: one far group (~9% sync bots, own vocabulary and volume) plus five near human groups differing by 2–3 signature events and working hours',
  generate(seed) {
    const rng = createRng(familySeed(NAME, seed));
    const n = 1500 + rng.int(2501);
    return assembleWorld(NAME, seed, rng, plan(rng, n), { trueK: NAMES.length, withUsers: false });
  },
};

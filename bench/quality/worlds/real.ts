/**
 * Two real-data worlds from `/work/shared/datasets` (CC BY 4.0; attribution in that folder's
 * README). Nothing is planted: each carries an outcome the pipeline must not see, withheld here
 * as the truth and scored by NMI — how strongly the discovered segments separate a real
 * outcome is a fair measure of whether they mean anything. `generate(seed)` ignores the seed
 * (the data are what they are) and caches the parsed world.
 *
 * - `oulad` (Open University Learning Analytics): events are assessment submissions, users are
 *   students with demographics, truth is `final_result` (Pass / Fail / Distinction).
 * - `online-shoppers`: one row per web-shop session, attributes only (no events), truth is
 *   `Revenue` (whether the session bought).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Papa from 'papaparse';
import type { AttributeRow, EventRow, World, WorldFamily } from '../types.js';
import { isoSeconds } from './activity.js';
import { userId } from './random.js';

/** `/work/shared/datasets`, resolved from this file (`/work/main/bench/quality/worlds/`). */
const DATASETS = fileURLToPath(new URL('../../../../shared/datasets/', import.meta.url));

function readCsv(relative: string): Record<string, string>[] {
  const text = readFileSync(DATASETS + relative, 'utf8');
  const parsed = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true, transformHeader: (h) => h.trim() });
  if (parsed.errors.length > 0) {
    const e = parsed.errors[0];
    throw new Error(`${relative}: CSV error at row ${e.row ?? '?'}: ${e.message}`);
  }
  return parsed.data;
}

/** A numeric CSV cell as a number; empty and `?` (OULAD's missing marker) become null. */
function numberOrNull(v: string | undefined): number | null {
  if (v === undefined) return null;
  const t = v.trim();
  if (t === '' || t === '?') return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : null;
}

function textOrNull(v: string | undefined): string | null {
  if (v === undefined) return null;
  const t = v.trim();
  return t === '' || t === '?' ? null : t;
}

const DAY_MS = 86_400_000;
/** Day 0 of every module presentation, mapped onto one calendar (see `oulad` below). */
const OULAD_DAY0 = Date.parse('2013-10-01T09:00:00Z');
const OULAD_NUMERIC = new Set(['num_of_prev_attempts', 'studied_credits']);

/**
 * OULAD. Notes on the choices made:
 * - Events: one `submitted_<TMA|CMA|Exam>` per studentAssessment row (type joined from
 *   assessments.csv on id_assessment), plus `scored_high` one second later when score ≥ 70.
 *   Timestamp = 2013-10-01T09:00:00Z + date_submitted days, negative days (submissions before
 *   the module start, e.g. banked results) clamped to day 0. All presentations (2013J, 2014J)
 *   share this one calendar. The events span ~270 days, far beyond the benchmark's default
 *   90-day window: the harness must set a long analysis window (e.g. 2013-09-30 .. 2014-07-01)
 *   for this world, or recency/tenure features will be wrong.
 * - Users: studentInfo.csv without `final_result`, `id_student` renamed `user_id`;
 *   `num_of_prev_attempts` and `studied_credits` as numbers, `?` as null. A student who took
 *   several modules has several rows: the FIRST row is kept (attributes and outcome), but the
 *   events of all their modules are kept.
 * - Truth: `final_result` of that first row, only for students with at least one event;
 *   students without any submission stay in the users table but are left out of truth (there
 *   is nothing behavioural to segment them by). Submissions of students absent from
 *   studentInfo.csv (withdrawn students were removed from this copy) are dropped, so every
 *   event belongs to a user in the table.
 */
function loadOulad(): World {
  const typeOf = new Map<string, string>();
  for (const r of readCsv('oulad/assessments.csv')) typeOf.set(r.id_assessment.trim(), r.assessment_type.trim());

  const users: AttributeRow[] = [];
  const outcome = new Map<string, string>();
  for (const r of readCsv('oulad/studentInfo.csv')) {
    const id = r.id_student.trim();
    if (outcome.has(id)) continue; // several modules: keep the first row
    outcome.set(id, r.final_result.trim());
    const row: Record<string, string | number | null> = { user_id: id };
    for (const [k, v] of Object.entries(r)) {
      if (k === 'id_student' || k === 'final_result') continue;
      row[k] = OULAD_NUMERIC.has(k) ? numberOrNull(v) : textOrNull(v);
    }
    users.push(row);
  }

  const events: EventRow[] = [];
  for (const r of readCsv('oulad/studentAssessment.csv')) {
    const id = r.id_student.trim();
    if (!outcome.has(id)) continue;
    const type = typeOf.get(r.id_assessment.trim());
    const day = numberOrNull(r.date_submitted);
    if (type === undefined || day === null) continue;
    const t = OULAD_DAY0 + Math.max(0, day) * DAY_MS;
    events.push({ user_id: id, event: `submitted_${type}`, timestamp: isoSeconds(t) });
    const score = numberOrNull(r.score);
    if (score !== null && score >= 70) events.push({ user_id: id, event: 'scored_high', timestamp: isoSeconds(t + 1000) });
  }
  events.sort((a, b) => (a.timestamp < b.timestamp ? -1 : a.timestamp > b.timestamp ? 1 : a.user_id < b.user_id ? -1 : a.user_id > b.user_id ? 1 : 0));

  const truth = new Map<string, string>();
  const withEvents = new Set(events.map((e) => e.user_id));
  for (const [id, result] of outcome) if (withEvents.has(id)) truth.set(id, result);
  return { family: 'oulad', seed: 0, events, users, truth, trueK: null, score: 'nmi' };
}

/**
 * Online Shoppers Purchasing Intention: each session is a "user" with a generated id
 * (`s00001` … in file order); every column except `Revenue` goes to the users table (numbers
 * as numbers, `VisitorType` keeps its `Other` value as text); truth = Revenue (`0` / `1`).
 */
function loadOnlineShoppers(): World {
  const users: AttributeRow[] = [];
  const truth = new Map<string, string>();
  readCsv('online-shoppers-intention.csv').forEach((r, i) => {
    const id = userId('s', i + 1);
    const row: Record<string, string | number | null> = { user_id: id };
    for (const [k, v] of Object.entries(r)) {
      if (k === 'Revenue') continue;
      row[k] = numberOrNull(v) ?? textOrNull(v);
    }
    users.push(row);
    truth.set(id, String(numberOrNull(r.Revenue) ?? textOrNull(r.Revenue)));
  });
  return { family: 'online-shoppers', seed: 0, events: null, users, truth, trueK: null, score: 'nmi' };
}

function cached(name: string, description: string, load: () => World): WorldFamily {
  let world: World | undefined;
  return {
    name,
    description,
    generate(seed) {
      world ??= load();
      return { ...world, seed };
    },
  };
}

export const realWorlds: WorldFamily[] = [
  cached(
    'oulad',
    'real: Open University students, assessment submissions as events (~270-day span), demographics table; NMI against final_result',
    loadOulad,
  ),
  cached(
    'online-shoppers',
    'real: 12,330 web-shop sessions as attribute rows, no events; NMI against Revenue',
    loadOnlineShoppers,
  ),
];

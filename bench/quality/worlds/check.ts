/**
 * Sanity check for the benchmark worlds, for a human to read: for seed 1 of every planted
 * family, sizes, persona shares, and per persona the mean events per user and median active
 * days; then the invariants the harness relies on (every truth user has events, every event
 * user is in truth, timestamps well-formed and inside the window, users table covers truth,
 * event budget, same seed → same bytes). Real worlds get a one-line summary each.
 *
 *   node --import tsx bench/quality/worlds/check.ts
 */
import { createHash } from 'node:crypto';
import type { World } from '../types.js';
import { DEFAULT_WINDOW } from './activity.js';
import { plantedFamilies, realWorlds } from './index.js';

const MAX_EVENTS = 250_000;
const TS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const windowStart = new Date(DEFAULT_WINDOW.startMs).toISOString().slice(0, 19) + 'Z';
const windowEnd = new Date(DEFAULT_WINDOW.startMs + DEFAULT_WINDOW.days * 86_400_000 - 1000).toISOString().slice(0, 19) + 'Z';

function digest(w: World): string {
  const h = createHash('sha256');
  for (const e of w.events ?? []) h.update(`${e.user_id},${e.event},${e.timestamp}\n`);
  for (const u of w.users ?? []) h.update(JSON.stringify(u) + '\n');
  for (const [k, v] of w.truth) h.update(`${k}=${v}\n`);
  return h.digest('hex').slice(0, 16);
}

function median(xs: number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function problems(w: World, checkWindow: boolean): string[] {
  const out: string[] = [];
  const perUser = new Map<string, number>();
  let badTs = 0;
  let outside = 0;
  for (const e of w.events ?? []) {
    perUser.set(e.user_id, (perUser.get(e.user_id) ?? 0) + 1);
    if (!TS.test(e.timestamp)) badTs++;
    else if (checkWindow && (e.timestamp < windowStart || e.timestamp > windowEnd)) outside++;
  }
  if (w.events) {
    const silent = [...w.truth.keys()].filter((u) => !perUser.has(u)).length;
    const unknown = [...perUser.keys()].filter((u) => !w.truth.has(u)).length;
    if (silent) out.push(`${silent} truth users without events`);
    if (unknown && checkWindow) out.push(`${unknown} event users missing from truth`);
    if (w.events.length > MAX_EVENTS) out.push(`${w.events.length} events > ${MAX_EVENTS}`);
  }
  if (badTs) out.push(`${badTs} malformed timestamps`);
  if (outside) out.push(`${outside} events outside ${windowStart} .. ${windowEnd}`);
  if (w.users) {
    const ids = new Set(w.users.map((u) => String(u.user_id)));
    const missing = [...w.truth.keys()].filter((u) => !ids.has(u)).length;
    if (missing) out.push(`${missing} truth users missing from the users table`);
    if (ids.size !== w.users.length) out.push('duplicate user_id in the users table');
  }
  return out;
}

let failures = 0;
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

for (const family of plantedFamilies) {
  const t0 = performance.now();
  const w = family.generate(1);
  const ms = performance.now() - t0;
  const again = digest(family.generate(1));
  const events = w.events ?? [];
  const vocab = new Set(events.map((e) => e.event));
  console.log(`\n== ${w.family} (seed 1): ${w.truth.size} users, ${events.length} events, ${vocab.size} event types, trueK ${w.trueK}, users table ${w.users ? `${w.users.length} rows × ${Object.keys(w.users[0] ?? {}).length - 1} attributes` : 'none'}, ${ms.toFixed(0)} ms`);
  console.log(`   ${family.description}`);

  const count = new Map<string, number>();
  const days = new Map<string, Set<string>>();
  for (const e of events) {
    count.set(e.user_id, (count.get(e.user_id) ?? 0) + 1);
    let d = days.get(e.user_id);
    if (!d) days.set(e.user_id, (d = new Set()));
    d.add(e.timestamp.slice(0, 10));
  }
  const byPersona = new Map<string, string[]>();
  for (const [u, p] of w.truth) {
    let list = byPersona.get(p);
    if (!list) byPersona.set(p, (list = []));
    list.push(u);
  }
  console.log(`   ${'persona'.padEnd(20)} ${'users'.padStart(6)} ${'share'.padStart(7)} ${'mean ev'.padStart(8)} ${'median ev'.padStart(9)} ${'med days'.padStart(8)}`);
  for (const [p, us] of [...byPersona].sort((a, b) => b[1].length - a[1].length)) {
    const ev = us.map((u) => count.get(u) ?? 0);
    const mean = ev.reduce((s, v) => s + v, 0) / us.length;
    console.log(
      `   ${p.padEnd(20)} ${String(us.length).padStart(6)} ${pct(us.length / w.truth.size).padStart(7)} ${mean.toFixed(1).padStart(8)} ${String(median(ev)).padStart(9)} ${String(median(us.map((u) => days.get(u)?.size ?? 0))).padStart(8)}`,
    );
  }
  const issues = problems(w, true);
  if (again !== digest(w)) issues.push('not deterministic: two generate(1) calls differ');
  if (digest(family.generate(2)) === digest(w)) issues.push('seed 2 gives the same world as seed 1');
  if (issues.length) {
    failures += issues.length;
    for (const i of issues) console.log(`   PROBLEM: ${i}`);
  } else console.log(`   ok (digest ${again})`);
}

for (const family of realWorlds) {
  const t0 = performance.now();
  const w = family.generate(1);
  const ms = performance.now() - t0;
  const classes = new Map<string, number>();
  for (const v of w.truth.values()) classes.set(v, (classes.get(v) ?? 0) + 1);
  const events = w.events ?? [];
  const span = events.length ? `${events[0].timestamp} .. ${events[events.length - 1].timestamp}` : 'no events';
  console.log(`\n== ${w.family} (real): ${w.users?.length ?? 0} user rows, ${w.truth.size} in truth, ${events.length} events (${span}), ${ms.toFixed(0)} ms`);
  console.log(`   truth: ${[...classes].map(([k, v]) => `${k} ${v} (${pct(v / w.truth.size)})`).join(', ')}`);
  const issues = problems(w, false);
  if (issues.length) {
    failures += issues.length;
    for (const i of issues) console.log(`   PROBLEM: ${i}`);
  } else console.log('   ok');
}

if (failures) {
  console.log(`\n${failures} problem(s)`);
  process.exitCode = 1;
}

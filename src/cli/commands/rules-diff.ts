/**
 * `segmint rules diff DIR_A DIR_B` and `segmint rules diff --ruleset DIR KEY@1 KEY@2`: what
 * changed per promoted segment and, given inputs, who it selects in A only, in B only, in both.
 */
import { createContext } from '../../core/context.js';
import { errors } from '../../core/messages.js';
import { diffRulesets, diffVersions, type DiffInputs, type RulesetDiff } from '../../ruleset/diff.js';
import type { Io } from '../io.js';
import { stderrLogger } from '../logger.js';
import { textTable } from '../table.js';

export interface DiffArgs {
  /** Two folders, or with `ruleset` two versions KEY@N. */
  a: string;
  b: string;
  ruleset?: string;
  events?: string[];
  users?: string;
  accounts?: string;
  asOf?: string;
  quiet?: boolean;
}

export async function diffCommand(args: DiffArgs, io: Io): Promise<RulesetDiff> {
  const hasEvents = Boolean(args.events?.length);
  if (!hasEvents && (args.users || args.accounts || args.asOf)) throw errors.noEventsGiven();
  const options: DiffInputs = hasEvents ? { inputs: { events: args.events!, users: args.users, accounts: args.accounts }, asOf: args.asOf } : {};
  const ctx = createContext(0, stderrLogger({ quiet: Boolean(args.quiet), write: io.err }));
  const diff = args.ruleset === undefined ? await diffRulesets(args.a, args.b, options, ctx) : await diffVersions(args.ruleset, args.a, args.b, options, ctx);
  for (const w of ctx.warnings) io.err(`warning: ${w.message}\n`);
  io.out(renderDiff(diff));
  return diff;
}

/** The diff as text: who A and B are, a table per key, then each changed key's changes. */
export function renderDiff(diff: RulesetDiff): string {
  const version = (s: { version: number; status: string } | null) => (s === null ? '-' : `v${s.version}${s.status === 'active' ? '' : ` (${s.status})`}`);
  const n = (v: number) => v.toLocaleString('en-US');
  const impact = diff.asOf !== null;
  const rows = diff.rows.map((r) => [r.key, version(r.a), version(r.b), r.change, ...(r.impact ? [n(r.impact.onlyA), n(r.impact.onlyB), n(r.impact.both)] : [])]);
  const header = ['segment', 'A', 'B', 'change', ...(impact ? ['A only', 'B only', 'both'] : [])];
  const numeric = [false, false, false, false, ...(impact ? [true, true, true] : [])];
  let out = `A  ${diff.a}\nB  ${diff.b}\n`;
  if (diff.asOf !== null) out += `users selected as of ${[...new Set(diff.asOf)].join(', ') || '-'} UTC\n`;
  out += `\n${diff.rows.length === 0 ? 'no promoted segments on either side\n' : textTable(header, rows, numeric)}`;
  for (const r of diff.rows.filter((x) => x.changes.length > 0)) out += `\n${r.key}\n${r.changes.map((c) => `  ${c}\n`).join('')}`;
  return out;
}

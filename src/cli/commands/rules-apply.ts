/** `segmint rules apply --ruleset DIR --events PATH… --out DIR`: memberships of the promoted segments. */
import { loadConfigFile } from '../../config/index.js';
import { createContext } from '../../core/context.js';
import { shownPath } from '../../run/paths.js';
import { applyRuleset, type ApplyResult } from '../../ruleset/apply.js';
import { errors } from '../../core/messages.js';
import type { Io } from '../io.js';
import { stderrLogger } from '../logger.js';
import { textTable } from '../table.js';

export interface ApplyArgs {
  ruleset: string;
  events?: string[];
  users?: string;
  accounts?: string;
  config?: string;
  asOf?: string;
  out: string;
  quiet?: boolean;
}

export async function applyCommand(args: ApplyArgs, io: Io): Promise<ApplyResult> {
  const config = args.config ? loadConfigFile(args.config, { events: args.events, users: args.users, accounts: args.accounts }) : undefined;
  if (!config && !args.events?.length) throw errors.noEventsGiven();
  const ctx = createContext(0, stderrLogger({ quiet: Boolean(args.quiet), write: io.err }));
  const result = await applyRuleset(
    { ruleset: args.ruleset, inputs: { events: args.events ?? [], users: args.users, accounts: args.accounts }, config, asOf: args.asOf, out: args.out },
    ctx,
  );
  for (const w of ctx.warnings) io.err(`warning: ${w.message}\n`);
  const n = (v: number | null) => (v === null ? '-' : v.toLocaleString('en-US'));
  const rows = result.counts.map((c) => [c.key, c.version ? `v${c.version}` : '-', n(c.size), n(c.entered), n(c.exited)]);
  io.out(`${result.files.map(shownPath).join('\n')}\nas of ${[...new Set(result.asOf)].join(', ')} UTC\n\n`);
  io.out(textTable(['segment', 'version', 'size', 'entered', 'exited'], rows, [false, false, true, true, true]));
  return result;
}

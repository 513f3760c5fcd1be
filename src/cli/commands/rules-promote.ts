/** `segmint rules promote RUN SEGMENT… --ruleset DIR`: a run's rules become promoted-segment files. */
import { createContext } from '../../core/context.js';
import { errors } from '../../core/messages.js';
import { loadRunDocuments, resolveRunDir } from '../../run/load.js';
import { shownPath } from '../../run/paths.js';
import { promote, type PromoteResult } from '../../ruleset/promote.js';
import type { Io } from '../io.js';
import { stderrLogger } from '../logger.js';
import { textTable } from '../table.js';

export interface PromoteArgs {
  run: string;
  segments: string[];
  ruleset: string;
  owner?: string;
  name?: string;
  note?: string;
  dir?: string;
  quiet?: boolean;
}

export async function promoteCommand(args: PromoteArgs, io: Io): Promise<PromoteResult> {
  // The ruleset schema requires a name with text in it: refuse an empty one here, before any
  // file is written, rather than write a file the next read rejects.
  if (args.name !== undefined && args.name.trim() === '') throw errors.badFlagValue('name', args.name, 'a segment name with at least one character that is not a space');
  const docs = loadRunDocuments(resolveRunDir(args.run, args.dir ?? 'reports'));
  const ctx = createContext(docs.manifest.seed, stderrLogger({ quiet: Boolean(args.quiet), write: io.err }));
  const result = await promote(docs, { ruleset: args.ruleset, segments: args.segments, owner: args.owner, name: args.name, note: args.note }, ctx);
  for (const note of result.notes) io.err(`warning: ${note}\n`);
  const change = (o: PromoteResult['outcomes'][number]) => (o.updated.length === 0 ? o.action : `${o.action}; ${o.updated.join(', ')} updated (same version)`);
  const rows = result.outcomes.map((o) => [String(o.segment), o.key, `v${o.version}`, change(o), shownPath(o.file)]);
  io.out(textTable(['segment', 'key', 'version', 'change', 'file'], rows, [true, false, false, false, false]));
  return result;
}

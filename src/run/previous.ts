/**
 * Which finished run a new run is compared with: by default the latest finished run of the same
 * job in the output folder; `--previous RUN` names one; `--no-previous` none.
 */
import type { ResolvedConfig } from '../config/types.js';
import type { RunContext } from '../core/context.js';
import { warnings } from '../core/warnings.js';
import { jobOf, jobOfManifest, latestRunOf } from './jobs.js';
import type { PreviousRun } from './lineage.js';
import { loadAssignments, loadRunDocuments, resolveRunDir } from './load.js';

export type PreviousChoice = { readonly kind: 'auto' } | { readonly kind: 'none' } | { readonly kind: 'run'; readonly run: string };

export const AUTO_PREVIOUS: PreviousChoice = { kind: 'auto' };

/**
 * The previous run as chosen, loaded and schema-checked (a run named with --previous that does
 * not load stops the run before any work; another job's run is used, with a warning).
 *
 * @example
 * findPrevious(config, { kind: 'auto' }, ctx)?.docs.manifest.runId; // the job's latest run, or undefined
 */
export function findPrevious(config: ResolvedConfig, choice: PreviousChoice, ctx: RunContext): PreviousRun | null {
  const job = jobOf(config);
  let dir: string;
  switch (choice.kind) {
    case 'none':
      return null;
    case 'auto': {
      const latest = latestRunOf(config.output.dir, job);
      if (latest === null) return null;
      dir = latest.dir;
      break;
    }
    case 'run':
      dir = resolveRunDir(choice.run, config.output.dir);
      break;
    default:
      return assertNever(choice);
  }
  const docs = loadRunDocuments(dir);
  const theirs = jobOfManifest(docs.manifest);
  if (theirs !== job) ctx.warn(warnings.previousOtherJob(docs.manifest.runId, theirs, job));
  return { dir, docs, assignments: loadAssignments(dir, docs.segments) };
}

function assertNever(x: never): never {
  throw new Error(`unexpected previous-run choice ${JSON.stringify(x)}`);
}

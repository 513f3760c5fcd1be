/**
 * Which finished run a new run is compared with: by default the latest finished run of the same
 * job in the output folder; `--previous RUN` names one; `--no-previous` none.
 */
import type { ResolvedConfig } from '../config/types.js';
import type { RunContext } from '../core/context.js';
import { warnings } from '../core/warnings.js';
import { isSegmintError } from '../core/errors.js';
import { jobOf, jobOfManifest, listRuns, type ListedRun } from './jobs.js';
import type { PreviousRun } from './lineage.js';
import { loadAssignments, loadManifest, loadRunDocuments, resolveRunDir } from './load.js';
import { shownPath } from './paths.js';
import type { Manifest } from './types.js';

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
      const latest = latestOfJob(config.output.dir, job, ctx);
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

/**
 * The job's latest run whose documents load. A run that does not load is named in a warning when
 * it could have been the one (of this job, or its manifest unreadable, and not older than the run
 * chosen): otherwise lineage would quietly skip a week.
 */
function latestOfJob(reportsDir: string, job: string, ctx: RunContext): ListedRun | null {
  const skipped: { dir: string; error: Error & { hint?: string } }[] = [];
  const latest = listRuns(reportsDir, (dir, error) => skipped.push({ dir, error })).filter((r) => r.job === job).at(-1) ?? null;
  for (const { dir, error } of skipped) {
    const manifest = manifestOf(dir);
    if (manifest !== null && (jobOfManifest(manifest) !== job || (latest !== null && manifest.finishedAt < latest.manifest.finishedAt))) continue;
    const reason = error.hint ? `${error.message} (${error.hint})` : error.message;
    ctx.warn(warnings.previousSkipped(shownPath(dir), reason, latest?.id ?? null));
  }
  return latest;
}

function manifestOf(dir: string): Manifest | null {
  try {
    return loadManifest(dir);
  } catch (e) {
    if (isSegmintError(e)) return null;
    throw e;
  }
}

function assertNever(x: never): never {
  throw new Error(`unexpected previous-run choice ${JSON.stringify(x)}`);
}

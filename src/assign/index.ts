/**
 * Scoring new users against a finished run's fitted model:
 *
 *   1. Config: the run's resolved config with the new inputs swapped in (every other setting kept).
 *   2. ingest + features, with the event-mix columns fixed to the run's event types.
 *   3. transform → PCA → nearest centroid, replaying the saved models exactly.
 */
import { resolve } from 'node:path';
import type { ResolvedConfig, TableInput, UsersInput } from '../config/types.js';
import type { RunContext } from '../core/context.js';
import { openDb } from '../core/duckdb.js';
import { SegmintError } from '../core/errors.js';
import { errors } from '../core/messages.js';
import { toAssignments, type Assignment } from '../run/assignments.js';
import type { RunDocuments } from '../run/types.js';
import { ingest } from '../stages/ingest/index.js';
import { buildFeatures, runEventColumns } from '../stages/features/index.js';
import { applyTransform, loadTransformModel } from '../stages/transform/index.js';
import { loadPcaModel, projectPca } from '../stages/reduce/index.js';
import { assignToCentroids, loadClusterModel } from '../stages/cluster/index.js';

/** assign reads the new files with the run's column mapping; the hint for a column they lack. */
export const ASSIGN_COLUMNS_HINT = "assign reads the new files with the run's column names (its manifest.json): give files with those columns (names are case-sensitive)";

export interface AssignInputs {
  /** Empty when the run was fitted on a users table alone. */
  readonly events: readonly string[];
  readonly users?: string;
  readonly accounts?: string;
  /**
   * The features' window end: an ISO time, or `latest` for the new data's latest event; absent,
   * the run's own (so scoring the run's data gives its assignments back).
   */
  readonly asOf?: string;
}

/**
 * The run's config with `inputs` replaced (paths resolved against the current directory). Column
 * mappings, presets and keys of the run's inputs are kept; a table the run did not have is
 * auto-detected; a table not given now is left out.
 *
 * @example
 * const config = assignConfig(docs.manifest.config, { events: ['new/events.csv'] });
 */
export function assignConfig(run: ResolvedConfig, inputs: AssignInputs): ResolvedConfig {
  const paths = (ps: readonly string[]) => ps.map((p) => resolve(p));
  const was = run.inputs;
  // A model fitted on a users table alone has no behaviour to score: its users are scored on
  // their attributes, and events would only make users without any drop out.
  if (was.events === null && inputs.events.length > 0) throw errors.assignEventsUnused(run.name);
  if (was.events !== null && inputs.events.length === 0) throw errors.assignEventsNeeded(run.name);
  if (was.events === null && !inputs.users) throw errors.assignUsersNeeded(run.name);
  const events = was.events ? { ...was.events, paths: paths(inputs.events) } : null;
  const users: UsersInput | null = inputs.users
    ? { ...(was.users ?? { key: null, exclude: [], accountKey: null }), paths: paths([inputs.users]) }
    : null;
  const accounts: TableInput | null = inputs.accounts
    ? { ...(was.accounts ?? { key: null, exclude: [] }), paths: paths([inputs.accounts]) }
    : null;
  const window = inputs.asOf === undefined ? run.window : { ...run.window, end: inputs.asOf === 'latest' ? null : inputs.asOf };
  return { ...run, window, inputs: { events, users, accounts } };
}

/**
 * Scores the users of `inputs` with the model of the run whose documents are `docs`.
 * Throws `E_MODEL_FEATURE_MISSING` when the new data lacks a feature the model uses.
 *
 * @example
 * const assignments = await scoreUsers(loadRunDocuments(dir), { events: ['new/events.csv'] }, createContext(42));
 */
export async function scoreUsers(docs: RunDocuments, inputs: AssignInputs, ctx: RunContext): Promise<Assignment[]> {
  const { model } = docs.segments;
  const transform = loadTransformModel(model.transform);
  const pca = loadPcaModel(model.pca);
  const kmeans = loadClusterModel(model.kmeans);
  const config = assignConfig(docs.manifest.config, inputs);

  const db = await openDb();
  try {
    // 1–2. Same ingest and features as the run, but the run's event types, not the data's top N.
    // The run's window end is kept by default: new data after it needs --as-of, which the
    // generic hint (window.days, window.end) does not name.
    const noUsers = (e: unknown): never => {
      if (e instanceof SegmintError && e.code === 'E_NO_USERS') throw errors.assignWindowEmpty(config.window.end);
      // The columns come from the run's config, which assign has no flag to change: say so.
      if (e instanceof SegmintError && e.code === 'E_MISSING_COLUMN') {
        throw new SegmintError({ code: e.code, stage: e.stage, subject: e.subject, message: e.message, hint: ASSIGN_COLUMNS_HINT });
      }
      throw e;
    };
    const ingested = await ingest(db, config, ctx, { excludedMayBeMissing: true }).catch(noUsers);
    if (model.meanings === undefined) throw errors.modelWithoutMeanings(docs.manifest.runId);
    const eventColumns = ingested.events ? runEventColumns(model.features, model.meanings) : undefined;
    // The model's share of events on peak days is built whether or not the new data has a peak day.
    const peakDayShare = Object.values(model.meanings).some((m) => m.kind === 'peakDayShare');
    const features = await buildFeatures(db, ingested, config, ctx, { eventColumns, peakDayShare }).catch(noUsers);

    // applyTransform would say "invalid model"; the real problem is the data, so say that.
    const have = new Set(features.columns.map((c) => c.name));
    const missing = transform.steps.find((s) => !have.has(s.feature));
    if (missing) throw errors.modelFeatureMissing(missing.feature, docs.manifest.runId);

    // 3. Replay transform → PCA → nearest centroid.
    const projected = projectPca(pca, applyTransform(transform, features));
    const names: string[] = [];
    for (const s of docs.segments.segments) names[s.id] = s.name;
    return toAssignments(features.userIds, assignToCentroids(kmeans, projected), names, features.usersWithoutEvents);
  } finally {
    db.close();
  }
}

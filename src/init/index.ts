/**
 * `segmint init`: sniff input files and write a commented pipeline YAML that runs as it is.
 *
 *   1. Sniff each path: files, format, vendor shape, a profile of its columns. A folder or glob
 *      whose files have different columns (events, users and accounts side by side) is sniffed
 *      file by file, so each can be told apart; files that share their columns stay one input.
 *   2. Plan: which input is events / users / accounts, and every setting (plan.ts).
 *   3. Type the attribute tables the way ingest will.
 *   4. Render the YAML (render.ts).
 */
import path from 'node:path';
import { openDb } from '../core/duckdb.js';
import { typeAttributes } from '../stages/ingest/attributes.js';
import { planConfig, type InitPlan, type PlannedTable } from './plan.js';
import { renderConfig, type TableAttributes } from './render.js';
import { sniffInput, type ColumnHints, type SniffedInput } from './sniff.js';
import { errors } from '../core/messages.js';
import { resolveInputs } from '../stages/ingest/files.js';
import { peekKeys } from '../stages/ingest/events.js';
import { detectPreset } from '../stages/ingest/presets/index.js';
import type { Db } from '../core/duckdb.js';

export type { InitPlan, PlannedEvents, PlannedTable, RejectEstimate } from './plan.js';
export type { ColumnProfile, EventProfile, SniffedInput } from './sniff.js';
export { relPath } from './render.js';

export interface InitOptions {
  /** Where the YAML will be written (absolute or relative to `cwd`); default `pipeline/<name>.yaml`. */
  readonly configFile?: string;
  /** Folder the user works from: reports go to `<cwd>/reports`, commands are shown relative to it. */
  readonly cwd?: string;
  /** The job's name (default: from the first input). */
  readonly name?: string;
  /** Columns the user named instead of detection (`--user-id`, `--event`, `--timestamp`). */
  readonly columns?: ColumnHints;
}

export interface InitResult {
  readonly yaml: string;
  readonly plan: InitPlan;
  /** Absolute path the YAML is meant for (its paths are relative to its folder). */
  readonly configFile: string;
}

/**
 * Sniff `paths` and build the config text (nothing is written).
 *
 * @example
 * const { yaml, plan, configFile } = await initConfig(['data/orders.csv']);
 * plan.events?.eventName; // 'purchase'
 * configFile; // '/repo/pipeline/orders.yaml'
 */
export async function initConfig(paths: readonly string[], options: InitOptions = {}): Promise<InitResult> {
  const cwd = options.cwd ?? process.cwd();
  const db = await openDb();
  try {
    // 1. Sniff.
    const inputs: SniffedInput[] = [];
    const hints = options.columns ?? {};
    const given = (await Promise.all(paths.map((p) => splitByColumns(db, path.resolve(cwd, p))))).flat();
    for (const [i, p] of given.entries()) inputs.push(await sniffInput(db, p, i, hints));
    checkHints(inputs, hints);
    // 2. Plan.
    // Named after the first path given, even when it was sniffed file by file.
    const plan = planConfig(inputs, options.name ?? jobName({ ...inputs[0], path: path.resolve(cwd, paths[0]) }), hints);
    const configFile = path.resolve(cwd, options.configFile ?? defaultConfigFile(cwd, plan.name));
    // 3. Attributes as ingest will type them.
    const users = plan.users ? await attributesOf(db, plan.users) : null;
    const accounts = plan.accounts ? await attributesOf(db, plan.accounts) : null;
    // 4. Render.
    const shown = path.relative(cwd, configFile).split(path.sep).join('/');
    const yaml = renderConfig(plan, {
      configDir: path.dirname(configFile),
      reportsDir: path.join(cwd, 'reports'),
      configShown: shown.startsWith('..') ? configFile : shown,
      users,
      accounts,
    });
    return { yaml, plan, configFile };
  } finally {
    db.close();
  }
}

/** Files of a folder or glob compared by their columns at most: beyond, it is taken as one input. */
const MAX_SPLIT_FILES = 200;

/**
 * `given` as the inputs to sniff: itself, unless it is a folder or glob whose files do not all
 * have the same columns — then each file on its own (planEvents lists several event files as
 * one input again). A file that cannot be sampled keeps the path whole: the sniff reports it.
 */
async function splitByColumns(db: Db, given: string): Promise<string[]> {
  const files = await resolveInputs([given], 'input');
  if (files.length < 2 || files.length > MAX_SPLIT_FILES) return [given];
  const shapes = new Set<string>();
  for (const f of files) {
    const keys = await peekKeys(db, f);
    if (keys === null) return [given];
    // A vendor's export is one shape whatever keys a day's first event has (Segment's identify
    // and track calls, Amplitude rows with and without user properties): split by keys, a folder
    // of daily files became a list of today's files, and the weekly job never read a new day.
    const preset = detectPreset(keys);
    shapes.add(preset !== null ? `preset:${preset}` : JSON.stringify([...keys].sort()));
  }
  return shapes.size === 1 ? [given] : files;
}

/** A column the user named must exist in at least one input: a typo is one line, not a silent `auto`. */
function checkHints(inputs: readonly SniffedInput[], hints: ColumnHints): void {
  const flags = [['--user-id', hints.userId], ['--event', hints.event], ['--timestamp', hints.timestamp]] as const;
  for (const [flag, column] of flags) {
    if (column === undefined) continue;
    if (inputs.some((i) => i.columns.some((c) => c.name === column))) continue;
    const found = [...new Set(inputs.flatMap((i) => i.columns.map((c) => c.name)))];
    throw errors.initColumnNotFound(flag, column, found);
  }
}

async function attributesOf(db: Db, table: PlannedTable): Promise<TableAttributes> {
  const sample = table.inputs[0];
  const exclude = new Set([table.key, ...(table.accountKey ? [table.accountKey] : [])]);
  const candidates = sample.columns.map((c) => c.name).filter((n) => !exclude.has(n));
  return typeAttributes(db, sample.sampleTable!, 'TRUE', candidates, new Map());
}

/**
 * A job name from the first input: its preset, else its file (or folder) name as a slug;
 * generic file names take their folder's name in front (`sample/events.csv` → `sample-events`).
 *
 * @example
 * jobName(await sniffInput(db, '/data/online-retail.csv', 0)); // 'online-retail'
 */
export function jobName(first: SniffedInput): string {
  if (first.preset) return first.preset;
  const abs = first.path;
  const slug = (s: string) =>
    s
      .replace(/(\.(gz|gzip|zst))$/i, '')
      .replace(/\.(csv|tsv|txt|tab|jsonl|ndjson|json|parquet|pq)$/i, '')
      .replace(/[^A-Za-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .toLowerCase();
  const base = slug(path.basename(abs)) || 'job';
  if (/^(events?|data|export|messages|log|logs|users|input)$/.test(base)) {
    const parent = slug(path.basename(path.dirname(abs)));
    if (parent) return `${parent}-${base}`;
  }
  return base;
}

/** The default config path for a job: `pipeline/<name>.yaml` under `cwd`. */
export function defaultConfigFile(cwd: string, name: string): string {
  return path.join(cwd, 'pipeline', `${name}.yaml`);
}

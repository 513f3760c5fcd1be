/** `segmint init PATH…`: sniff the inputs and write a commented pipeline YAML that runs as it is. */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { errors } from '../../core/messages.js';
import { initConfig, type InitPlan } from '../../init/index.js';
import { writeFailure } from '../../run/output.js';
import type { Io } from '../io.js';

export interface InitArgs {
  paths: string[];
  /** Where to write the YAML (default `pipeline/<name>.yaml`). */
  out?: string;
  /** Replace an existing file. */
  force?: boolean;
  /** Columns named instead of detected. */
  userId?: string;
  event?: string;
  timestamp?: string;
}

/**
 * Write the config and print where it is and what to run next.
 *
 * @example
 * await initCommand({ paths: ['data/orders.csv'] }, processIo());
 * // wrote pipeline/orders.yaml …
 */
export async function initCommand(args: InitArgs, io: Io): Promise<InitPlan> {
  const out = io.out;
  const cwd = process.cwd();
  const columns = { ...(args.userId ? { userId: args.userId } : {}), ...(args.event ? { event: args.event } : {}), ...(args.timestamp ? { timestamp: args.timestamp } : {}) };
  const { yaml, plan, configFile } = await initConfig(args.paths, { configFile: args.out, cwd, columns });
  const shown = path.relative(cwd, configFile).split(path.sep).join('/');
  const name = shown.startsWith('..') ? configFile : shown;
  if (existsSync(configFile) && !args.force) throw errors.initOutputExists(name);
  try {
    mkdirSync(path.dirname(configFile), { recursive: true });
    writeFileSync(configFile, yaml);
  } catch (e) {
    throw writeFailure(configFile, e);
  }

  out(`wrote ${name}\n`);
  for (const line of summary(plan, cwd)) out(`  ${line}\n`);
  out(`\nnext:\n  npx segmint validate --config ${name}\n  npx segmint run --config ${name}\n`);
  return plan;
}

function summary(plan: InitPlan, cwd: string): string[] {
  const rel = (p: string) => path.relative(cwd, p).split(path.sep).join('/') || '.';
  const lines: string[] = [];
  const ev = plan.events;
  if (ev) {
    const what = ev.preset
      ? `${ev.preset} preset`
      : [
          `user id ${ev.columns?.userId ?? 'auto'}`,
          ev.eventName ? `every row "${ev.eventName}"` : `event ${ev.columns?.event ?? 'auto'}`,
          `timestamp ${ev.columns?.timestamp ?? 'auto'}`,
        ].join(', ');
    for (const i of ev.inputs) lines.push(`events    ${rel(i.path)} (${what})`);
  }
  for (const [role, t] of [['users', plan.users], ['accounts', plan.accounts]] as const) {
    for (const i of t?.inputs ?? []) lines.push(`${role.padEnd(9)} ${rel(i.path)} (key ${t!.key})`);
  }
  for (const r of plan.rejects) {
    if (r.rejected > 0) lines.push(`${(100 * r.rejected / r.rows).toFixed(1)}% of sniffed ${r.role} rows will be rejected (${r.reasons.join(' or ')})`);
  }
  if (plan.maxRejectRate !== null) lines.push(`max_reject_rate raised to ${plan.maxRejectRate} so the run does not fail on them`);
  return lines;
}

/** `segmint rules check --ruleset DIR --run RUN`: exits non-zero when a promoted rule has decayed. */
import { createContext } from '../../core/context.js';
import { errors, rulesetErrors } from '../../core/messages.js';
import { loadRunDocuments, resolveRunDir } from '../../run/load.js';
import { checkRuleset, DEFAULT_THRESHOLDS, type CheckRow, type CheckThresholds } from '../../ruleset/check.js';
import type { Io } from '../io.js';
import { formatPercent } from '../../stages/report/format.js';
import { stderrLogger } from '../logger.js';
import { textTable } from '../table.js';

export interface CheckArgs {
  ruleset: string;
  run: string;
  dir?: string;
  maxPrecisionDrop?: number;
  maxRecallDrop?: number;
  maxPsi?: number;
  maxSizeChange?: number;
  quiet?: boolean;
}

export async function checkCommand(args: CheckArgs, io: Io): Promise<CheckRow[]> {
  const limit = (flag: string, v: number | undefined, fallback: number) => {
    if (v === undefined) return fallback;
    if (!Number.isFinite(v) || v < 0) throw errors.badFlagValue(flag, v, 'a number >= 0');
    return v;
  };
  const limits: CheckThresholds = {
    maxPrecisionDrop: limit('max-precision-drop', args.maxPrecisionDrop, DEFAULT_THRESHOLDS.maxPrecisionDrop),
    maxRecallDrop: limit('max-recall-drop', args.maxRecallDrop, DEFAULT_THRESHOLDS.maxRecallDrop),
    maxPsi: limit('max-psi', args.maxPsi, DEFAULT_THRESHOLDS.maxPsi),
    maxSizeChange: limit('max-size-change', args.maxSizeChange, DEFAULT_THRESHOLDS.maxSizeChange),
  };
  const runDir = resolveRunDir(args.run, args.dir ?? 'reports');
  const docs = loadRunDocuments(runDir);
  const ctx = createContext(docs.manifest.seed, stderrLogger({ quiet: Boolean(args.quiet), write: io.err }));
  const rows = await checkRuleset(args.ruleset, runDir, docs, limits, ctx);
  const pct = (v: number) => (Number.isFinite(v) ? `${v >= 0 ? '+' : ''}${(100 * v).toFixed(0)}%` : 'new');
  // A rule that could not be evaluated has no measures: '-' where they would be.
  const now = (r: CheckRow, v: string) => (r.evaluated ? v : '-');
  const table = rows.map((r) => [
    r.key,
    `v${r.version}`,
    r.segment === null ? '-' : `${r.segment.id} ${r.segment.name}`,
    `${formatPercent(r.promoted.precision)} → ${now(r, formatPercent(r.precision))}`,
    `${formatPercent(r.promoted.recall)} → ${now(r, formatPercent(r.recall))}`,
    now(r, `${r.selected} (${pct(r.sizeChange)})`),
    r.drift.map((d) => `${d.feature} ${d.psi === null ? '?' : d.psi.toFixed(2)}`).join(', '),
    r.reasons.length ? `DECAYED: ${r.reasons.join('; ')}` : r.notes.length ? 'ok (see note)' : 'ok',
  ]);
  io.out(`run ${docs.manifest.runId}\n\n`);
  io.out(textTable(['segment', 'version', 'best match in run', 'precision', 'recall', 'selected', 'PSI', 'verdict'], table, [false, false, false, false, false, true, false, false]));
  // A note several rules share (an older ruleset's job) is said once, naming them all.
  const byText = new Map<string, string[]>();
  for (const r of rows) for (const n of r.notes) byText.set(n, [...(byText.get(n) ?? []), r.key]);
  const notes = [...byText].map(([n, keys]) => `note: ${keys.join(', ')}: ${n}\n`);
  if (notes.length > 0) io.out(`\n${notes.join('')}`);
  const decayed = rows.filter((r) => r.reasons.length > 0).map((r) => r.key);
  if (decayed.length > 0) throw rulesetErrors.decayed(decayed);
  return rows;
}

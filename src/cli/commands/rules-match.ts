/**
 * `--ruleset DIR` on `segmint run` and `segmint report RUN`: the report lists which of the run's
 * segments match an already promoted segment (src/ruleset/match.ts). The run's documents are
 * not changed; both reports are rendered again with the extra section, each replaced atomically.
 */
import { join } from 'node:path';
import type { RunContext } from '../../core/context.js';
import { createContext } from '../../core/context.js';
import { replaceFile } from '../../run/output.js';
import { loadRunDocuments, resolveRunDir } from '../../run/load.js';
import type { RunDocuments } from '../../run/types.js';
import { matchPromoted } from '../../ruleset/match.js';
import { readRuleset } from '../../ruleset/store.js';
import { renderHtml, renderMarkdown, type PromotedMatches } from '../../stages/report/index.js';
import type { Io } from '../io.js';
import { stderrLogger } from '../logger.js';

/** Checked before a run's long work: the ruleset must be readable (a missing folder or bad file stops here). */
export function assertRulesetReadable(ruleset: string): void {
  readRuleset(ruleset);
}

/**
 * Matches the run's segments to the promoted ones, re-renders report.md and report.html with
 * the section, and prints one line per match.
 */
export async function reportPromoted(runDir: string, docs: RunDocuments, ruleset: string, ctx: RunContext, io: Io): Promise<PromotedMatches> {
  const promoted = await matchPromoted(ruleset, runDir, docs, ctx);
  // Both rendered before either is replaced.
  const rendered = [['report.md', renderMarkdown(docs, { promoted })], ['report.html', renderHtml(docs, { promoted })]] as const;
  for (const [name, content] of rendered) replaceFile(join(runDir, name), content);
  io.out(matchLines(promoted));
  return promoted;
}

/** `segmint report RUN --ruleset DIR`. */
export async function reportWithRuleset(run: string, reportsDir: string, ruleset: string, io: Io): Promise<PromotedMatches> {
  const dir = resolveRunDir(run, reportsDir);
  const docs = loadRunDocuments(dir);
  const ctx = createContext(docs.manifest.seed, stderrLogger({ quiet: false, write: io.err }));
  const promoted = await reportPromoted(dir, docs, ruleset, ctx, io);
  io.out(`${join(dir, 'report.html')}\n${join(dir, 'report.md')}\n`);
  return promoted;
}

function matchLines(p: PromotedMatches): string {
  const head = `promoted segments in ${p.ruleset}: ${p.matches.length} match(es) among ${p.compared} compared\n`;
  const lines = p.matches.map(
    (m) => `  segment ${m.segment} ↔ ${m.key} v${m.version} (Jaccard ${m.jaccard.toFixed(2)}; rule ${m.ruleDiffers ? 'differs from the suggestion' : 'as suggested'})\n`,
  );
  const none = p.unmatched.map(
    (u) => `  no match: ${u.key} v${u.version} (${u.best === null ? 'no user in a segment' : `best: segment ${u.best.segment}, Jaccard ${u.best.jaccard.toFixed(2)}`})\n`,
  );
  const skipped = p.skipped.map((s) => `  not compared: ${s.key}: ${s.reason}\n`);
  return head + lines.join('') + none.join('') + skipped.join('');
}

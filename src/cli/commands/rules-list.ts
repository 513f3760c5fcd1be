/** `segmint rules list --ruleset DIR`: the promoted segments, their versions, owners and metrics at promotion. */
import { readRuleset } from '../../ruleset/store.js';
import type { Io } from '../io.js';
import { formatPercent } from '../../stages/report/format.js';
import { textTable } from '../table.js';

export function rulesetList(ruleset: string, io: Io): void {
  const rows = readRuleset(ruleset).map(({ doc }) => [
    doc.key,
    `v${doc.version}`,
    doc.status,
    doc.owner ?? '-',
    doc.metrics.selected.toLocaleString('en-US'),
    formatPercent(doc.metrics.precision),
    formatPercent(doc.metrics.recall),
    doc.created_from.run_id,
    doc.rule.text,
  ]);
  io.out(textTable(['segment', 'version', 'status', 'owner', 'selected', 'precision', 'recall', 'from run', 'rule'], rows, [false, false, false, false, true, true, true, false, false]));
}

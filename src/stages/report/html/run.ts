/** The run's bookkeeping: row accounting, warnings, timings, provenance and the footer. */
import type { RunDocuments } from '../../../run/types.js';
import { formatBytes, formatInt, formatMs, formatPercent } from '../format.js';
import { accountingTotals, sortedVersions, totalMs, unaccounted } from '../model.js';
import { barChart } from '../svg/bars.js';
import { esc, section, table } from './elements.js';

const numeric = (heading: string) => ({ heading, numeric: true });

/** Read, used, out of window, duplicates, set aside and rejected per input, and whether read = the sum. */
export function accountingSection(docs: RunDocuments): string {
  const acc = docs.manifest.accounting;
  const check = (d: number) => (d === 0 ? '<span class="ok">✓</span>' : `<span class="bad">✗ ${formatInt(d)} unaccounted</span>`);
  const rows = acc.map((a) => [
    esc(a.role),
    `<div class="files">${a.files.map((f) => `<code>${esc(f)}</code>`).join('')}</div>`,
    formatInt(a.read), formatInt(a.used), formatInt(a.outOfWindow), formatInt(a.duplicates), formatInt(a.setAside ?? 0), formatInt(a.rejected),
    check(unaccounted(a)),
  ]);
  const t = accountingTotals(acc);
  rows.push(['total', '', formatInt(t.read), formatInt(t.used), formatInt(t.outOfWindow), formatInt(t.duplicates), formatInt(t.setAside ?? 0), formatInt(t.rejected),
    check(acc.reduce((s, a) => s + unaccounted(a), 0))]);
  const body = table(
    [{ heading: 'Input' }, { heading: 'Files' }, numeric('Read'), numeric('Used'), numeric('Out of window'), numeric('Duplicates'), numeric('Set aside'), numeric('Rejected'), { heading: 'read = sum' }],
    rows,
    (i) => (i === acc.length ? 'total' : null),
  );
  const rate = t.read === 0 ? 0 : t.rejected / t.read;
  return section('accounting', 'Row accounting', body,
    `Every input row is used, outside the window, a duplicate, set aside (a vendor-internal event such as <code>$identify</code>), or rejected (listed in <code>rejects.csv</code>): read = used + out of window + duplicates + set aside + rejected. ` +
    `${formatPercent(rate, 2)} of rows were rejected.`);
}

/** Recoverable problems the stages collected. */
export function warningsSection(docs: RunDocuments): string {
  const w = docs.manifest.warnings;
  const body = w.length === 0
    ? '<p>None.</p>'
    : table([{ heading: 'Code' }, { heading: 'Stage' }, { heading: 'Message' }],
      w.map((x) => [`<code>${esc(x.code)}</code>`, esc(x.stage), esc(x.message)]));
  return section('warnings', `Warnings (${w.length})`, body);
}

/** Time per stage as bars, and the total. */
export function timingsSection(docs: RunDocuments): string {
  const t = docs.manifest.timings;
  const max = Math.max(0, ...t.map((x) => x.ms));
  const chart = barChart(
    t.map((x) => ({ label: x.stage, value: x.ms, display: formatMs(x.ms), colour: '#56B4E9' })),
    { width: 640, max, label: 'Time per stage' },
  );
  return section('timings', 'Timings', `<div class="card"><div class="chart-scroll">${chart}</div></div>`, `Total ${formatMs(totalMs(docs))}.`);
}

/** Inputs with fingerprints, the config and its hash. */
export function provenanceSection(docs: RunDocuments): string {
  const { manifest } = docs;
  const inputs = manifest.inputs.length === 0
    ? '<p>No input fingerprints.</p>'
    : table([{ heading: 'Input file' }, numeric('Size'), { heading: 'SHA-256' }],
      manifest.inputs.map((i) => [`<code>${esc(i.path)}</code>`, formatBytes(i.bytes), `<code>${esc(i.sha256)}</code>`]));
  const source = manifest.config.source === null ? 'CLI flags only' : `<code>${esc(manifest.config.source)}</code>`;
  return section('provenance', 'Provenance', inputs, `Config ${esc(manifest.config.name)} from ${source}, reproducible from <code>manifest.json</code>.`);
}

/** Versions and config hash. */
export function footer(docs: RunDocuments): string {
  const versions = sortedVersions(docs).map(([k, v]) => `${esc(k)} <code>${esc(v)}</code>`).join(' · ');
  return `<footer><div class="wrap">
<div>Run <code>${esc(docs.manifest.runId)}</code> · config hash <code>${esc(docs.manifest.configHash)}</code> · seed <code>${esc(docs.manifest.seed)}</code></div>
<div>${versions}</div>
<div>A self-contained file: no scripts, nothing loaded from the network.</div>
</div></footer>`;
}

/** Run documents whose every data value is hostile: markup, quotes, ampersands, pipes, backticks, newlines, URLs. */
import type { RunDocuments } from '../../../src/run/types.js';
import { makeRunDocuments } from '../../helpers/run-documents.js';

export const HOSTILE = '<script>alert(1)</script> "quotes" & \'apos\' </svg> | `tick` ```fence\nline2 https://evil.example/x.png';

export function makeHostileDocuments(): RunDocuments {
  const base = makeRunDocuments();
  const segments = base.segments.segments.map((s) => ({
    ...s,
    name: `${s.name} ${HOSTILE}`,
    description: `${HOSTILE} ${s.description}`,
    traits: s.traits.map((t) => ({
      ...t,
      label: `${t.label} ${HOSTILE}`,
      phrase: HOSTILE,
      ...(t.kind === 'category' ? { category: HOSTILE } : {}),
    })),
    overIndexedEvents: [HOSTILE, ...s.overIndexedEvents],
    underIndexedEvents: [...s.underIndexedEvents, HOSTILE],
  }));
  const rules = base.rules.rules.map((r) => ({ ...r, id: `${r.id}${HOSTILE}`, text: `${r.text} AND event = '${HOSTILE}'`, sql: `${r.sql} -- ${HOSTILE}` }));
  return makeRunDocuments({
    manifest: {
      runId: `run-${HOSTILE}`,
      startedAt: HOSTILE,
      configHash: HOSTILE,
      config: { ...base.manifest.config, name: HOSTILE, source: `/tmp/${HOSTILE}.yaml` },
      accounting: base.manifest.accounting.map((a) => ({ ...a, files: [`/data/${HOSTILE}.csv`] })),
      inputs: base.manifest.inputs.map((i) => ({ ...i, path: `/data/${HOSTILE}.csv` })),
      warnings: [...base.manifest.warnings, { code: 'W_REJECTED_ROWS', stage: HOSTILE, message: HOSTILE }],
      timings: [...base.manifest.timings, { stage: HOSTILE, ms: 1 }],
      versions: { ...base.manifest.versions, [HOSTILE]: HOSTILE },
    },
    segments: {
      segments,
      selection: { method: 'auto', reason: HOSTILE, strongStructure: false },
    },
    rules: { rules },
  });
}

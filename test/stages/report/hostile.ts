/** Run documents whose every data value is hostile: markup, quotes, ampersands, pipes, backticks, newlines, URLs. */
import type { RunDocuments } from '../../../src/run/types.js';
import type { PromotedMatches } from '../../../src/stages/report/index.js';
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

/** A run of characters with no break opportunity, longer than any column of the report is wide. */
export const UNBROKEN = 'x'.repeat(150);

/**
 * Hostile documents pushed to sizes real runs rarely reach: every name, label, event, rule and
 * message also carries an unbreakable 150-character run, effects are 60 times larger (values far
 * past the chart's axis) and k-selection scores run to nine digits. For layout tests: a report
 * must stay inside its cards and charts whatever the data.
 */
export function makeOversizedDocuments(): RunDocuments {
  const base = makeHostileDocuments();
  return makeRunDocuments({
    manifest: {
      ...base.manifest,
      config: { ...base.manifest.config, name: `${base.manifest.config.name}${UNBROKEN}` },
      warnings: [...base.manifest.warnings, { code: 'W_REJECTED_ROWS', stage: 'ingest', message: UNBROKEN }],
    },
    segments: {
      ...base.segments,
      map: base.segments.map.map(([x, y, s]) => [x * 10_000, y * 10_000, s] as [number, number, number]),
      scores: base.segments.scores.map((s) => ({ ...s, inertia: s.inertia * 1e5, calinskiHarabasz: s.calinskiHarabasz === null ? null : s.calinskiHarabasz * 1e4 })),
      segments: base.segments.segments.map((s) => ({
        ...s,
        name: `${s.name}${UNBROKEN}`,
        description: `${s.description}${UNBROKEN}`,
        traits: s.traits.map((t) => ({ ...t, label: `${t.label}${UNBROKEN}`, effect: t.effect * 60, phrase: UNBROKEN })),
        overIndexedEvents: [UNBROKEN, ...s.overIndexedEvents],
      })),
    },
    rules: { rules: base.rules.rules.map((r) => ({ ...r, id: `${r.id}${UNBROKEN}`, text: `${r.text}${UNBROKEN}`, sql: `${r.sql}${UNBROKEN}` })) },
  });
}

/** Promoted-segment matches (the report's `--ruleset` section) whose every text is hostile, for the segments of `docs`. */
export function makeHostileMatches(docs: RunDocuments, extra = ''): PromotedMatches {
  return {
    ruleset: `rulesets/${HOSTILE}${extra}`,
    compared: docs.segments.segments.length + 2,
    matches: docs.segments.segments.map((s, i) => ({
      segment: s.id,
      key: `key-${i}${extra}`,
      version: i + 1,
      name: `${HOSTILE}${extra}`,
      jaccard: 0.5 + i / 100,
      rule: `${HOSTILE}${extra}`,
      ruleDiffers: i % 2 === 0,
    })),
    // Promoted segments no segment matches: one overlapping a segment too little, one selecting nobody.
    unmatched: [
      { key: `unmatched-a${extra}`, version: 2, name: `${HOSTILE}${extra}`, rule: `${HOSTILE}${extra}`, selected: 1234, best: { segment: docs.segments.segments[0].id, jaccard: 0.21 } },
      { key: `unmatched-b${extra}`, version: 1, name: `${HOSTILE}${extra}`, rule: `${HOSTILE}${extra}`, selected: 0, best: null },
    ],
    skipped: [{ key: `skipped${extra}`, reason: `${HOSTILE}${extra}` }],
  };
}

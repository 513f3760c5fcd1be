/**
 * Run documents with a lineage against a previous run (keys, statuses, ended segments,
 * transitions, a 12-run size history, drift), every text carrying `text` — for the "Since the
 * previous run" section's escaping and layout tests.
 */
import type { HistoryRun, RunDocuments, SegmentsDoc } from '../../../src/run/types.js';

export function withLineage(docs: RunDocuments, text: string): RunDocuments {
  const segs = docs.segments.segments;
  const key = (i: number) => `seg-${text}${i}`;
  const previousRun = `run-before-${text}`;
  const statuses = ['stable', 'grown', 'split', 'merged', 'new'] as const;
  const segments = segs.map((s, i) => {
    const status = statuses[i % statuses.length];
    const inherits = status === 'stable' || status === 'grown';
    return {
      ...s,
      key: key(i),
      lineage: {
        previousRun,
        inheritedKey: inherits ? key(i) : null,
        matchedKey: key(i),
        score: 0.6 + i / 100,
        status,
        from: status === 'merged' ? [key(90), key(91)] : status === 'new' ? [] : [key(i)],
        previousName: i === 0 ? `old name ${text}` : null,
      },
    };
  });
  const history: HistoryRun[] = Array.from({ length: 12 }, (_, r) => ({
    runId: r === 11 ? null : `run-${r}-${text}`,
    end: `2026-0${1 + (r % 9)}-1${r % 10}T00:00:00Z${text}`,
    users: 1000 + r,
    segments: [
      ...segs.map((s, i) => ({ key: key(i), name: s.name, size: s.size + r * 10 * (i + 1), share: s.share })),
      ...(r < 11 ? [{ key: key(90), name: `ended ${text}`, size: 300 - r * 20, share: 0.1 }] : []),
    ],
  }));
  const lineage: NonNullable<SegmentsDoc['lineage']> = {
    job: `job ${text}`,
    previousRun,
    previousEnd: `2026-05-01T00:00:00Z${text}`,
    ended: [
      { key: key(90), name: `ended ${text}`, previousId: 3, size: 120, status: 'merged', into: [key(segs.length - 1)], score: 0.3 },
      { key: key(92), name: `gone ${text}`, previousId: 4, size: 40, status: 'dissolved', into: [], score: 0.1 },
    ],
    transitions: [
      ...segs.flatMap((_, i) => segs.map((__, j) => ({ from: key(i), to: key(j), users: i === j ? 300 : 7 }))),
      { from: key(90), to: key(segs.length - 1), users: 100 },
      { from: '-1', to: key(0), users: 12 },
      { from: '', to: key(1), users: 30 },
      { from: key(2), to: '', users: 9 },
      { from: key(2), to: '-1', users: 4 },
    ],
    sharedUsers: 1000,
    keptKey: 900,
    drift: [{ feature: 'events', label: `events ${text}`, psi: 0.31 }, { feature: 'x', label: `x ${text}`, psi: 0.12 }, { feature: 'y', label: 'y', psi: 0.01 }],
    warmStart: true,
  };
  return { ...docs, segments: { ...docs.segments, segments, lineage, history } };
}

/**
 * profile: what each segment is, in numbers and in words.
 *
 *   1. summarise every feature per segment once (means, SDs, medians, category counts)
 *   2. per segment: candidate traits (effect vs the rest / log2 lift), over- and under-indexed
 *      events
 *   3. names, unique across segments, and the few traits worth listing (those the name says
 *      among them)
 *   4. one-sentence descriptions
 */
import type { Segmentation } from '../cluster/segmentation.js';
import type { ResolvedConfig } from '../../config/types.js';
import type { FeatureTable } from '../features/types.js';
import { uniqueDescriptions } from './describe.js';
import { indexedEvents } from './indexing.js';
import { namedSegments } from './naming.js';
import { candidates, prepare, selectTraits } from './traits.js';
import type { SegmentProfile } from './types.js';

/**
 * Profiles segments 0..k-1 of a labelled feature table: size, share, traits (strongest first),
 * over-/under-indexed events, a unique human name and a one-sentence description.
 *
 * @example
 * const profiles = profileSegments(features, segmentationOf(features, cluster.labels, cluster.k), config.profile);
 * profiles[0].name // e.g. "Lapsed report viewers"
 */
export function profileSegments(features: FeatureTable, segmentation: Segmentation, config: ResolvedConfig['profile']): SegmentProfile[] {
  const { k, labels, sizes } = segmentation;
  const n = features.userIds.length;

  // 1. Per-feature summaries, shared by all segments.
  const prepared = features.columns.map((f) => prepare(f, labels, k));

  // 2. Candidate traits and events per segment.
  const candidatesOf = Array.from({ length: k }, (_, s) => ({ s, all: candidates(prepared, s, sizes[s], n), events: indexedEvents(prepared, s) }));

  // 3. Names, then the traits to list: a name's words among them ("Lapsed …" with no recency
  //    trait shown left its reader no way to check it, QA).
  const named = namedSegments(
    candidatesOf.map((g) => ({ id: g.s, size: sizes[g.s], candidates: g.all, overIndexedEvents: g.events.over })),
    n,
  );
  const names = named.map((x) => x.name);
  const segments = candidatesOf.map((g) => ({ ...g, traits: selectTraits(g.all, config.traits, named[g.s].said) }));

  // 4. Descriptions (unique within the run), and the profiles.
  const share = (s: number) => (n > 0 ? sizes[s] / n : 0);
  const descriptions = uniqueDescriptions(
    segments.map((g) => ({
      size: sizes[g.s],
      share: share(g.s),
      users: n,
      over: g.events.over,
      under: g.events.under,
      traits: g.traits,
      candidates: g.all,
      name: names[g.s],
    })),
  );
  return segments.map((g) => {
    return {
      id: g.s,
      size: sizes[g.s],
      share: share(g.s),
      name: names[g.s],
      description: descriptions[g.s],
      traits: g.traits.map((c) => c.trait),
      overIndexedEvents: g.events.over.map((e) => e.event),
      underIndexedEvents: g.events.under.map((e) => e.event),
    };
  });
}

/**
 * What sets two segments apart, for the warning about neighbours with no gap between them
 * (cluster/continuum.ts). That warning used to say they "may be one group cut in two, e.g. newer
 * and older or more and less active users of one persona" whatever they differed in; an outside
 * check's weekend players and early churners differ in when they play as much as in recency, and
 * the advice, followed, would have merged two real groups. Naming the features that differ most
 * lets the warning say which of the two readings the data supports.
 */
import { assertUnreachable } from '../../core/errors.js';
import type { FeatureMeaning } from '../../core/meaning.js';
import type { Segmentation } from '../cluster/segmentation.js';
import type { FeatureTable } from '../features/types.js';
import { summariseNumeric } from './stats.js';

/**
 * Whether a feature moves as one persona ages or cools: how much, how recently, how often,
 * trending how. Two segments apart only in these may be one persona at two stages; apart in what
 * they do (event mix, time of day, session shape, breadth, attributes) they are two groups that
 * blend into each other.
 */
function isStage(m: FeatureMeaning): boolean {
  switch (m.kind) {
    case 'events':
    case 'activeDays':
    case 'sessions':
    case 'daysSinceLastEvent':
    case 'daysSinceFirstEvent':
    case 'recencyInUsualGaps':
    case 'activeDayShare':
    case 'daysBetweenActiveDays':
    case 'recentShare':
      return true;
    case 'attributeAge':
      return m.tenure;
    case 'eventsPerSession':
    case 'sessionMinutes':
    case 'distinctEventTypes':
    case 'hourShare':
    case 'weekendShare':
    case 'peakDayShare':
    case 'eventCount':
    case 'eventShare':
    case 'value':
    case 'attribute':
      return false;
    default:
      return assertUnreachable(m);
  }
}

export interface PairDifference {
  /** The feature's label ("days since last event"). */
  readonly label: string;
  /** How much, how recently or how often (see isStage). */
  readonly stage: boolean;
  /** |mean a − mean b| over the two segments' pooled standard deviation. */
  readonly effect: number;
}

export interface Apart {
  /** The features that differ most, largest first. */
  readonly differences: readonly PairDifference[];
  /** Every one of them is a stage (see isStage). */
  readonly byStageOnly: boolean;
}

/**
 * The `count` clustered numeric or boolean features whose means differ most between segments `a`
 * and `b` (Cohen's d with their pooled SD; users missing a value are left out of its means, as
 * the profile's summaries leave them out).
 *
 * @example
 * apart(features, segmentation, 2, 4); // { differences: [{ label: 'days since last event', … }], byStageOnly: false }
 */
export function apart(features: Pick<FeatureTable, 'columns'>, segmentation: Segmentation, a: number, b: number, count = 3): Apart {
  const { labels, k } = segmentation;
  const differences: PairDifference[] = [];
  for (const f of features.columns) {
    if (f.kind === 'categorical' || f.describeOnly) continue;
    const { segments } = summariseNumeric(f.values, labels, k);
    const [ma, mb] = [segments[a], segments[b]];
    if (ma.count < 2 || mb.count < 2) continue;
    const pooled = Math.sqrt((ma.m2 + mb.m2) / (ma.count + mb.count - 2));
    if (!(pooled > 0)) continue;
    differences.push({ label: f.label, stage: isStage(f.meaning), effect: Math.abs(ma.mean - mb.mean) / pooled });
  }
  // Ties in effect keep the table's column order (a stable sort), so the wording is deterministic.
  const top = differences.sort((x, y) => y.effect - x.effect).slice(0, count);
  return { differences: top, byStageOnly: top.length > 0 && top.every((d) => d.stage) };
}


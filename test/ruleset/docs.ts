/**
 * Promoted segments written by hand (no run): a rule over users-table attributes, with a valid
 * content hash, for export tests that need exact values in the data (`$$`, coded categories).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PromotedFeature, PromotedSegment, PromotedVersion } from '../../src/ruleset/schema.js';
import { contentHash, renderEntry } from '../../src/ruleset/store.js';

type Condition = PromotedVersion['rule']['conditions'][number];

/** A users-table attribute feature (`attr_<column>` by convention). */
export function attribute(column: string, type: 'number' | 'boolean' | 'category'): PromotedFeature {
  return { label: column, definition: `${column}: column "${column}" of the users table, as it is`, meaning: { kind: 'attribute', source: 'users', column, type }, distribution: null };
}

export function promotedDoc(key: string, conditions: readonly Condition[], features: Record<string, PromotedFeature>, status: PromotedSegment['status'] = 'active'): PromotedSegment {
  const rule = { text: conditions.map((c) => c.label).join(' AND '), conditions };
  const window = { days: 90 };
  return {
    kind: 'segmint.promoted-segment',
    format: 1,
    key,
    status,
    name: key,
    description: '',
    owner: null,
    note: null,
    created_at: '2026-01-01T00:00:00.000Z',
    version: 1,
    content_hash: contentHash({ rule, features, window }),
    promoted_at: '2026-01-01T00:00:00.000Z',
    created_from: { run_id: 'run-1', job: 'adhoc', config_hash: '0000000000000000', inputs: [], seed: 42, segment: 0, segment_name: key, as_of: '2026-01-01T00:00:00Z' },
    window,
    rule,
    features,
    metrics: { size: 1, share: 0.5, selected: 1, true_positives: 1, precision: 1, recall: 1, f1: 1, lift: 2, support: 0.5 },
    source: {
      events: { columns: { userId: null, event: null, timestamp: null, eventId: null }, preset: null, eventName: null, eventCases: [] },
      users: { key: null, accountKey: null, exclude: [] },
      accounts: null,
      values: [],
      include_internal_events: false,
      max_reject_rate: 0.01,
    },
    history: [],
  };
}

/** Writes the documents as a ruleset folder (`<key>.yaml` each). */
export function writeRuleset(dir: string, docs: readonly PromotedSegment[]): void {
  mkdirSync(dir, { recursive: true });
  for (const doc of docs) writeFileSync(join(dir, `${doc.key}.yaml`), renderEntry(doc));
}

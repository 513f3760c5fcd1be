/**
 * Recognising a vendor export from the top-level keys of its first rows, and checking that a
 * file given with a preset has that preset's shape.
 *
 * Detection asks for keys only that vendor's export has, never the common names a plain
 * warehouse extract also uses (user_id, event, event_type, event_time, timestamp, distinct_id),
 * so a plain file is never mistaken for a vendor export.
 */
import { errors } from '../../../core/messages.js';
import type { Preset, PresetName } from './types.js';

interface Signature {
  readonly name: PresetName;
  /** Every key here must be present… */
  readonly all: readonly string[];
  /** …and at least one of these (empty = no further condition). */
  readonly any: readonly string[];
  /** None of these may be present. */
  readonly none?: readonly string[];
}

// Checked in order; the first match wins. Mixpanel's two-key shape comes last because Segment
// and PostHog rows also have `event` and `properties`.
const SIGNATURES: readonly Signature[] = [
  { name: 'segment', all: ['type'], any: ['messageId', 'anonymousId', 'originalTimestamp', 'receivedAt', 'sentAt'] },
  { name: 'ga4', all: ['event_name'], any: ['event_params', 'user_pseudo_id', 'event_bundle_sequence_id'] },
  {
    name: 'amplitude',
    all: ['event_type'],
    any: ['amplitude_id', '$insert_id', 'event_properties', 'user_properties', 'client_event_time', 'server_upload_time'],
  },
  { name: 'posthog', all: ['event', 'distinct_id'], any: ['properties', 'person_id', 'elements_chain', 'person_properties'] },
  { name: 'mixpanel', all: ['event', 'properties'], any: [], none: ['type', 'distinct_id', 'uuid', 'timestamp', 'user_id'] },
];

/**
 * The preset whose export has these top-level keys (from the first row of a file, or a CSV
 * header), or null for anything else, such as a plain `user_id,event,timestamp` file.
 *
 * @example
 * detectPreset(['event', 'properties']); // 'mixpanel'
 * detectPreset(['user_id', 'event', 'timestamp']); // null
 */
export function detectPreset(sampleKeys: readonly string[]): PresetName | null {
  const keys = new Set(sampleKeys);
  for (const s of SIGNATURES) {
    if (!s.all.every((k) => keys.has(k))) continue;
    if (s.any.length > 0 && !s.any.some((k) => keys.has(k))) continue;
    if (s.none?.some((k) => keys.has(k))) continue;
    return s.name;
  }
  return null;
}

/** The shape groups of `preset` that `keys` do not satisfy (each as its alternatives). */
export function missingShape(preset: Preset, keys: readonly string[]): string[] {
  const have = new Set(keys);
  return preset.shape.filter((group) => !group.some((k) => have.has(k))).map((group) => group.join(' or '));
}

/**
 * Throw when a file given with `preset` lacks the keys every row of that export has, naming
 * what is missing and, when the keys look like another vendor's, which preset to use instead.
 * An empty file (no keys) passes: it simply has no rows.
 *
 * @example
 * checkShape(getPreset('amplitude'), '/x/events.jsonl', ['event', 'properties']); // throws E_PRESET_SHAPE
 */
export function checkShape(preset: Preset, file: string, keys: readonly string[]): void {
  if (keys.length === 0) return;
  const missing = missingShape(preset, keys);
  if (missing.length > 0) throw errors.presetShapeMismatch(file, preset.name, missing, keys, detectPreset(keys));
}

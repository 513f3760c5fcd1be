/**
 * Vendor presets for warehouse tables. A vendor's warehouse sync (Segment's `tracks`,
 * Amplitude's and PostHog's event exports, Mixpanel's pipelines, GA4's BigQuery export) writes
 * plain columns, not the JSON messages the file presets read, so a preset here says which
 * columns hold what — the identified user with the anonymous or device id as fallback, the event,
 * the timestamp, the delivery id — and which event names are vendor bookkeeping (set aside) or
 * page/screen views (renamed), taken from the file preset so both read a vendor alike.
 */
import type { PresetName } from '../core/presets.js';
import { getPreset } from '../stages/ingest/presets/index.js';

export interface WarehousePreset {
  readonly name: PresetName;
  /** User id columns, most specific first: a row's user is the first one with a value. */
  readonly userIds: readonly string[];
  /** Candidate names of each column, in order of preference. */
  readonly event: readonly string[];
  readonly timestamp: readonly string[];
  /** Delivery id columns (deduplication); empty when the vendor has none. */
  readonly eventId: readonly string[];
  /** Vendor event names that are bookkeeping, not behaviour (as the file preset has them). */
  readonly internalEvents: readonly string[];
  /** Vendor event names renamed to a canonical one (as the file preset has them). */
  readonly renamedEvents: Readonly<Record<string, string>>;
}

/** Column names per vendor, as their warehouse exports write them. */
const COLUMNS: Readonly<Record<PresetName, Pick<WarehousePreset, 'userIds' | 'event' | 'timestamp' | 'eventId'>>> = {
  // Segment warehouses: `tracks` (and `pages`/`screens`) tables; `id` is the message id.
  segment: { userIds: ['user_id', 'anonymous_id'], event: ['event', 'event_text'], timestamp: ['timestamp', 'original_timestamp'], eventId: ['id', 'message_id'] },
  // Amplitude's export: `uuid` is unique per event; `event_id` is a per-device counter.
  amplitude: { userIds: ['user_id', 'device_id'], event: ['event_type'], timestamp: ['event_time', 'client_event_time'], eventId: ['uuid', '$insert_id', 'insert_id'] },
  // Mixpanel's data pipelines: one row per event, `time` in epoch seconds or a timestamp.
  mixpanel: { userIds: ['user_id', 'distinct_id', 'device_id'], event: ['event_name', 'event'], timestamp: ['time'], eventId: ['insert_id', '$insert_id'] },
  // PostHog's batch exports: `uuid` is the event's id.
  posthog: { userIds: ['person_id', 'distinct_id'], event: ['event'], timestamp: ['timestamp'], eventId: ['uuid'] },
  // GA4's BigQuery export: `event_timestamp` in epoch microseconds; no event id.
  ga4: { userIds: ['user_id', 'user_pseudo_id'], event: ['event_name'], timestamp: ['event_timestamp'], eventId: [] },
};

/** The warehouse reading of `name`. */
export function warehousePreset(name: PresetName): WarehousePreset {
  const file = getPreset(name);
  return { name, ...COLUMNS[name], internalEvents: file.internalEvents, renamedEvents: file.renamedEvents };
}

/** The first of `candidates` the table has (names compared case-insensitively), or null. */
export function firstPresent(candidates: readonly string[], columns: readonly string[]): string | null {
  for (const c of candidates) {
    const found = columns.find((name) => name.toLowerCase() === c.toLowerCase());
    if (found !== undefined) return found;
  }
  return null;
}

/**
 * Google Analytics 4: the BigQuery export (`events_YYYYMMDD` tables) exported as JSON lines or
 * Parquet: `event_date`, `event_timestamp` (microseconds; BigQuery's JSON export writes INT64
 * as a string), `event_name`, `event_params` and `user_properties` (arrays of
 * `{key, value: {string_value, int_value, float_value, double_value}}`), `user_id`,
 * `user_pseudo_id`, `device`, `geo`.
 *
 * Decisions:
 *  - the user is `user_id` when set, else `user_pseudo_id` (the browser/app instance);
 *  - `page_view` and `screen_view` are behaviour, renamed `page_viewed`/`screen_viewed`;
 *    automatically collected bookkeeping is internal: `session_start`, `first_visit`,
 *    `first_open`, `user_engagement` (an engagement-time heartbeat, not an action),
 *    `firebase_campaign`, `app_update`, `os_update`, `app_clear_data`, `notification_receive`,
 *    `notification_dismiss`; enhanced-measurement events (scroll, click, file_download, …) keep
 *    their names as behaviour;
 *  - GA4 rows have no event id, and the same day can be exported twice (intraday and daily
 *    tables), so the dedupe key is user_pseudo_id, event_timestamp, event_name,
 *    event_bundle_sequence_id and batch_event_index together;
 *  - `event_params` become `props` and `user_properties` become user properties (the value is
 *    whichever of string/int/double/float is set); `geo.country` and
 *    `device.operating_system` become `geo_country` / `device_os`.
 */
import { canonicalSelect, environment, extractFields, microsTimestamp, mergeObjects, notNull, renameCase, text } from './sql.js';
import { presetReadSql } from './read.js';
import type { Preset } from './types.js';

const INTERNAL = [
  'session_start',
  'first_visit',
  'first_open',
  'user_engagement',
  'firebase_campaign',
  'app_update',
  'os_update',
  'app_clear_data',
  'notification_receive',
  'notification_dismiss',
];

const RENAMED = { page_view: 'page_viewed', screen_view: 'screen_viewed' };

/**
 * A GA4 key/value array as one JSON object ({key: first non-null of string/int/double/float}).
 * Keys are unique within a GA4 array; JSON nulls for unset values are dropped later by the
 * merge that builds the row's properties.
 */
function keyValueObject(arr: string): string {
  const value = (k: string) => notNull(`json_extract(e, '$.value.${k}')`);
  const v = `COALESCE(${value('string_value')}, ${value('int_value')}, ${value('double_value')}, ${value('float_value')})`;
  return (
    `(CASE WHEN json_type(${arr}) = 'ARRAY' THEN (SELECT json_group_object(e ->> '$.key', ${v}) ` +
    `FROM (SELECT unnest(CAST(${arr} AS JSON[])) AS e) WHERE (e ->> '$.key') IS NOT NULL) END)`
  );
}

export const ga4: Preset = {
  name: 'ga4',
  description: 'Google Analytics 4 BigQuery export rows as JSON lines or Parquet',
  internalEvents: INTERNAL,
  renamedEvents: RENAMED,
  shape: [['event_name'], ['event_timestamp'], ['user_pseudo_id', 'user_id']],
  fields: {
    userId: 'user_id or user_pseudo_id',
    event: 'event_name',
    timestamp: 'event_timestamp',
    timestampFormat: 'epoch_us',
    eventId: 'user_pseudo_id, event_timestamp, event_name, event_bundle_sequence_id and batch_event_index',
  },
  readSql: presetReadSql,
  canonicalSql(rawTable) {
    const { from, f } = extractFields(rawTable, {
      name: ['event_name'],
      time: ['event_timestamp'],
      uid: ['user_id'],
      pseudo: ['user_pseudo_id'],
      params: ['event_params'],
      user_props: ['user_properties'],
      bundle: ['event_bundle_sequence_id'],
      batch_index: ['batch_event_index'],
      country: ['geo', 'country'],
      os: ['device', 'operating_system'],
    });
    const vendorEvent = text(f.name);
    const env = environment({ geo_country: text(f.country), device_os: text(f.os) });
    return canonicalSelect(
      from,
      {
        user_id: `COALESCE(${text(f.uid)}, ${text(f.pseudo)})`,
        event: renameCase(vendorEvent, RENAMED),
        vendor_event: vendorEvent,
        ts: microsTimestamp(text(f.time)),
        ts_raw: text(f.time),
        insert_id:
          `concat_ws('|', COALESCE(${text(f.pseudo)}, ${text(f.uid)}), ${text(f.time)}, ${vendorEvent}, ` +
          `${text(f.bundle)}, ${text(f.batch_index)})`,
        row_kind: `'event'`,
        user_props: mergeObjects(env, keyValueObject(f.user_props)),
        user_props_once: 'NULL',
        account_id: 'NULL',
        account_props: 'NULL',
        props: mergeObjects(keyValueObject(f.params)),
      },
      INTERNAL,
    );
  },
};

/**
 * Amplitude: the Export API's archive (a zip of hourly `<project>_<date>_<hour>#<n>.json.gz`
 * files, each JSON lines) or the S3 export, with `user_id`/`device_id`, `event_type`,
 * `event_time` ("2024-05-01 12:34:56.789000", UTC), `event_properties`, `user_properties`,
 * `groups`, `$insert_id` and `uuid`.
 *
 * Decisions:
 *  - `user_id` when set, else `device_id` (anonymous users stay separate: no identity stitching);
 *  - session markers, `$identify`/`$groupidentify` and app lifecycle autocapture
 *    ("[Amplitude] Start Session", "Application Opened/Backgrounded/Updated/Installed",
 *    "Network Request") are internal; page and screen views are behaviour, renamed
 *    `page_viewed`/`screen_viewed`; other autocapture (clicks, forms) keeps its name;
 *  - `user_properties` on an exported event is the user's state after that event, so the latest
 *    row gives the latest value; a row holding raw operations (`$set`/`$setOnce`) is read as such;
 *  - the dedupe key is `$insert_id` scoped by device (Amplitude's own rule), else `uuid`;
 *  - the account is the first group in `groups` by group type; group properties are not in
 *    event rows, so accounts need their own table.
 */
import { canonicalSelect, environment, extractFields, firstGroupId, isoTimestamp, mergeObjects, object, renameCase, text } from './sql.js';
import { presetReadSql } from './read.js';
import type { Preset } from './types.js';

const INTERNAL = [
  'session_start',
  'session_end',
  '$identify',
  '$groupidentify',
  '[Amplitude] Start Session',
  '[Amplitude] End Session',
  '[Amplitude] Application Installed',
  '[Amplitude] Application Updated',
  '[Amplitude] Application Opened',
  '[Amplitude] Application Backgrounded',
  '[Amplitude] Network Request',
];

const RENAMED = { '[Amplitude] Page Viewed': 'page_viewed', '[Amplitude] Screen Viewed': 'screen_viewed' };

export const amplitude: Preset = {
  name: 'amplitude',
  description: 'Amplitude Export API / S3 export (hourly .json.gz files of JSON lines)',
  internalEvents: INTERNAL,
  renamedEvents: RENAMED,
  shape: [['event_type'], ['user_id', 'device_id'], ['event_time', 'client_event_time']],
  fields: {
    userId: 'user_id or device_id',
    event: 'event_type',
    timestamp: 'event_time or client_event_time',
    timestampFormat: 'iso',
    eventId: '$insert_id per device, else uuid',
  },
  readSql: presetReadSql,
  canonicalSql(rawTable) {
    const { from, f } = extractFields(rawTable, {
      uid: ['user_id'],
      device: ['device_id'],
      type: ['event_type'],
      time: ['event_time'],
      client_time: ['client_event_time'],
      insert: ['$insert_id'],
      uuid: ['uuid'],
      event_props: ['event_properties'],
      user_props: ['user_properties'],
      groups: ['groups'],
      country: ['country'],
      os: ['os_name'],
    });
    const tsRaw = `COALESCE(${text(f.time)}, ${text(f.client_time)})`;
    const up = object(f.user_props);
    // Raw identify payloads hold operations ({"$set": {…}, "$setOnce": {…}}), not values.
    const ops = `(json_exists(${up}, '$."$set"') OR json_exists(${up}, '$."$setOnce"'))`;
    const env = environment({ geo_country: text(f.country), device_os: text(f.os) });
    const vendorEvent = text(f.type);
    return canonicalSelect(
      from,
      {
        user_id: `COALESCE(${text(f.uid)}, ${text(f.device)})`,
        event: renameCase(vendorEvent, RENAMED),
        vendor_event: vendorEvent,
        ts: isoTimestamp(tsRaw),
        ts_raw: tsRaw,
        insert_id:
          `CASE WHEN ${text(f.insert)} IS NOT NULL ` +
          `THEN concat(COALESCE(${text(f.device)}, ${text(f.uid)}, ''), '/', ${text(f.insert)}) ELSE ${text(f.uuid)} END`,
        row_kind: `CASE ${vendorEvent} WHEN '$identify' THEN 'identify' WHEN '$groupidentify' THEN 'group' ELSE 'event' END`,
        user_props: mergeObjects(env, `CASE WHEN ${ops} THEN ${object(`(${up} -> '$."$set"')`)} ELSE ${up} END`),
        user_props_once: `CASE WHEN ${ops} THEN ${object(`(${up} -> '$."$setOnce"')`)} END`,
        account_id: firstGroupId(object(f.groups)),
        account_props: 'NULL',
        props: object(f.event_props),
      },
      INTERNAL,
    );
  },
};



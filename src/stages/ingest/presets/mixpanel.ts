/**
 * Mixpanel: the Raw Event Export API (JSON lines of `{"event": …, "properties": {…}}`), with
 * `distinct_id`, `time` (epoch seconds, or milliseconds with `time_in_ms=true`), `$insert_id`,
 * and under Simplified ID Merge `$user_id` / `$device_id`.
 *
 * Decisions:
 *  - the user is `$user_id`, else `distinct_id` with Simplified ID Merge's `$device:` prefix
 *    removed (so an anonymous user has the same id as its device), else `$device_id`;
 *  - `time` is read per row as seconds or milliseconds from its magnitude;
 *  - `$identify`, `$create_alias` and `$merge` link identities (internal, kind `alias`); session
 *    and app-lifecycle events (`$session_start`, `$session_end`, `$ae_session`, `$ae_first_open`,
 *    `$ae_updated`) are internal; `$mp_web_page_view` is behaviour, renamed `page_viewed`;
 *  - Mixpanel deduplicates on event name, distinct_id, time (to the second) and `$insert_id`,
 *    so the dedupe key is those four together;
 *  - user profiles live apart from events in Mixpanel (the Engage API), so the only user
 *    properties here are the environment ones: `geo_country` (mp_country_code) and `device_os`
 *    ($os).
 */
import { canonicalSelect, environment, epochTimestamp, extractFields, extractNested, mergeObjects, object, renameCase, text } from './sql.js';
import { presetReadSql } from './read.js';
import type { Preset } from './types.js';

const INTERNAL = ['$identify', '$create_alias', '$merge', '$session_start', '$session_end', '$ae_session', '$ae_first_open', '$ae_updated'];

const RENAMED = { $mp_web_page_view: 'page_viewed' };

export const mixpanel: Preset = {
  name: 'mixpanel',
  description: 'Mixpanel raw event export (JSON lines of {event, properties})',
  internalEvents: INTERNAL,
  renamedEvents: RENAMED,
  shape: [['event'], ['properties']],
  fields: {
    userId: 'properties.$user_id, distinct_id or $device_id',
    event: 'event',
    timestamp: 'properties.time',
    timestampFormat: 'epoch_s',
    eventId: 'event, distinct_id, time and $insert_id',
  },
  readSql: presetReadSql,
  canonicalSql(rawTable) {
    const { from, f } = extractFields(rawTable, {
      ev: ['event'],
      properties: ['properties'],
    });
    // Mixpanel's export nests everything in `properties`: one parse of it for all fields.
    const p = 'p';
    const nested = extractNested(`(SELECT *, ${object(f.properties)} AS ${p} FROM ${from})`, p, {
      distinct_id: ['distinct_id'],
      $user_id: ['$user_id'],
      $device_id: ['$device_id'],
      time: ['time'],
      $insert_id: ['$insert_id'],
      mp_country_code: ['mp_country_code'],
      $os: ['$os'],
    });
    const prop = (key: keyof typeof nested.f) => text(nested.f[key]);
    const distinct = `regexp_replace(${prop('distinct_id')}, '^\\$device:', '')`;
    const ts = epochTimestamp(prop('time'));
    const vendorEvent = text(f.ev);
    return canonicalSelect(
      nested.from,
      {
        user_id: `COALESCE(${prop('$user_id')}, NULLIF(${distinct}, ''), ${prop('$device_id')})`,
        event: renameCase(vendorEvent, RENAMED),
        vendor_event: vendorEvent,
        ts,
        ts_raw: prop('time'),
        insert_id:
          `CASE WHEN ${prop('$insert_id')} IS NOT NULL THEN concat_ws('|', ${vendorEvent}, ${prop('distinct_id')}, ` +
          `CAST(floor(epoch(${ts})) AS BIGINT), ${prop('$insert_id')}) END`,
        row_kind: `CASE WHEN ${vendorEvent} IN ('$identify', '$create_alias', '$merge') THEN 'alias' ELSE 'event' END`,
        user_props: mergeObjects(environment({ geo_country: prop('mp_country_code'), device_os: prop('$os') })),
        user_props_once: 'NULL',
        account_id: 'NULL',
        account_props: 'NULL',
        props: p,
      },
      INTERNAL,
    );
  },
};

/**
 * PostHog: batch exports (S3 / file download, JSON lines or Parquet) and CSV downloads of the
 * events table: `uuid`, `event`, `distinct_id`, `person_id`, `timestamp`, `properties` (an
 * object in JSON lines, JSON-encoded text in Parquet and CSV), `person_properties`, and in
 * `properties` the person updates `$set` / `$set_once` and group info `$groups`,
 * `$group_type`/`$group_key`/`$group_set`.
 *
 * Decisions:
 *  - the user is `distinct_id` (your own id once identified; `person_id` is PostHog's internal
 *    UUID and only the fallback);
 *  - `$pageview`, `$screen` (renamed `page_viewed`, `screen_viewed`), `$autocapture`,
 *    `$rageclick` and custom events are behaviour; identity and person/group updates
 *    (`$identify`, `$set`, `$create_alias`, `$merge_dangerously`, `$groupidentify`) and
 *    telemetry (`$feature_flag_called`, `$pageleave`, `$web_vitals`, `$exception`, `$opt_in`,
 *    `$snapshot`) are internal;
 *  - user properties: `person_properties` (the person as ingested), then the row's `$set`
 *    (and a top-level `set`, as older exports have) overwrite; `$set_once` only fills keys
 *    never set;
 *  - the account is `$group_key` on `$groupidentify` (with `$group_set` as its properties),
 *    else the first of `$groups` by group type;
 *  - `uuid` is the dedupe key (PostHog: "each event is uniquely identified by a UUID").
 */
import { canonicalSelect, environment, extractFields, extractNested, firstGroupId, isoTimestamp, mergeObjects, object, renameCase, text } from './sql.js';
import { presetReadSql } from './read.js';
import type { Preset } from './types.js';

const INTERNAL = [
  '$identify',
  '$set',
  '$create_alias',
  '$merge_dangerously',
  '$groupidentify',
  '$feature_flag_called',
  '$pageleave',
  '$web_vitals',
  '$exception',
  '$opt_in',
  '$snapshot',
];

const RENAMED = { $pageview: 'page_viewed', $screen: 'screen_viewed' };

export const posthog: Preset = {
  name: 'posthog',
  description: 'PostHog event export (batch export JSON lines / Parquet, or CSV with a properties column)',
  internalEvents: INTERNAL,
  renamedEvents: RENAMED,
  shape: [['event'], ['distinct_id', 'person_id'], ['timestamp']],
  fields: {
    userId: 'distinct_id or person_id',
    event: 'event',
    timestamp: 'timestamp',
    timestampFormat: 'iso',
    eventId: 'uuid',
  },
  readSql: presetReadSql,
  canonicalSql(rawTable) {
    const { from, f } = extractFields(rawTable, {
      uuid: ['uuid'],
      ev: ['event'],
      distinct: ['distinct_id'],
      person: ['person_id'],
      time: ['timestamp'],
      properties: ['properties'],
      person_props: ['person_properties'],
      set: ['set'],
      set_once: ['set_once'],
    });
    // `properties` may be JSON-encoded text (CSV, Parquet): parse it once, then read inside it.
    const p = 'p';
    const nested = extractNested(`(SELECT *, ${object(f.properties)} AS ${p} FROM ${from})`, p, {
      set_: ['$set'],
      set_once_: ['$set_once'],
      groups_: ['$groups'],
      group_key: ['$group_key'],
      group_set: ['$group_set'],
      country: ['$geoip_country_code'],
      os: ['$os'],
    });
    const g = nested.f;
    const vendorEvent = text(f.ev);
    const groupIdentify = `${vendorEvent} = '$groupidentify'`;
    const env = environment({ geo_country: text(g.country), device_os: text(g.os) });
    return canonicalSelect(
      nested.from,
      {
        user_id: `COALESCE(${text(f.distinct)}, ${text(f.person)})`,
        event: renameCase(vendorEvent, RENAMED),
        vendor_event: vendorEvent,
        ts: isoTimestamp(text(f.time)),
        ts_raw: text(f.time),
        insert_id: text(f.uuid),
        row_kind:
          `CASE WHEN ${vendorEvent} IN ('$identify', '$set') THEN 'identify' WHEN ${groupIdentify} THEN 'group' ` +
          `WHEN ${vendorEvent} IN ('$create_alias', '$merge_dangerously') THEN 'alias' ELSE 'event' END`,
        user_props: mergeObjects(env, object(f.person_props), object(g.set_), object(f.set)),
        user_props_once: `COALESCE(${object(g.set_once_)}, ${object(f.set_once)})`,
        account_id: `CASE WHEN ${groupIdentify} THEN ${text(g.group_key)} ELSE ${firstGroupId(object(g.groups_))} END`,
        account_props: `CASE WHEN ${groupIdentify} THEN ${object(g.group_set)} END`,
        props: p,
      },
      INTERNAL,
    );
  },
};

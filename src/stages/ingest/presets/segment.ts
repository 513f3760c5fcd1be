/**
 * Segment: raw messages as Segment archives them (S3 destination, Data Lakes raw, or any JSON
 * lines of the tracking API's messages): `type`, `userId`/`anonymousId`, `event`, `timestamp`,
 * `messageId`, `properties`, `traits`, `groupId`, `context`.
 *
 * Decisions:
 *  - `track` is behaviour under its own `event` name;
 *  - `page` and `screen` are behaviour too (a page view is what a user did), named `page_viewed`
 *    and `screen_viewed` like every other preset's page/screen views (the page's name, path and
 *    url stay in `props`);
 *  - `identify` carries user traits, `group` maps the user to `groupId` and carries the account's
 *    traits, `alias` links ids: all three are internal;
 *  - `timestamp` is Segment's corrected event time; `originalTimestamp` is the fallback;
 *  - `messageId` is the deduplication key (Segment retries deliver the same message twice).
 *  - Segment's warehouse schema (Data Lakes, a `tracks` table exported as CSV or Parquet) names
 *    the same fields in snake_case — `user_id`, `anonymous_id`, `original_timestamp`, and `id`
 *    for the message id — and has no `type` (a row with an `event` is a track call). With the
 *    preset named, those are read too; detection still asks for the raw messages' own keys, so a
 *    plain extract with `user_id` and `anonymous_id` is never taken for Segment's.
 */
import { quoteLiteral } from '../../../core/sql.js';
import { canonicalSelect, environment, extractFields, isoTimestamp, mergeObjects, object, text } from './sql.js';
import { presetReadSql } from './read.js';
import type { Preset } from './types.js';

const BEHAVIOUR_TYPES = ['track', 'page', 'screen'];

export const segment: Preset = {
  name: 'segment',
  description: 'Segment messages (track/page/screen/identify/group/alias) as JSON lines',
  internalEvents: [],
  renamedEvents: { page: 'page_viewed', screen: 'screen_viewed' },
  shape: [['type', 'event'], ['userId', 'anonymousId', 'user_id', 'anonymous_id'], ['timestamp', 'originalTimestamp', 'original_timestamp']],
  fields: {
    userId: 'userId or anonymousId',
    event: 'event (track), page or screen',
    timestamp: 'timestamp or originalTimestamp',
    timestampFormat: 'iso',
    eventId: 'messageId',
  },
  readSql: presetReadSql,
  canonicalSql(rawTable) {
    const { from, f } = extractFields(rawTable, {
      type: ['type'],
      uid: ['userId'],
      anon: ['anonymousId'],
      ev: ['event'],
      time: ['timestamp'],
      original: ['originalTimestamp'],
      mid: ['messageId'],
      // The warehouse schema's snake_case names (Data Lakes).
      uidSnake: ['user_id'],
      anonSnake: ['anonymous_id'],
      originalSnake: ['original_timestamp'],
      midSnake: ['id'],
      properties: ['properties'],
      traits: ['traits'],
      gid: ['groupId'],
      country: ['context', 'location', 'country'],
      os: ['context', 'os', 'name'],
    });
    // A message without `type` but with an `event` is a track call written by hand.
    const type = `COALESCE(lower(${text(f.type)}), CASE WHEN ${text(f.ev)} IS NOT NULL THEN 'track' END)`;
    const tsRaw = `COALESCE(${text(f.time)}, ${text(f.original)}, ${text(f.originalSnake)})`;
    const env = environment({ geo_country: text(f.country), device_os: text(f.os) });
    return canonicalSelect(
      `(SELECT *, ${type} AS kind FROM ${from})`,
      {
        user_id: `COALESCE(${text(f.uid)}, ${text(f.uidSnake)}, ${text(f.anon)}, ${text(f.anonSnake)})`,
        event: `CASE kind WHEN 'track' THEN ${text(f.ev)} WHEN 'page' THEN 'page_viewed' WHEN 'screen' THEN 'screen_viewed' ELSE kind END`,
        vendor_event: `CASE kind WHEN 'track' THEN ${text(f.ev)} ELSE kind END`,
        ts: isoTimestamp(tsRaw),
        ts_raw: tsRaw,
        insert_id: `COALESCE(${text(f.mid)}, ${text(f.midSnake)})`,
        row_kind: `CASE kind WHEN 'identify' THEN 'identify' WHEN 'group' THEN 'group' WHEN 'alias' THEN 'alias' ELSE 'event' END`,
        user_props: mergeObjects(env, `CASE kind WHEN 'identify' THEN ${object(f.traits)} END`),
        user_props_once: 'NULL',
        account_id: `CASE kind WHEN 'group' THEN ${text(f.gid)} END`,
        account_props: `CASE kind WHEN 'group' THEN ${object(f.traits)} END`,
        props: object(f.properties),
        // Unknown message types (a future Segment call, a malformed row) are not behaviour.
        internalWhen: `kind IS NULL OR kind NOT IN (${BEHAVIOUR_TYPES.map(quoteLiteral).join(', ')})`,
      },
      [],
    );
  },
};

/** The shared SQL snippets: timestamps, JSON values, objects, groups, merging. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { quoteLiteral } from '../../../../src/core/sql.js';
import {
  at,
  epochTimestamp,
  firstGroupId,
  isoTimestamp,
  mergeObjects,
  microsTimestamp,
  object,
  text,
} from '../../../../src/stages/ingest/presets/sql.js';
import { withDb } from './helpers.js';

const ISO = (expr: string) => `strftime(${expr}, '%Y-%m-%dT%H:%M:%S.%fZ')`;
const json = (v: string) => `${quoteLiteral(v)}::JSON`;

describe('isoTimestamp', () => {
  it('reads the vendors\' spellings as UTC, applying explicit offsets', async () => {
    const cases: [string, string | null][] = [
      ['2024-05-01T11:15:00.000+02:00', '2024-05-01T09:15:00.000000Z'], // Segment with a local offset
      ['2024-05-01T04:15:00-0500', '2024-05-01T09:15:00.000000Z'],
      ['2024-05-01T09:15:00Z', '2024-05-01T09:15:00.000000Z'],
      ['2024-05-01T09:15:00.123000+00:00', '2024-05-01T09:15:00.123000Z'], // PostHog batch export
      ['2024-05-01 09:15:00.123456', '2024-05-01T09:15:00.123456Z'], // Amplitude event_time
      ['2024-05-01', '2024-05-01T00:00:00.000000Z'],
      ['yesterday', null],
    ];
    await withDb(async (db) => {
      for (const [input, expected] of cases) {
        const [r] = await db.all<{ t: string | null }>(`SELECT ${ISO(isoTimestamp(quoteLiteral(input)))} AS t`);
        expect(r.t, input).toBe(expected);
      }
    });
  });

  it('does not depend on the session time zone', async () => {
    await withDb(async (db) => {
      await db.run(`SET TimeZone = 'America/Los_Angeles'`);
      const [r] = await db.all<{ t: string }>(`SELECT ${ISO(isoTimestamp(`'2024-05-01T11:15:00+02:00'`))} AS t`);
      expect(r.t).toBe('2024-05-01T09:15:00.000000Z');
    });
  });
});

describe('epochTimestamp', () => {
  it('reads seconds, milliseconds and microseconds by magnitude, fractions to the microsecond', async () => {
    const cases: [string, string | null][] = [
      ['1714554005', '2024-05-01T09:00:05.000000Z'],
      ['1714554005.25', '2024-05-01T09:00:05.250000Z'],
      ['1714554005250', '2024-05-01T09:00:05.250000Z'],
      ['1714554005250123', '2024-05-01T09:00:05.250123Z'],
      ['soon', null],
    ];
    await withDb(async (db) => {
      for (const [input, expected] of cases) {
        const [r] = await db.all<{ t: string | null }>(`SELECT ${ISO(epochTimestamp(quoteLiteral(input)))} AS t`);
        expect(r.t, input).toBe(expected);
      }
    });
  });

  it('agrees with JavaScript dates for any millisecond instant 2001–2100, in either unit', async () => {
    await withDb(async (db) => {
      await fc.assert(
        fc.asyncProperty(fc.array(fc.integer({ min: 978_307_200_000, max: 4_102_444_800_000 }), { minLength: 1, maxLength: 40 }), async (times) => {
          const values = times.map((t) => `(${t}, ${quoteLiteral(String(t))}, ${quoteLiteral(String(t / 1000))})`).join(', ');
          const rows = await db.all<{ t: number; a: string; b: string }>(
            `SELECT t, strftime(${epochTimestamp('ms')}, '%Y-%m-%dT%H:%M:%S.%gZ') AS a, ` +
              `strftime(${epochTimestamp('s')}, '%Y-%m-%dT%H:%M:%S.%gZ') AS b FROM (VALUES ${values}) v(t, ms, s)`,
          );
          for (const r of rows) {
            const expected = new Date(Number(r.t)).toISOString();
            expect(r.a).toBe(expected);
            expect(r.b).toBe(expected);
          }
        }),
        { numRuns: 25 },
      );
    });
  });

  it('microsTimestamp is exact for GA4 microseconds, as string or number', async () => {
    await withDb(async (db) => {
      const [r] = await db.all<{ a: string; b: string }>(
        `SELECT ${ISO(microsTimestamp(`'1714554005250123'`))} AS a, ${ISO(microsTimestamp(text(`'1714554005250123'::JSON`)))} AS b`,
      );
      expect(r).toEqual({ a: '2024-05-01T09:00:05.250123Z', b: '2024-05-01T09:00:05.250123Z' });
    });
  });
});

describe('JSON values', () => {
  it('text: strings unquoted, numbers and booleans as written, null/blank as NULL, objects as JSON', async () => {
    await withDb(async (db) => {
      const [r] = await db.all(
        `SELECT ${text(json('"pro"'))} AS s, ${text(json('12'))} AS n, ${text(json('true'))} AS b, ${text(json('null'))} AS z, ` +
          `${text(json('"  "'))} AS blank, ${text(json('{"a":1}'))} AS o, ${text('NULL::JSON')} AS missing`,
      );
      expect(r).toEqual({ s: 'pro', n: '12', b: 'true', z: null, blank: null, o: '{"a":1}', missing: null });
    });
  });

  it('object: an object, or a JSON-encoded object in a string; anything else is NULL', async () => {
    await withDb(async (db) => {
      const [r] = await db.all(
        `SELECT ${object(json('{"a":1}'))} AS o, ${object(json(JSON.stringify('{"a":1}')))} AS encoded, ` +
          `${object(json('"not json"'))} AS str, ${object(json('[1]'))} AS arr, ${object(json(JSON.stringify('[1]')))} AS encodedArr, ` +
          `${object(json('null'))} AS z`,
      );
      expect(r).toEqual({ o: '{"a":1}', encoded: '{"a":1}', str: null, arr: null, encodedArr: null, z: null });
    });
  });

  it('at: keys with $, dots, slashes and quotes are single keys', async () => {
    const doc = json(JSON.stringify({ $insert_id: 'i', 'a.b': 'dot', 'x/y': 'slash', "it's \"q\"": 'quote', a: { b: 'nested' } }));
    await withDb(async (db) => {
      const [r] = await db.all(
        `SELECT ${text(at(doc, '$insert_id'))} AS i, ${text(at(doc, 'a.b'))} AS dot, ${text(at(doc, 'x/y'))} AS slash, ` +
          `${text(at(doc, `it's "q"`))} AS quote, ${text(at(doc, 'a', 'b'))} AS nested`,
      );
      expect(r).toEqual({ i: 'i', dot: 'dot', slash: 'slash', quote: 'quote', nested: 'nested' });
    });
  });

  it('firstGroupId: the first group type in sorted order; an array gives its first id', async () => {
    await withDb(async (db) => {
      const [r] = await db.all(
        `SELECT ${firstGroupId(json('{"company":"acme","b_team":"tigers"}'))} AS two, ${firstGroupId(json('{"company":["acme","beta"]}'))} AS arr, ` +
          `${firstGroupId(json('{}'))} AS empty, ${firstGroupId(json('"acme"'))} AS str, ${firstGroupId('NULL::JSON')} AS missing, ` +
          `${firstGroupId(json('{"$org":"o1","z":"x"}'))} AS dollar, ${firstGroupId(json('{"a\\"q/b":"t"}'))} AS quoted`,
      );
      expect(r).toEqual({ two: 'tigers', arr: 'acme', empty: null, str: null, missing: null, dollar: 'o1', quoted: 't' });
    });
  });

  it('mergeObjects: later keys win, JSON nulls and NULL objects drop out, nothing left is NULL', async () => {
    await withDb(async (db) => {
      const [r] = await db.all(
        `SELECT ${mergeObjects(json('{"a":1,"b":2}'), 'NULL::JSON', json('{"b":3,"c":null}'))} AS m, ` +
          `${mergeObjects(json('{"a":null}'), 'NULL::JSON')} AS none`,
      );
      expect(r).toEqual({ m: '{"a":1,"b":3}', none: null });
    });
  });
});

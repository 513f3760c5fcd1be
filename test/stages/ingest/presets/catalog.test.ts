/** Looking presets up, recognising exports, and refusing files that are not what the preset reads. */
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { errors } from '../../../../src/core/messages.js';
import {
  CANONICAL_COLUMNS,
  PRESET_NAMES,
  detectPreset,
  getPreset,
  loadPresetEvents,
  loadPresetRaw,
} from '../../../../src/stages/ingest/presets/index.js';
import { tempDir } from '../../../helpers/tmp.js';
import { expectCatalogError, fixture, folder, withDb } from './helpers.js';

const dir = tempDir('segmint-presets-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('getPreset', () => {
  it('finds every preset by name, ignoring case and surrounding space', () => {
    for (const name of PRESET_NAMES) expect(getPreset(name).name).toBe(name);
    expect(getPreset(' GA4 ').name).toBe('ga4');
    expect(getPreset('Segment').name).toBe('segment');
  });

  it('rejects an unknown name with the catalog error listing the presets', async () => {
    await expectCatalogError(() => getPreset('heap'), errors.unknownPreset('heap', PRESET_NAMES));
    expect(errors.unknownPreset('heap', PRESET_NAMES).oneLine()).toBe(
      'error: unknown source preset "heap" (known: segment, amplitude, mixpanel, posthog, ga4) ' +
        '(hint: set source.preset to one of those, or leave it out to read plain CSV / JSON lines / Parquet columns)',
    );
  });

  it('never lists a renamed event as internal (a page view is behaviour everywhere)', () => {
    for (const name of PRESET_NAMES) {
      const p = getPreset(name);
      for (const [from, to] of Object.entries(p.renamedEvents)) {
        expect(p.internalEvents).not.toContain(from);
        expect(['page_viewed', 'screen_viewed']).toContain(to);
      }
    }
  });
});

describe('detectPreset', () => {
  it('recognises each vendor from the first row\'s keys, whatever that row is', () => {
    expect(detectPreset(['type', 'traits', 'userId', 'messageId', 'timestamp'])).toBe('segment'); // an identify first
    expect(detectPreset(['anonymousId', 'type', 'event', 'properties', 'timestamp'])).toBe('segment');
    expect(detectPreset(['event_type', 'user_id', 'device_id', 'event_time', '$insert_id', 'uuid'])).toBe('amplitude');
    expect(detectPreset(['event', 'properties'])).toBe('mixpanel');
    expect(detectPreset(['uuid', 'event', 'distinct_id', 'person_id', 'properties', 'timestamp'])).toBe('posthog');
    expect(detectPreset(['event_date', 'event_timestamp', 'event_name', 'event_params', 'user_pseudo_id'])).toBe('ga4');
  });

  it('returns null for plain extracts that use the common column names', () => {
    for (const keys of [
      ['user_id', 'event', 'timestamp'],
      ['user_id', 'event_type', 'event_time'],
      ['distinct_id', 'event', 'timestamp'],
      ['distinct_id', 'event', 'timestamp', 'uuid'],
      ['user_id', 'event_name', 'event_timestamp'],
      ['type', 'userId', 'event', 'timestamp'],
      ['event', 'properties', 'user_id', 'timestamp'],
      [],
    ]) {
      expect(detectPreset(keys), keys.join(',')).toBeNull();
    }
  });
});

describe('loading', () => {
  it('refuses a file that is not the preset\'s export, naming the preset it looks like', async () => {
    const file = fixture('mixpanel', 'export.jsonl');
    await withDb(async (db) => {
      await expectCatalogError(
        () => loadPresetEvents(db, getPreset('amplitude'), [file], 'canon'),
        errors.presetShapeMismatch(
          file,
          'amplitude',
          ['event_type', 'user_id or device_id', 'event_time or client_event_time'],
          ['event', 'properties'],
          'mixpanel',
        ),
      );
      const plain = fixture('plain.csv');
      const e = errors.presetShapeMismatch(plain, 'posthog', ['distinct_id or person_id'], ['user_id', 'event', 'timestamp'], null);
      await expectCatalogError(() => loadPresetEvents(db, getPreset('posthog'), [plain], 'canon'), e);
      expect(e.hint).toBe('check source.preset, or leave it out to read the file as plain columns');
    });
  });

  it('stops on a malformed line with the file named', async () => {
    const file = path.join(dir, 'broken.jsonl');
    writeFileSync(file, '{"event":"a","properties":{"distinct_id":"u","time":1714554005}}\n{"event": "b", "properties": {\n');
    await withDb(async (db) => {
      const error = await loadPresetRaw(db, [file], 'raw').then(
        () => null,
        (e: unknown) => e as { code: string; subject: string },
      );
      expect(error).toMatchObject({ code: 'E_UNREADABLE', subject: file });
    });
  });

  it('reads an empty file as no rows, and still gives the canonical columns and types', async () => {
    const file = path.join(dir, 'empty.jsonl');
    writeFileSync(file, '');
    await withDb(async (db) => {
      const s = await loadPresetEvents(db, getPreset('segment'), [file], 'canon');
      expect(s).toMatchObject({ rowsPerFile: [0], rows: 0, behaviour: 0, internal: 0, duplicates: 0, problems: 0 });
    });
  });

  it('every preset gives the canonical columns with their documented types', async () => {
    const files: Record<string, string[]> = {
      segment: [fixture('segment', 'messages.jsonl')],
      amplitude: folder('amplitude'),
      mixpanel: [fixture('mixpanel', 'export.jsonl')],
      posthog: [fixture('posthog', 'events.jsonl')],
      ga4: [fixture('ga4', 'events_20240501.jsonl')],
    };
    await withDb(async (db) => {
      for (const name of PRESET_NAMES) {
        await loadPresetEvents(db, getPreset(name), files[name], 'canon');
        const described = await db.all<{ column_name: string; column_type: string }>('DESCRIBE canon');
        expect(described.map((d) => [d.column_name, d.column_type]), name).toEqual(CANONICAL_COLUMNS.map(([n, t]) => [n, t]));
      }
    });
  });
});

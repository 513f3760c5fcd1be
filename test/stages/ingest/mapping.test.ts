import { describe, expect, it } from 'vitest';
import { timestampFormatWords } from '../../../src/stages/ingest/mapping.js';
import type { EventColumnMapping, FileColumnMapping } from '../../../src/stages/ingest/types.js';

const file = (name: string, timestampFormat: FileColumnMapping['timestampFormat'], timestamp = 'timestamp'): FileColumnMapping => ({
  file: `/data/${name}`,
  userId: 'user_id',
  event: 'event',
  timestamp,
  timestampFormat,
  eventId: null,
});
const mapping = (byFile?: FileColumnMapping[]): EventColumnMapping => ({
  userId: 'user_id',
  event: 'event',
  timestamp: 'timestamp',
  timestampFormat: byFile?.[0].timestampFormat ?? 'iso',
  eventId: null,
  ...(byFile ? { byFile } : {}),
});

describe('timestampFormatWords', () => {
  it('is the one format when the files were read alike', () => {
    expect(timestampFormatWords(mapping())).toBe('iso');
  });

  it('counts the files of each format and names a lone one', () => {
    const days = Array.from({ length: 3 }, (_, d) => file(`2026-03-0${d + 1}.csv`, 'iso'));
    expect(timestampFormatWords(mapping([...days, file('2026-03-04.csv', 'epoch_ms')]))).toBe('iso in 3 files, epoch_ms in 2026-03-04.csv');
  });

  it('points to the manifest when only the column names differ', () => {
    expect(timestampFormatWords(mapping([file('a.csv', 'iso'), file('b.csv', 'iso', 'time')]))).toBe(
      'iso; columns differ between files (manifest.json: mapping.byFile)',
    );
  });
});

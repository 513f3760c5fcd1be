import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { transitionsCsv } from '../../src/run/transitions.js';

describe('transitions.csv', () => {
  it('one row per moved user; the no-events group as -1, a user id from the data never a formula', () => {
    const csv = transitionsCsv([
      { userId: '=cmd|\' /C calc\'!A0', from: 'seg-aaaaaa', to: 'seg-bbbbbb' },
      { userId: 'u2', from: '-1', to: 'seg-bbbbbb' },
      { userId: 'u3', from: 'seg-aaaaaa', to: '' },
    ]);
    expect(csv.split('\n')[0]).toBe('user_id,from_key,to_key');
    const rows = Papa.parse<string[]>(csv, { skipEmptyLines: true }).data.slice(1);
    expect(rows).toEqual([
      ["'=cmd|' /C calc'!A0", 'seg-aaaaaa', 'seg-bbbbbb'],
      ['u2', '-1', 'seg-bbbbbb'],
      ['u3', 'seg-aaaaaa', ''],
    ]);
  });
});

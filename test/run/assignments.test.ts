/** assignments.csv: data never becomes a spreadsheet formula, and the file reads back as written. */
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { assignmentsCsv, assignmentsCsvChunks, type Assignment } from '../../src/run/assignments.js';

const row = (userId: string, segmentName: string): Assignment => ({ userId, segment: 0, segmentName, distance: 1.5, confidence: 0.25 });

describe('assignmentsCsv', () => {
  it('neutralises formula-looking user ids and segment names', () => {
    const csv = assignmentsCsv([row("=cmd|' /C calc'!A0", '+SUM(A1:A9)'), row('@attack', '-2+3'), row('u1', 'Power users')]);
    const parsed = Papa.parse<string[]>(csv.trim()).data;
    expect(parsed[0]).toEqual(['user_id', 'segment', 'segment_name', 'distance', 'confidence']);
    expect(parsed[1].slice(0, 3)).toEqual(["'=cmd|' /C calc'!A0", '0', "'+SUM(A1:A9)"]);
    expect(parsed[2].slice(0, 3)).toEqual(["'@attack", '0', "'-2+3"]);
    expect(parsed[3]).toEqual(['u1', '0', 'Power users', '1.500000', '0.2500']);
    for (const line of csv.split('\n').slice(1)) expect(line).not.toMatch(/^[=+\-@]/);
  });
});

describe('assignmentsCsvChunks', () => {
  it('pieces of any size join into exactly assignmentsCsv, the header once', () => {
    const arbRow = fc.record({
      userId: fc.string({ maxLength: 12 }),
      segment: fc.integer({ min: -1, max: 9 }),
      segmentName: fc.string({ maxLength: 12 }),
      distance: fc.option(fc.double({ min: 0, max: 1e6, noNaN: true }), { nil: null }),
      confidence: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: null }),
    });
    fc.assert(
      fc.property(fc.array(arbRow, { maxLength: 40 }), fc.integer({ min: 1, max: 50 }), (rows, size) => {
        const pieces = [...assignmentsCsvChunks(rows, size)];
        expect(pieces.join('')).toBe(assignmentsCsv(rows));
        expect(pieces).toHaveLength(Math.max(1, Math.ceil(rows.length / size)));
        expect(pieces.join('').split('\n').filter((l) => l.startsWith('user_id,segment,')).length).toBeGreaterThanOrEqual(1);
        expect(pieces.slice(1).every((p) => !p.startsWith('user_id,segment,segment_name,distance,confidence\n'))).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});

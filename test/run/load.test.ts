/**
 * Reading a run folder back: what the writer writes loads unchanged; an edited or truncated
 * document stops with one catalog line naming the file and the field.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { errors } from '../../src/core/messages.js';
import { assignmentsCsv } from '../../src/run/assignments.js';
import { stableJson } from '../../src/run/json.js';
import { loadAssignments, loadRunDocuments } from '../../src/run/load.js';
import type { RunDocuments } from '../../src/run/types.js';
import { makeRunDocuments } from '../helpers/run-documents.js';
import { tempDir } from '../helpers/tmp.js';

type Json = Record<string, any>;

/** A run folder as the pipeline writes it, from the fixture documents. */
function writeRun(docs: RunDocuments = makeRunDocuments()): string {
  const dir = tempDir();
  writeFileSync(join(dir, 'manifest.json'), stableJson(docs.manifest));
  writeFileSync(join(dir, 'segments.json'), stableJson(docs.segments));
  writeFileSync(join(dir, 'rules.json'), stableJson(docs.rules));
  writeFileSync(
    join(dir, 'assignments.csv'),
    assignmentsCsv([
      { userId: 'u1', segment: 0, segmentName: 'Casual browsers', distance: 0.5, confidence: 0.9 },
      { userId: '=u2', segment: 2, segmentName: 'Power reporters', distance: 1.25, confidence: 0.4 },
    ]),
  );
  return dir;
}

/** Edit one JSON document of a run folder in place. */
function edit(dir: string, name: string, change: (doc: Json) => void): void {
  const doc = JSON.parse(readFileSync(join(dir, name), 'utf8')) as Json;
  change(doc);
  writeFileSync(join(dir, name), JSON.stringify(doc));
}

function failure(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return (e as { oneLine(): string }).oneLine();
  }
  throw new Error('expected a failure');
}

describe('loadRunDocuments', () => {
  it('loads what the writer wrote, unchanged (stableJson round trip)', () => {
    const docs = makeRunDocuments();
    const loaded = loadRunDocuments(writeRun(docs));
    expect(loaded).toEqual(JSON.parse(JSON.stringify(docs)));
  });

  it('keeps fields it does not know (a newer writer), so the renderers still get them', () => {
    const dir = writeRun();
    edit(dir, 'segments.json', (d) => {
      d.segments[0].colour = 'teal';
      d.extra = { a: 1 };
    });
    const loaded = loadRunDocuments(dir).segments as unknown as Json;
    expect(loaded.segments[0].colour).toBe('teal');
    expect(loaded.extra).toEqual({ a: 1 });
  });

  it('a hostile segment id: one line naming segments.json and the field', () => {
    const dir = writeRun();
    edit(dir, 'segments.json', (d) => (d.segments[2].id = '<script>alert(1)</script>'));
    expect(failure(() => loadRunDocuments(dir))).toBe(
      errors.runFileInvalid(join(dir, 'segments.json'), 'segments[2].id', 'expected a number, got "<script>alert(1)</script>"').oneLine(),
    );
  });

  it('segment ids are whole numbers numbered 0..k-1 in order', () => {
    const dir = writeRun();
    edit(dir, 'segments.json', (d) => (d.segments[1].id = 1.5));
    expect(failure(() => loadRunDocuments(dir))).toContain('segments.json: segments[1].id: expected a whole number, got 1.5');
    edit(dir, 'segments.json', (d) => (d.segments[1].id = 2));
    expect(failure(() => loadRunDocuments(dir))).toContain('segments.json: segments[1].id: expected 1 (segments are numbered in order), got 2');
    edit(dir, 'segments.json', (d) => {
      d.segments[1].id = 1;
      d.k = 4;
    });
    expect(failure(() => loadRunDocuments(dir))).toContain('segments.json: segments: expected 4 segments (k), found 3');
  });

  it('a missing field, a wrong enum value, a control character in a value', () => {
    const dir = writeRun();
    edit(dir, 'manifest.json', (d) => delete d.window);
    expect(failure(() => loadRunDocuments(dir))).toContain('manifest.json: window: expected an object, got nothing (the field is missing)');
    const dir2 = writeRun();
    edit(dir2, 'rules.json', (d) => (d.rules[0].conditions[0].op = '\u001b[31m>'));
    const line = failure(() => loadRunDocuments(dir2));
    expect(line).toContain('rules.json: rules[0].conditions[0]: matches none of the allowed shapes');
    expect(line).not.toContain('\u001b');
  });

  it('a rule for a segment the run does not have', () => {
    const dir = writeRun();
    edit(dir, 'rules.json', (d) => (d.rules[0].segment = 7));
    expect(failure(() => loadRunDocuments(dir))).toBe(
      errors.runFileInvalid(join(dir, 'rules.json'), 'rules[0].segment', 'expected a segment id below k = 3 (segments.json), got 7').oneLine(),
    );
  });

  it('a truncated, empty or missing document', () => {
    const dir = writeRun();
    const text = readFileSync(join(dir, 'segments.json'), 'utf8');
    writeFileSync(join(dir, 'segments.json'), text.slice(0, text.length / 2));
    expect(failure(() => loadRunDocuments(dir))).toMatch(/segments\.json: not valid JSON \(.+\) \(hint: the run folder was edited or truncated; rerun segmint run\)$/);
    writeFileSync(join(dir, 'segments.json'), '');
    expect(failure(() => loadRunDocuments(dir))).toContain('segments.json: not valid JSON (empty)');
    rmSync(join(dir, 'rules.json'));
    writeFileSync(join(dir, 'segments.json'), text);
    expect(failure(() => loadRunDocuments(dir))).toBe(errors.runFileMissing(join(dir, 'rules.json')).oneLine());
  });

  it('a manifest of some other kind means the folder is not a run', () => {
    const dir = writeRun();
    edit(dir, 'manifest.json', (d) => (d.kind = 'something.else'));
    expect(failure(() => loadRunDocuments(dir))).toBe(errors.runNotFound(dir).oneLine());
  });

  it('a model without its kind', () => {
    const dir = writeRun();
    edit(dir, 'segments.json', (d) => (d.model.kmeans.kind = 'other'));
    expect(failure(() => loadRunDocuments(dir))).toContain('segments.json: model.kmeans: expected a segmint.kmeans model (version 1), got an object');
    edit(dir, 'segments.json', (d) => delete d.model.kmeans);
    expect(failure(() => loadRunDocuments(dir))).toContain('segments.json: model.kmeans: expected a segmint.kmeans model (version 1), got nothing (the field is missing)');
  });
});

describe('loadRunDocuments: the fitted model against itself and k', () => {
  const file = (dir: string) => join(dir, 'segments.json');

  it('fewer centroids than k (a tampered model would put every user in the first segments)', () => {
    const dir = writeRun();
    edit(dir, 'segments.json', (d) => d.model.kmeans.centroids.pop());
    expect(failure(() => loadRunDocuments(dir))).toBe(errors.runFileInvalid(file(dir), 'model.kmeans.centroids', 'expected 3 centroids (k), found 2').oneLine());
  });

  it('centroids that differ in length, or not of the PCA model dimension', () => {
    const dir = writeRun();
    edit(dir, 'segments.json', (d) => d.model.kmeans.centroids[1].push(0.5));
    expect(failure(() => loadRunDocuments(dir))).toBe(
      errors.runFileInvalid(file(dir), 'model.kmeans.centroids[1]', 'expected 2 coordinates (one per model.pca.components), found 3').oneLine(),
    );
    edit(dir, 'segments.json', (d) => (d.model.kmeans.centroids[1] = [1, 'x']));
    expect(failure(() => loadRunDocuments(dir))).toBe(errors.runFileInvalid(file(dir), 'model.kmeans.centroids[1]', 'expected a list of finite numbers, got a list of 2').oneLine());
  });

  it('PCA components, mean and variance ratios that do not fit together', () => {
    const dir = writeRun();
    edit(dir, 'segments.json', (d) => d.model.pca.components[0].pop());
    expect(failure(() => loadRunDocuments(dir))).toContain('segments.json: model.pca.components[0]: expected 3 loadings (one per entry of model.pca.mean), found 2');
    const dir2 = writeRun();
    edit(dir2, 'segments.json', (d) => d.model.pca.explainedVarianceRatio.pop());
    expect(failure(() => loadRunDocuments(dir2))).toContain('segments.json: model.pca.explainedVarianceRatio: expected 2 ratios (one per model.pca.components), found 1');
    edit(dir2, 'segments.json', (d) => delete d.model.pca.mean);
    expect(failure(() => loadRunDocuments(dir2))).toContain('segments.json: model.pca.mean: expected a list of finite numbers, got nothing (the field is missing)');
  });
});

describe('loadAssignments', () => {
  it('reads user id → segment, a formula-escaped id back as the data had it', () => {
    expect(readFileSync(join(writeRun(), 'assignments.csv'), 'utf8')).toContain(`"'=u2"`);
    expect([...loadAssignments(writeRun(), 3)]).toEqual([['u1', 0], ['=u2', 2]]);
  });

  it('gives back every user id assignments.csv was written with (phone numbers, quotes, commas)', () => {
    const id = fc.string({ unit: fc.constantFrom('=', '+', '-', '@', '\t', '\r', "'", '"', ',', '\n', 'a', '1', ' '), minLength: 1, maxLength: 6 });
    fc.assert(
      fc.property(fc.uniqueArray(id, { minLength: 1, maxLength: 20 }), (ids) => {
        const dir = tempDir();
        try {
          writeFileSync(join(dir, 'assignments.csv'), assignmentsCsv(ids.map((userId, i) => ({ userId, segment: i % 3, segmentName: '+ name', distance: 1, confidence: 0.5 }))));
          expect([...loadAssignments(dir, 3)]).toEqual(ids.map((u, i) => [u, i % 3]));
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      }),
      { numRuns: 60 },
    );
  });

  it('a segment that is not a whole number, or not below k', () => {
    const dir = writeRun();
    const file = join(dir, 'assignments.csv');
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.replace('u1,0,', 'u1,zero,'));
    expect(failure(() => loadAssignments(dir))).toBe(
      errors.runFileInvalid(file, 'line 2: segment', 'expected a segment id (a whole number, or -1 for users with no events in the window), got "zero"').oneLine(),
    );
    writeFileSync(file, text);
    expect(failure(() => loadAssignments(dir, 2))).toContain('assignments.csv: line 3: segment: expected a segment id below k = 2 (segments.json), got 2');
  });

  it('rows that do not add up to segments.json (a file cut at a line boundary): one line naming the file', () => {
    // Two clustered users (segments 0 and 2) and one with no events, as segments.json counts them.
    const dir = writeRun();
    const file = join(dir, 'assignments.csv');
    writeFileSync(file, `${readFileSync(file, 'utf8')}u3,-1,No events in window,,\n`);
    edit(dir, 'segments.json', (d) => {
      d.users = 2;
      d.usersWithoutEvents = 1;
      d.segments.forEach((s: Json, i: number) => (s.size = i === 1 ? 0 : 1));
    });
    const segments = () => loadRunDocuments(dir).segments;
    expect([...loadAssignments(dir, segments())]).toEqual([['u1', 0], ['=u2', 2], ['u3', -1]]);

    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.split('\n').slice(0, 3).join('\n') + '\n');
    expect(failure(() => loadAssignments(dir, segments()))).toBe(
      errors.runFileInvalid(file, 'rows', 'expected 3 users as segments.json counts them (2 in segments, 1 with no events in the window), found 2').oneLine(),
    );
    // Same number of rows, one moved to another segment.
    writeFileSync(file, text.replace('u1,0,', 'u1,1,'));
    expect(failure(() => loadAssignments(dir, segments()))).toBe(
      errors.runFileInvalid(file, 'segment 0', 'expected 1 user as segments.json counts them, found 0').oneLine(),
    );
    writeFileSync(file, text.replace('u3,-1,No events in window,,', 'u3,1,Dormant trialists,1,0.5'));
    expect(failure(() => loadAssignments(dir, segments()))).toContain('assignments.csv: segment 1: expected 0 users as segments.json counts them, found 1');
  });

  it('a truncated last line, a missing column', () => {
    const dir = writeRun();
    const file = join(dir, 'assignments.csv');
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.slice(0, text.indexOf("'=u2") + 8));
    expect(failure(() => loadAssignments(dir))).toContain('assignments.csv: line 3: Too few fields');
    writeFileSync(file, 'user,segment\nu1,0\n');
    expect(failure(() => loadAssignments(dir))).toContain('assignments.csv: header: expected a user_id column, found user, segment');
  });
});

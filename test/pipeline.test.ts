/**
 * End to end on the bundled sample: the planted personas are recovered, named, explained and
 * turned into accurate rules; the same seed gives byte-identical outputs.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { loadConfigFile } from '../src/config/resolve.js';
import { createContext } from '../src/core/context.js';
import { meanF1, runPipeline, type RunOutcome } from '../src/pipeline.js';
import { adjustedRandIndex } from '../src/stages/cluster/index.js';
import { tempDir } from './helpers/tmp.js';

function readCsv(path: string): Record<string, string>[] {
  return Papa.parse<Record<string, string>>(readFileSync(path, 'utf8'), { header: true, skipEmptyLines: true }).data;
}

describe('segmint on the bundled sample (automatic k)', () => {
  let first: RunOutcome;
  let second: RunOutcome;
  let out: string;

  beforeAll(async () => {
    out = tempDir('segmint-e2e-');
    const config = loadConfigFile('pipeline/default.yaml', { out });
    first = await runPipeline(config, createContext(config.seed));
    // Compared with no previous run, like the first: the same inputs, config and seed.
    second = await runPipeline(config, createContext(config.seed), undefined, { previous: { kind: 'none' } });
  });

  it('finds the planted number of personas with ARI >= 0.9', () => {
    const truth = new Map(readCsv('data/sample/ground-truth.csv').map((r) => [r.user_id, r.persona]));
    const personas = [...new Set(truth.values())].sort();
    const assigned = readCsv(join(first.runDir, 'assignments.csv'));
    expect(assigned.length).toBe(truth.size);
    const labelsTrue = assigned.map((r) => personas.indexOf(truth.get(r.user_id)!));
    const labelsFound = assigned.map((r) => Number(r.segment));
    expect(first.documents.segments.k).toBe(personas.length);
    const ari = adjustedRandIndex(labelsTrue, labelsFound);
    console.log(`bundled sample: k = ${first.documents.segments.k}, ARI = ${ari.toFixed(4)}, mean rule F1 = ${meanF1(first.documents.rules).toFixed(4)}`);
    expect(ari).toBeGreaterThanOrEqual(0.9);
  });

  it('names every segment uniquely, with at least 3 traits and a rule of at most 3 conditions', () => {
    const { segments } = first.documents.segments;
    expect(new Set(segments.map((s) => s.name)).size).toBe(segments.length);
    for (const s of segments) {
      expect(s.name.length).toBeGreaterThan(0);
      expect(s.description.length).toBeGreaterThan(0);
      expect(s.traits.length).toBeGreaterThanOrEqual(3);
      for (const t of s.traits) expect(Number.isFinite(t.effect)).toBe(true);
      const rule = first.documents.rules.rules.find((r) => r.segment === s.id)!;
      expect(rule.conditions.length).toBeGreaterThanOrEqual(1);
      expect(rule.conditions.length).toBeLessThanOrEqual(3);
      expect(rule.verified).toBe(true);
    }
  });

  it('suggests rules over raw features with mean F1 >= 0.85', () => {
    const features = new Set(first.documents.segments.model.features);
    for (const r of first.documents.rules.rules) for (const c of r.conditions) expect(features.has(c.feature)).toBe(true);
    expect(meanF1(first.documents.rules)).toBeGreaterThanOrEqual(0.85);
  });

  it('gives byte-identical assignments, segments and rules for the same seed', () => {
    expect(first.runDir).not.toBe(second.runDir);
    for (const file of ['assignments.csv', 'segments.json', 'rules.json', 'rules.sql']) {
      expect(readFileSync(join(second.runDir, file), 'utf8'), file).toBe(readFileSync(join(first.runDir, file), 'utf8'));
    }
  });

  it('writes every output file, leaves no temporary folder, and points latest at the newest run', () => {
    const files = readdirSync(first.runDir).sort();
    for (const f of ['assignments.csv', 'manifest.json', 'report.html', 'report.md', 'rules.json', 'rules.sql', 'segments.json']) expect(files).toContain(f);
    expect(readdirSync(out).filter((f) => f.startsWith('.tmp-'))).toEqual([]);
    expect(readlinkSync(join(out, 'latest'))).toBe(second.documents.manifest.runId);
    const header = readFileSync(join(first.runDir, 'assignments.csv'), 'utf8').split('\n')[0];
    expect(header.startsWith('user_id,segment')).toBe(true);
  });

  it('accounts for every input row in the manifest', () => {
    for (const a of first.documents.manifest.accounting) {
      expect(a.read).toBe(a.used + a.outOfWindow + a.duplicates + a.rejected + (a.setAside ?? 0));
    }
  });
});

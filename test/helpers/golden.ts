/**
 * Golden outputs of the bundled sample: `segments.json`, `rules.json` and `report.md` of a run
 * of `pipeline/default.yaml`, with what legitimately differs between machines and moments
 * (clock, timings, tool versions, the checkout's path, hence the run id and config hash) pinned, so any change to the results
 * shows up as a diff in review. `npm run golden` rewrites them; test/golden.test.ts compares.
 */
import { resolve } from 'node:path';
import { loadConfigFile } from '../../src/config/resolve.js';
import { createContext } from '../../src/core/context.js';
import { runPipeline } from '../../src/pipeline.js';
import { stableJson } from '../../src/run/json.js';
import type { RunDocuments } from '../../src/run/types.js';
import { renderMarkdown } from '../../src/stages/report/index.js';
import { tempDir } from './tmp.js';

export const GOLDEN_DIR = resolve(import.meta.dirname, '../golden/sample');
export const GOLDEN_FILES = ['segments.json', 'rules.json', 'report.md'] as const;
export type GoldenFile = (typeof GOLDEN_FILES)[number];

const PINNED_CLOCK = new Date('2026-01-01T00:00:00Z');
const REPO = resolve(import.meta.dirname, '../..');

/** Runs the sample and returns the golden files' contents. */
export async function sampleGoldens(): Promise<Record<GoldenFile, string>> {
  const config = loadConfigFile(resolve(REPO, 'pipeline/default.yaml'), { out: tempDir('segmint-golden-') });
  const { documents } = await runPipeline(config, createContext(config.seed), () => PINNED_CLOCK);
  const pinned: RunDocuments = {
    ...documents,
    manifest: {
      ...documents.manifest,
      timings: documents.manifest.timings.map((t) => ({ ...t, ms: 0 })),
      versions: {},
    },
  };
  // The config hash covers the (temporary) output folder and absolute input paths.
  const { runId, configHash } = documents.manifest;
  const portable = (text: string) =>
    [[REPO, '<repo>'], [runId, '<run-id>'], [configHash, '<config-hash>']].reduce((t, [from, to]) => t.split(from).join(to), text);
  return {
    'segments.json': portable(stableJson(pinned.segments)),
    'rules.json': portable(stableJson(pinned.rules)),
    'report.md': portable(renderMarkdown(pinned)),
  };
}

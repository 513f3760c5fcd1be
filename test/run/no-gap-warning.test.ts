/**
 * A fixed k that cuts one persona in two: the run warns that the two halves have no gap between
 * them and names what they differ in, read from the profiled segments (profile/apart.ts).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createContext } from '../../src/core/context.js';
import { runPipeline, type RunOutcome } from '../../src/pipeline.js';
import { DEFAULT_CONFIG } from '../helpers/config.js';
import { tempDir } from '../helpers/tmp.js';

const id = (u: number) => `u${String(u).padStart(3, '0')}`;
const day = 86_400_000;

/**
 * 300 users of one persona (the same two events in the same proportions, the same hours of the
 * day), from 4 to 120 events each, spread evenly in log scale, at random times over 60 days.
 */
function writeEvents(dir: string): void {
  let state = 12345;
  // A fixed linear congruential generator: the same log on every run.
  const random = () => (state = (state * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
  const rows = ['user_id,event,timestamp'];
  const start = Date.parse('2026-03-01T00:00:00Z');
  for (let u = 0; u < 300; u++) {
    const events = Math.round(4 * 30 ** random());
    for (let i = 0; i < events; i++) {
      const t = start + Math.floor(random() * 60) * day + (8 + random() * 10) * 3_600_000;
      rows.push(`${id(u)},${random() < 1 / 3 ? 'report_edited' : 'report_viewed'},${new Date(Math.floor(t)).toISOString()}`);
    }
  }
  writeFileSync(join(dir, 'events.csv'), `${rows.join('\n')}\n`);
}

describe('the no-gap warning of a run', () => {
  let run: RunOutcome;

  beforeAll(async () => {
    const dir = tempDir('segmint-no-gap-');
    writeEvents(dir);
    const config = {
      ...DEFAULT_CONFIG,
      inputs: { ...DEFAULT_CONFIG.inputs, events: { ...DEFAULT_CONFIG.inputs.events!, paths: [join(dir, 'events.csv')] }, users: null, accounts: null },
      output: { ...DEFAULT_CONFIG.output, dir: join(dir, 'reports') },
      cluster: { ...DEFAULT_CONFIG.cluster, k: 2, minSize: 5 },
    };
    run = await runPipeline(config, createContext(config.seed));
  });

  it('names the pair once, with what sets its halves apart', () => {
    const gaps = run.documents.manifest.warnings.filter((w) => w.code === 'W_NO_GAP_BETWEEN_SEGMENTS');
    expect(gaps).toHaveLength(1);
    // One persona, heavier and lighter: the halves differ in how much and how often only.
    expect(gaps[0].message).toMatch(/^segments 0 and 1 have no clear gap between them .*; they differ most in [^;]*active days[^;]*, so they may be one persona at two stages/);
  });
});

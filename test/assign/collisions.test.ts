/**
 * `assign` rebuilds a run's event columns from the meanings the run recorded, not from column
 * names: two event types whose names sanitise alike ("sign_up" / "Sign Up") keep their own
 * columns, and an event the new data lacks is simply absent (counts 0), whatever its name.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createContext } from '../../src/core/context.js';
import { scoreUsers } from '../../src/assign/index.js';
import { runPipeline, type RunOutcome } from '../../src/pipeline.js';
import { loadAssignments } from '../../src/run/load.js';
import { DEFAULT_CONFIG } from '../helpers/config.js';
import { tempDir } from '../helpers/tmp.js';

/** 300 users in three habits; the two spellings of sign-up belong to different habits. */
function writeEvents(path: string, omit: ReadonlySet<string> = new Set()): void {
  const habits: readonly (readonly [string, number][])[] = [
    [['sign_up', 6], ['view', 2], ['item_2', 1]],
    [['Sign Up', 3], ['edit', 4]],
    [['view', 5], ['edit', 1], ['item_2', 3]],
  ];
  const rows = ['user_id,event,timestamp'];
  let state = 7;
  const next = () => (state = (state * 48271) % 2147483647) / 2147483647;
  for (let u = 0; u < 300; u++) {
    const habit = habits[u % 3];
    for (const [event, times] of habit) {
      if (omit.has(event)) continue;
      const n = times + Math.floor(next() * 3);
      for (let i = 0; i < n; i++) {
        const day = 1 + Math.floor(next() * 27);
        const hour = Math.floor(next() * 24);
        rows.push(`u${String(u).padStart(3, '0')},${event},2026-03-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00Z`);
      }
    }
  }
  writeFileSync(path, `${rows.join('\n')}\n`);
}

describe('assign replays event columns by their recorded meaning', () => {
  let dir: string;
  let run: RunOutcome;

  beforeAll(async () => {
    dir = tempDir('segmint-collide-');
    writeEvents(join(dir, 'events.csv'));
    const config = {
      ...DEFAULT_CONFIG,
      inputs: { ...DEFAULT_CONFIG.inputs, events: { ...DEFAULT_CONFIG.inputs.events!, paths: [join(dir, 'events.csv')] }, users: null, accounts: null },
      output: { ...DEFAULT_CONFIG.output, dir: join(dir, 'reports') },
      cluster: { ...DEFAULT_CONFIG.cluster, k: 3 },
    };
    run = await runPipeline(config, createContext(config.seed));
  });

  it('the run has one column per spelling, told apart by a suffix', () => {
    const names = run.documents.segments.model.features;
    expect(names).toContain('count__sign_up');
    expect(names).toContain('count__sign_up_2');
    const meanings = run.documents.segments.model.meanings!;
    expect(meanings.count__sign_up).toEqual({ kind: 'eventCount', events: { type: 'event', event: 'sign_up' } });
    expect(meanings.count__sign_up_2).toEqual({ kind: 'eventCount', events: { type: 'event', event: 'Sign Up' } });
  });

  it("gives every user of the run's own inputs the run's segment", async () => {
    const scored = await scoreUsers(run.documents, { events: [join(dir, 'events.csv')] }, createContext(1));
    const expected = loadAssignments(run.runDir);
    const moved = scored.filter((a) => expected.get(a.userId) !== a.segment);
    expect(scored.length).toBe(300);
    expect(moved).toEqual([]);
  });

  it('scores data that lacks an event whose name ends in _<digits>', async () => {
    writeEvents(join(dir, 'without-item.csv'), new Set(['item_2']));
    const scored = await scoreUsers(run.documents, { events: [join(dir, 'without-item.csv')] }, createContext(1));
    expect(scored.length).toBe(300);
    expect(new Set(scored.map((a) => a.segment)).size).toBeGreaterThan(1);
  });
});

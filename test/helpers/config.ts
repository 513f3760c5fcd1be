/**
 * The resolved defaults, from the one place they live (`resolveConfig`), for tests that build
 * configs by hand: start from these and override only what the test is about, so a new setting
 * needs no edit here.
 */
import { resolveConfig } from '../../src/config/resolve.js';
import type { ResolvedConfig } from '../../src/config/types.js';

export const DEFAULT_CONFIG: ResolvedConfig = resolveConfig(
  { inputs: { events: { path: 'events.csv' } } },
  { file: 'test.yaml', baseDir: '/repo', source: null },
);

/** The default `cluster` settings with some replaced. */
export function clusterConfig(overrides: Partial<ResolvedConfig['cluster']> = {}): ResolvedConfig['cluster'] {
  return { ...DEFAULT_CONFIG.cluster, ...overrides };
}

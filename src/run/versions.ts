/** Versions recorded in the manifest, so a run can be reproduced with the same tools. */
import { readFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

/** Walk up from `start` to the nearest package.json whose name is `name` (or any, when null). */
function findPackageVersion(start: string, name: string | null): string {
  for (let dir = start; ; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (name === null || pkg.name === name) return pkg.version ?? 'unknown';
    }
    if (dirname(dir) === dir) return 'unknown';
  }
}

function packageVersion(name: string): string {
  try {
    // Some packages do not export their package.json, so start from their resolved entry point.
    return findPackageVersion(dirname(require.resolve(name)), name);
  } catch {
    return 'unknown';
  }
}

export function toolVersions(): Record<string, string> {
  return {
    segmint: findPackageVersion(dirname(fileURLToPath(import.meta.url)), 'segmint'),
    node: process.versions.node,
    '@duckdb/node-api': packageVersion('@duckdb/node-api'),
    'ml-pca': packageVersion('ml-pca'),
    'ml-kmeans': packageVersion('ml-kmeans'),
  };
}

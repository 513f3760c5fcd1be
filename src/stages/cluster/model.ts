/** Loading a saved k-means model, with a check that it is one of this kind and version. */
import { errors } from '../../core/messages.js';
import type { ClusterModel } from './types.js';

/**
 * Validates parsed JSON as a k-means model. Throws `E_INVALID_MODEL` for anything else.
 *
 * @example
 * const model = loadClusterModel(JSON.parse(text).model.kmeans);
 */
export function loadClusterModel(json: unknown): ClusterModel {
  const fail = (reason: string) => errors.invalidModel('segmint.kmeans', reason);
  if (typeof json !== 'object' || json === null) throw fail('not an object');
  const o = json as Record<string, unknown>;
  if (o.kind !== 'segmint.kmeans') throw fail(`kind is ${JSON.stringify(o.kind)}`);
  if (o.version !== 1) throw fail(`version ${JSON.stringify(o.version)} is not supported (expected 1)`);
  const c = o.centroids;
  if (!Array.isArray(c) || c.length === 0) throw fail('centroids is not a non-empty array');
  const rows = c.map((r, i) => {
    if (!Array.isArray(r) || !r.every((x) => typeof x === 'number' && Number.isFinite(x))) {
      throw fail(`centroids[${i}] is not an array of finite numbers`);
    }
    return r.slice() as number[];
  });
  if (rows.some((r) => r.length !== rows[0].length)) throw fail('centroids differ in length');
  return { kind: 'segmint.kmeans', version: 1, centroids: rows };
}

/**
 * Stages 3–5 as one decision: transform (log1p, winsorise, scale, one-hot, weights), reduce
 * (PCA) and cluster (k-means, choosing k unless it is fixed) — on behaviour first, then, when
 * behaviour alone shows no strong structure and `transform.weights.attribute` is `auto`, once
 * more with user and account attributes in the clustering space. The second space is kept only
 * if it has strong structure. Firmographic segments (industry, size, plan) are found that way,
 * while a users table of loosely related descriptors never reshapes behavioural segments.
 * Measured in bench/quality (crm-firmographic, bundled sample) — see config/resolve.ts.
 */
import { warnings } from './core/warnings.js';
import { untimed, type StageRunner } from './core/stage.js';
import type { ResolvedConfig } from './config/types.js';
import { createContext, type RunContext } from './core/context.js';
import { clusterUsers } from './stages/cluster/index.js';
import type { ClusterResult } from './stages/cluster/types.js';
import type { FeatureTable } from './stages/features/types.js';
import type { Matrix } from './core/matrix.js';
import { fitPca } from './stages/reduce/index.js';
import type { ReduceResult } from './stages/reduce/types.js';
import { fitTransform } from './stages/transform/index.js';
import type { TransformResult } from './stages/transform/types.js';

export interface SegmentSpace {
  readonly transform: TransformResult;
  readonly reduce: ReduceResult;
  readonly cluster: ClusterResult;
  /** The clustering space includes attributes because behaviour alone had no strong structure. */
  readonly withAttributes: boolean;
}


/**
 * @example
 * const { cluster, withAttributes } = await segmentUsers(features, config, ctx);
 */
export async function segmentUsers(
  features: FeatureTable,
  config: ResolvedConfig,
  ctx: RunContext,
  stage: StageRunner = untimed,
  options: { readonly warmStart?: (points: Matrix) => Matrix | null; readonly previousK?: number } = {},
): Promise<SegmentSpace> {
  // Each attempt collects its own warnings; only the kept one's reach the run.
  const attempt = async (transformConfig: ResolvedConfig['transform'], label: string) => {
    const runCtx = createContext(ctx.seed, ctx.log);
    const transform = await stage(`transform${label}`, () => fitTransform(features, transformConfig, runCtx), (t) => `${t.matrix.cols} model columns`);
    const reduce = await stage(`reduce${label}`, () => fitPca(transform.matrix, config.reduce), (r) => `${r.projected.cols} components, ${(100 * r.model.explainedVarianceRatio.reduce((a, b) => a + b, 0)).toFixed(1)}% variance`);
    const cluster = await stage(`cluster${label}`, () => clusterUsers(reduce.projected, config.cluster, runCtx, { warmStart: options.warmStart?.(reduce.projected) ?? null, previousK: options.previousK }), (c) => `k = ${c.k} (${c.selection.method})`);
    return { transform, reduce, cluster, warnings: runCtx.warnings };
  };

  let kept = { ...(await attempt(config.transform, '')), withAttributes: false };
  const fallback = config.transform.attributeFallback;
  if (!kept.cluster.selection.strongStructure && fallback !== null && features.columns.some((c) => c.family === 'attribute')) {
    const weights = { ...config.transform.weights, attribute: fallback };
    const withAttributes = await attempt({ ...config.transform, weights }, ' (+ attributes)');
    if (withAttributes.cluster.selection.strongStructure) {
      kept = { ...withAttributes, withAttributes: true };
      ctx.warn(warnings.attributeSegments());
    }
  }
  for (const w of kept.warnings) ctx.warn(w);
  return { transform: kept.transform, reduce: kept.reduce, cluster: kept.cluster, withAttributes: kept.withAttributes };
}

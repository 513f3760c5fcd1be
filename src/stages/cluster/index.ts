/** The cluster stage: k-means with automatic choice of k, and scoring of new users. */
export { checkUserCount, clusterUsers, type ClusterOptions } from './cluster.js';
export { assignToCentroids, type Placement } from './assign.js';
export { loadClusterModel } from './model.js';
export { kmeans, type KMeansOptions, type KMeansResult, type LloydStep } from './kmeans.js';
export { miniBatchKmeans, type MiniBatchOptions } from './minibatch.js';
export { createThreadPool, type ThreadPool } from './pool.js';
export { adjustedRandIndex, silhouette, calinskiHarabasz, daviesBouldin } from './metrics.js';
export type { ClusterModel, ClusterResult, KScore } from './types.js';

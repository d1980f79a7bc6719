/** Embedding algorithms and their quality measures (browser and Node). */
export { tsne, Tsne, conditionalAffinities, conditionalAffinityRows, jointAffinities } from './tsne.ts';
export type { TsneOptions, TsneProgress, TsneResult, TsneRuntime, ForceState, SparseAffinities, ConditionalAffinities } from './tsne.ts';
// Node's multi-threaded runner lives in './tsne-node.ts' (not exported here: browsers cannot load it).
export { umap } from './umap.ts';
export type { UmapOptions, UmapResult } from './umap.ts';
export { pca, symmetricEigen } from './pca.ts';
export type { PcaResult } from './pca.ts';
export { knn, bruteForceKnn, VpTree } from './knn.ts';
export type { KnnResult, Numeric } from './knn.ts';
export { trustworthiness, trustworthinessMany, knnAccuracy } from './metrics.ts';
export { createRandom, gaussian } from './random.ts';
export type { RandomFn } from './random.ts';

// UMAP's fuzzy neighbour graph, built as umap-js builds it but with numeric
// keys: umap-js symmetrises the k-NN memberships through six sparse-matrix
// operations on string-keyed maps, which took over a second for 5,000 points.
// The values are umap-js's own (its smoothKNNDistance and
// computeMembershipStrengths, then (a + aᵀ) − a∘aᵀ with the same operation
// order), so the layout that follows is the one umap-js would compute.
import * as matrixModule from 'umap-js/dist/matrix.js';

// biome-ignore lint/suspicious/noExplicitAny: umap-js is CommonJS; bundlers expose it as the namespace or as its default
const SparseMatrix: typeof matrixModule.SparseMatrix = (matrixModule as any).SparseMatrix ?? (matrixModule as any).default?.SparseMatrix;

/** The parts of a umap-js UMAP instance the graph needs (internal methods, present in umap-js 1.4). */
export interface UmapInternals {
  knnIndices?: number[][];
  knnDistances?: number[][];
  localConnectivity: number;
  smoothKNNDistance(distances: number[][], k: number, localConnectivity: number): { sigmas: number[]; rhos: number[] };
  computeMembershipStrengths(
    knnIndices: number[][],
    knnDistances: number[][],
    sigmas: number[],
    rhos: number[],
  ): { rows: number[]; cols: number[]; vals: number[] };
  fuzzySimplicialSet(X: number[][], nNeighbors: number, setOpMixRatio?: number): matrixModule.SparseMatrix;
}

/** The symmetrised graph (setOpMixRatio 1, umap-js's default: the fuzzy union). */
export function fuzzyUnion(umap: UmapInternals, n: number, nNeighbors: number): matrixModule.SparseMatrix {
  const knnIndices = umap.knnIndices ?? [];
  const knnDistances = umap.knnDistances ?? [];
  const { sigmas, rhos } = umap.smoothKNNDistance(knnDistances, nNeighbors, umap.localConnectivity);
  const { rows, cols, vals } = umap.computeMembershipStrengths(knnIndices, knnDistances, sigmas, rhos);
  // a(i, j) by key i·n + j (the last write wins, as in umap-js's map).
  const a = new Map<number, number>();
  for (let e = 0; e < vals.length; e++) a.set(rows[e] * n + cols[e], vals[e]);
  const outRows: number[] = [],
    outCols: number[] = [],
    outVals: number[] = [];
  const put = (i: number, j: number) => {
    const s = a.get(i * n + j) ?? 0,
      t = a.get(j * n + i) ?? 0;
    outRows.push(i);
    outCols.push(j);
    outVals.push(s + t - s * t);
  };
  for (const key of a.keys()) {
    const i = Math.floor(key / n),
      j = key - i * n;
    put(i, j);
    // (j, i) is in the union too; added here unless a holds it (then its own turn adds it).
    if (!a.has(j * n + i)) put(j, i);
  }
  return new SparseMatrix(outRows, outCols, outVals, [n, n]);
}

/** Makes `umap` build its graph with fuzzyUnion (call before initializeFit). */
export function useFastGraph(umap: UmapInternals, n: number): void {
  umap.fuzzySimplicialSet = (_X, nNeighbors, setOpMixRatio = 1) => {
    if (setOpMixRatio !== 1) throw new Error('spec-embed: fuzzyUnion implements setOpMixRatio 1 only');
    return fuzzyUnion(umap, n, nNeighbors);
  };
}

// σ = auto across shards: the one-machine rule (the median pairwise distance of
// a seeded sample of at most 1000 rows, features/kernel.ts) needs the rows the
// seed picks from the whole data. Given the shards in name order (their
// concatenation is the data), sampleRows picks the very same rows, so the
// sample, and the σ from it, are those of a one-machine run.
import type { Matrix } from '../../types/index.js';
import { matrixSource, sampleRows, type RowSource } from '../../validate/source.js';
import { sigmaAuto } from '../../features/kernel.js';
import { seedOf } from '../../validate/checks.js';
import { init } from '../../wasm/loader.js';

/** The seeded sample (≤ 1000 rows) of the shards' rows, read in the order given (compare: one side's shards; finc: X's, then Y's). */
export async function sigmaSample(shards: RowSource[], seed = 0): Promise<Matrix> {
  await init();
  return sampleRows(shards, seedOf(seed));
}

/** σ from a sample made by sigmaSample: the median pairwise distance of its rows. `name` names it in messages. */
export async function sigmaOfSample(sample: Matrix, name = 'sample'): Promise<number> {
  await init();
  // every row of a ≤ 1000-row sample is drawn again (in another order): the distances, and their median, are the same
  return sigmaAuto([matrixSource(sample, name)], 0, name);
}

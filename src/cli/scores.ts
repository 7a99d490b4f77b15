// What the CLI adds to a result's --json and writes beside it: per-sample scores as an
// f32 .npy (--scores, --scores-y), the input files' names and shapes, the σ choice.
import { npyBytes } from '../io/npy-write.js';
import { modeKey, type FileJson, type ScoresFileJson, type SigmaChoice } from '../report/json.js';
import type { KernelInfo } from '../types/index.js';
import { writeOutput } from './files.js';

interface ScoredMode {
  side: 'x' | 'y';
  rank: number;
  scores?: Float64Array;
}

/**
 * Writes `rows` × modes.length f32 scores, column j holding modes[j]'s score of each row, and
 * returns what --json says of the file. The modes' f64 vectors (rows × modes × 8 bytes, the
 * library's `returnScores`) and this f32 copy are the memory it costs.
 */
export function writeScores(path: string, modes: readonly ScoredMode[], rows: number): ScoresFileJson {
  const cols = modes.length;
  const data = new Float32Array(rows * cols);
  modes.forEach((m, j) => {
    if (!m.scores || m.scores.length !== rows) throw new Error(`mode ${modeKey(m)} has no ${rows} scores`);
    for (let i = 0; i < rows; i++) data[i * cols + j] = m.scores[i];
  });
  writeOutput(path, npyBytes(data, [rows, cols]), 'scores');
  return { file: path, dtype: 'float32', shape: [rows, cols], columns: modes.map(modeKey) };
}

/** How σ was chosen for a side: by the median-distance rule, by the user, or not at all (no Gaussian). */
export function sigmaChoice(kernel: KernelInfo, auto: boolean): SigmaChoice {
  return kernel.type !== 'gaussian' ? null : auto ? 'auto' : 'given';
}

/** An input file's name as given and the shape read from it. */
export function fileJson(path: string, src: { rows: number; cols: number }): FileJson {
  return { name: path, rows: src.rows, cols: src.cols };
}

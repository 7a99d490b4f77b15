// Per-sample scores written beside a result as an f32 .npy (--scores, --scores-y).
import { npyBytes } from '../io/npy-write.js';
import { modeKey, type ScoresFileJson } from '../report/json.js';
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

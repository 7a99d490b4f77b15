// One application of an external operator (eig-result.ts, kind 'external') for
// Lanczos (lanczos.ts): the caller applies it asynchronously (the matrix-free
// route on workers), so the step is yielded with the pending application.
import { lzBindExternal } from '../wasm/lanczos.js';
import type { WasmArray } from '../wasm/memory.js';
import type { Step } from '../runtime/cooperative.js';
import type { EigOperator } from './eig-result.js';

/**
 * Op·q for row `row` of the basis Q (rows of n): the row goes out, a step is
 * yielded carrying the pending application (drive() awaits it) and Lanczos's
 * progress (restarts of maxRestarts, `steps` so far), and the result is written
 * to `out` and bound for lanczosRun's next step.
 */
export function* applyExternal(
  op: Extract<EigOperator, { kind: 'external' }>,
  Q: WasmArray<Float64Array>,
  n: number,
  row: number,
  out: WasmArray<Float64Array>,
  restarts: number,
  maxRestarts: number,
  steps: number,
): Generator<Step, void> {
  const got: { y?: Float64Array } = {};
  const wait = op.apply(Q.view.slice(row * n, (row + 1) * n)).then((y) => {
    got.y = y;
  });
  yield { done: restarts, total: maxRestarts, message: `Lanczos: ${steps} steps, restart ${restarts} (stops when converged)`, wait };
  const y = got.y;
  if (!y || y.length !== n) throw new RangeError(`spec-embed: extremeEigs: the external operator gave ${y ? y.length : 'no'} values, expected ${n}`);
  out.view.set(y);
  lzBindExternal(n, out);
}

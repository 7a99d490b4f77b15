// Run by tests/deno/deno.test.mjs as a Deno process of its own: compare() with
// threads: 2, then with worker: true, prints the results and falls off the end.
// Three observations, none a clock:
// - the Web Workers the library started, counted through a wrapped `Worker`,
//   are all terminated two macrotasks after the last result (before the fix
//   they idled on until the pool's 15-s reaper, holding the process);
// - an unreferenced 1-ms timer counts the loop's turns after the result: it
//   runs on only while something else holds the process (thousands of turns
//   before the fix);
// - Deno dispatches `unload` only when the event loop has emptied (a parent's
//   kill does not), so the marker line says the script ended by itself.
import * as lib from '../../dist/index.js';
import { randomF32 } from '../shared/rng.mjs';

const live = new Set<Worker>();
const Base = globalThis.Worker;
globalThis.Worker = class extends Base {
  constructor(url: string | URL, options?: WorkerOptions) {
    super(url, options);
    live.add(this);
  }
  override terminate(): void {
    live.delete(this);
    super.terminate();
  }
};

let turns = 0;
addEventListener('unload', () => console.log(`spec-embed-exit: event loop empty after ${turns} turns`));

const n = 2600;
const X = { data: randomF32(n * 12, 41), rows: n, cols: 12 };
const Y = { data: randomF32(n * 9, 42), rows: n, cols: 9 };
const options = {
  kernelX: { type: 'gaussian' as const, sigma: 1, rffDim: 32 },
  kernelY: 'cosine' as const,
  method: 'covariance' as const,
  topK: 2,
  threads: 2,
};
const threaded = await lib.compare(X, Y, options);
if (threaded.threads !== 2) throw new Error(`compare ran on ${threaded.threads ?? 1} thread(s), expected 2 workers`);
const offloaded = await lib.compare(X, Y, { ...options, worker: true });
if (offloaded.threads !== 2) throw new Error(`worker: true ran on ${offloaded.threads ?? 1} thread(s), expected 2 workers`);
if (offloaded.specDiff.xNotY !== threaded.specDiff.xNotY) throw new Error('worker: true differs from threads: 2');
console.log(`spec-embed-exit: results ${threaded.specDiff.xNotY} ${offloaded.specDiff.xNotY}`);
const tick = () => {
  turns++;
  Deno.unrefTimer(setTimeout(tick, 1));
};
Deno.unrefTimer(setTimeout(tick, 1));
for (let i = 0; i < 2; i++) await new Promise((r) => setTimeout(r, 0));
console.log(`spec-embed-exit: live workers ${live.size}`);

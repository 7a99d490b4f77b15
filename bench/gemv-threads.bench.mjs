// Why two workers speed the matrix-free operator up so little on a machine
// (docs/performance.md, "Matrix-free solve"): the library's own wasm kernels
// (dist/spec-embed.wasm) run the operator's two GEMV passes, and a plain f32 sum
// for reference, over 5000 × 2000 f32 rows (40 MB) per thread, on 1 and then 2
// worker threads at once; prints each kernel's total bandwidth. A GEMV pass that
// doubles its total on two threads is bound by one core; one whose total stays
// flat is bound by what the two vCPUs share (memory, or a core they share).
//   node bench/gemv-threads.bench.mjs [REPS=20]
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROWS = 5000,
  COLS = 2000;

if (isMainThread) {
  const reps = Number(process.argv[2] ?? 20);
  const wasm = fileURLToPath(new URL('../dist/spec-embed.wasm', import.meta.url));
  for (const threads of [1, 2]) {
    const ws = Array.from({ length: threads }, () => new Worker(new URL(import.meta.url), { workerData: { wasm, reps } }));
    await Promise.all(ws.map((w) => new Promise((r) => w.once('message', r))));
    for (const kernel of ['sum', 'gemvTAcc', 'gemvNAcc']) {
      const t = performance.now();
      await Promise.all(ws.map((w) => new Promise((r) => (w.once('message', r), w.postMessage(kernel)))));
      const ms = performance.now() - t;
      const bytes = threads * reps * ROWS * COLS * 4;
      console.log(`${threads} thread(s) ${kernel.padEnd(8)} ${(ms / reps).toFixed(2)} ms per pass, ${(bytes / ms / 1e6).toFixed(1)} GB/s in all`);
    }
    await Promise.all(ws.map((w) => w.terminate()));
  }
} else {
  const { wasm, reps } = workerData;
  const { instance } = await WebAssembly.instantiate(readFileSync(wasm), { env: { abort: () => {}, seed: () => 1 } });
  const e = /** @type {any} */ (instance.exports);
  const A = e.alloc(ROWS * COLS * 4),
    x = e.alloc(ROWS * 8),
    t = e.alloc(COLS * 8),
    s32 = e.alloc(COLS * 4),
    t32 = e.alloc(COLS * 4),
    y = e.alloc(ROWS * 8);
  new Float32Array(e.memory.buffer, A, ROWS * COLS).fill(0.5);
  new Float64Array(e.memory.buffer, x, ROWS).fill(0.5);
  new Float32Array(e.memory.buffer, t32, COLS).fill(0.5);
  // frob2F32 streams the rows once with little arithmetic: the plain-sum reference
  const K = {
    sum: () => e.frob2F32(ROWS, COLS, A),
    gemvTAcc: () => e.gemvTAcc(ROWS, COLS, A, x, t, s32),
    gemvNAcc: () => e.gemvNAcc(ROWS, COLS, A, t32, y, 1),
  };
  for (const f of Object.values(K)) for (let r = 0; r < 5; r++) f();
  const port = /** @type {import('node:worker_threads').MessagePort} */ (parentPort);
  port.postMessage('ready');
  port.on('message', (k) => {
    for (let r = 0; r < reps; r++) K[k]();
    port.postMessage('done');
  });
}

#!/usr/bin/env node
// Soak test (`npm run soak`, not part of `npm test`): 500 mixed runs in one process
// — compare() on both routes and every kernel, finc(), aborts by AbortSignal.timeout
// or a timer, inputs that must fail, SpecAccumulators split, serialised,
// deserialised and merged — checking that
//   * every failure is the expected InputError/AbortError (anything else is a violation);
//   * wasm memory and RSS stay within a bound after warm-up (no leak per run);
//   * merged/serialised accumulators give compare()'s covariance-route eigenvalues;
//   * a sample of ~20 successful runs gives bit-identical results in a fresh process.
// Prints a summary table; exits 1 on any violation. Imports src/ (it reads the
// wasm memory size, an internal), so it runs under tsx:
//   node --import tsx --expose-gc scripts/soak.mjs [--runs N] [--seed S]
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { init, compare, finc, SpecAccumulator, InputError, AbortError } from '../src/index.ts';
import { wasm } from '../src/wasm/loader.ts';
import { mulberry32 } from '../tests/shared/rng.mjs';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const RUNS = Number(opt('--runs', 500));
const SEED = Number(opt('--seed', 2024));
const WARMUP = Math.min(100, Math.floor(RUNS / 5));
const REPLAYS = 20;
/** After warm-up, wasm memory may not grow by more than this (a leak of even 64 KiB per run would). */
const WASM_BOUND = 16 * 2 ** 20;
/** RSS may not grow by more than this after warm-up (JS garbage, allocator slack). */
const RSS_BOUND = 192 * 2 ** 20;

// ---- deterministic run specs and data ----------------------------------------------
function matrix(rows, cols, seed, { rank = cols, zeroRow = -1, nanAt = -1 } = {}) {
  const r = mulberry32(seed);
  const g = () => {
    const u = Math.max(r(), 1e-12),
      v = r();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
  const B = Float64Array.from({ length: rows * rank }, g),
    W = Float64Array.from({ length: rank * cols }, g);
  const data = new Float32Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let k = 0; k < rank; k++) for (let j = 0; j < cols; j++) data[i * cols + j] += B[i * rank + k] * W[k * cols + j];
  if (zeroRow >= 0) data.fill(0, zeroRow * cols, zeroRow * cols + cols);
  if (nanAt >= 0) data[nanAt] = NaN;
  return { data, rows, cols };
}

function makeSpec(i, r) {
  const pick = (a) => a[Math.floor(r() * a.length)];
  const int = (lo, hi) => lo + Math.floor(r() * (hi - lo + 1));
  const kernel = () => {
    const t = pick(['cosine', 'linear', 'gaussian']);
    return t === 'gaussian' ? { type: t, sigma: pick(['auto', 2, 5]), rffDim: pick([8, 32, 64]) } : t;
  };
  const u = r();
  const seed = int(0, 2 ** 31);
  if (u < 0.45) {
    const method = pick(['exact', 'covariance', 'auto']);
    const n = method === 'covariance' ? int(40, 3000) : int(2, 400);
    return {
      i,
      kind: 'compare',
      n,
      dx: int(1, 32),
      dy: int(1, 32),
      rank: int(1, 32),
      kernelX: kernel(),
      kernelY: kernel(),
      eta: pick([1, 0.5, 2, 0]),
      topK: int(1, 12),
      samplesPerMode: int(1, 25),
      method,
      seed,
    };
  }
  if (u < 0.65) {
    const method = pick(['exact', 'covariance']);
    const k = kernel();
    return {
      i,
      kind: 'finc',
      nx: int(2, method === 'exact' ? 250 : 2000),
      ny: int(2, method === 'exact' ? 250 : 2000),
      d: int(1, 24),
      kernel: k,
      eta: pick([1, 0.5]),
      topK: int(1, 8),
      method,
      seed,
    };
  }
  if (u < 0.78)
    return { i, kind: 'abort', n: int(500, 2500), d: int(8, 48), method: pick(['exact', 'covariance']), how: pick(['timeout', 'timer']), ms: int(0, 30), seed };
  if (u < 0.9)
    return { i, kind: 'fail', what: pick(['nan', 'zero-row', 'rows', 'sigma', 'eta', 'topK', 'finc-cols']), method: pick(['exact', 'covariance']), seed };
  return {
    i,
    kind: 'accumulator',
    n: int(200, 3000),
    dx: int(1, 24),
    dy: int(1, 24),
    kernelX: pick(['cosine', 'linear', { type: 'gaussian', sigma: 3, rffDim: 16 }]),
    kernelY: pick(['cosine', 'linear', { type: 'gaussian', sigma: 4, rffDim: 8 }]),
    topK: int(1, 6),
    seed,
  };
}

/** The comparable part of a result: everything but timings. */
function digest(res) {
  return JSON.stringify({
    method: res.method,
    n: res.n,
    nx: res.nx,
    ny: res.ny,
    kernelX: res.kernelX,
    kernelY: res.kernelY,
    kernel: res.kernel,
    specDiff: res.specDiff,
    noiseDropped: res.noiseDropped,
    eigenvalues: Array.from(res.eigenvalues),
    modes: res.modes.map((m) => ({ side: m.side, rank: m.rank, eigenvalue: m.eigenvalue, top: m.top, shareX: m.shareX, shareY: m.shareY })),
  });
}

/** Runs the deterministic part of a spec (compare/finc) and returns its result. */
async function runPlain(s) {
  if (s.kind === 'compare') {
    const X = matrix(s.n, s.dx, s.seed, { rank: Math.min(s.rank, s.dx) }),
      Y = matrix(s.n, s.dy, s.seed + 1);
    return compare(X, Y, {
      kernelX: s.kernelX,
      kernelY: s.kernelY,
      eta: s.eta,
      topK: s.topK,
      samplesPerMode: s.samplesPerMode,
      method: s.method,
      seed: s.seed % 1000,
    });
  }
  const X = matrix(s.nx, s.d, s.seed),
    Y = matrix(s.ny, s.d, s.seed + 1, { rank: Math.max(1, s.d >> 1) });
  return finc(X, Y, { kernel: s.kernel, eta: s.eta, topK: s.topK, method: s.method, seed: s.seed % 1000 });
}

// ---- child mode: one spec in a fresh process ----------------------------------------
if (args[0] === '--child') {
  await init();
  const res = await runPlain(JSON.parse(args[1]));
  process.stdout.write(digest(res));
  process.exit(0);
}

// ---- the soak --------------------------------------------------------------------------
class Violation extends Error {}

async function runOne(s) {
  switch (s.kind) {
    case 'compare':
    case 'finc':
      return { res: await runPlain(s) };
    case 'abort': {
      const X = matrix(s.n, s.d, s.seed),
        Y = matrix(s.n, s.d, s.seed + 1);
      let signal;
      if (s.how === 'timeout') signal = AbortSignal.timeout(s.ms);
      else {
        const c = new AbortController();
        setTimeout(() => c.abort(), s.ms);
        signal = c.signal;
      }
      try {
        await compare(X, Y, { kernel: 'gaussian', method: s.method, signal, topK: 5 });
        return { outcome: 'finished' };
      } catch (e) {
        if (e instanceof AbortError || e?.name === 'AbortError' || e?.name === 'TimeoutError') return { outcome: 'aborted' };
        throw e;
      }
    }
    case 'fail': {
      const X = matrix(30, 4, s.seed),
        Y = matrix(30, 3, s.seed + 1);
      const o = { method: s.method };
      const attempt = {
        nan: () => compare(matrix(30, 4, s.seed, { nanAt: 17 }), Y, o),
        'zero-row': () => compare(matrix(30, 4, s.seed, { zeroRow: 7 }), Y, { ...o, kernel: 'cosine' }),
        rows: () => compare(X, matrix(29, 3, s.seed), o),
        sigma: () => compare(X, Y, { ...o, kernel: { type: 'gaussian', sigma: -1 } }),
        eta: () => compare(X, Y, { ...o, eta: -0.5 }),
        topK: () => compare(X, Y, { ...o, topK: 0 }),
        'finc-cols': () => finc(X, Y, o),
      }[s.what];
      try {
        await attempt();
      } catch (e) {
        if (e instanceof InputError) return { outcome: 'InputError' };
        throw new Violation(`bad input '${s.what}' raised ${e?.name}: ${e?.message}`);
      }
      throw new Violation(`bad input '${s.what}' was accepted`);
    }
    case 'accumulator': {
      const X = matrix(s.n, s.dx, s.seed),
        Y = matrix(s.n, s.dy, s.seed + 1);
      const half = s.n >> 1;
      const part = (m, a, b) => ({ data: m.data.subarray(a * m.cols, b * m.cols), rows: b - a, cols: m.cols });
      const mk = () => SpecAccumulator.create({ kernelX: s.kernelX, kernelY: s.kernelY, dx: s.dx, dy: s.dy, seed: 7 });
      const a = await mk(),
        b = await mk();
      let merged = null;
      try {
        a.add(part(X, 0, half), part(Y, 0, half));
        b.add(part(X, half, s.n), part(Y, half, s.n));
        const bytesA = a.serialize(),
          bytesB = b.serialize();
        merged = await SpecAccumulator.deserialize(bytesA);
        const other = await SpecAccumulator.deserialize(bytesB);
        try {
          merged.merge(other);
        } finally {
          other.dispose();
        }
        // A corrupted snapshot must be refused without leaking.
        const bad = bytesA.slice();
        bad[bad.length - 5] ^= 0xff;
        try {
          (await SpecAccumulator.deserialize(bad)).dispose();
        } catch (e) {
          if (!(e instanceof InputError)) throw new Violation(`corrupt snapshot raised ${e?.name}: ${e?.message}`);
        }
        const sol = merged.solve({ topK: s.topK });
        merged.scores(X, Y);
        const modes = merged.modes();
        if (modes.length !== sol.eigenvalues.length) throw new Violation('accumulator: modes() and solve() disagree');
        const ref = await compare(X, Y, { kernelX: s.kernelX, kernelY: s.kernelY, topK: s.topK, method: 'covariance', seed: 7 });
        if (ref.n > 0 && s.n > s.dx + s.dy + 64) {
          const tol = 1e-5 * ref.specDiff.norm + 1e-6;
          const same = sol.eigenvalues.length === ref.eigenvalues.length && sol.eigenvalues.every((v, j) => Math.abs(v - ref.eigenvalues[j]) <= tol);
          if (!same)
            throw new Violation(
              `accumulator (split, serialised, merged) eigenvalues ${Array.from(sol.eigenvalues)} differ from compare()'s ${Array.from(ref.eigenvalues)}`,
            );
        }
        return { outcome: 'matched' };
      } finally {
        a.dispose();
        b.dispose();
        merged?.dispose();
      }
    }
  }
}

await init();
const ex = wasm();
const r = mulberry32(SEED);
const specs = Array.from({ length: RUNS }, (_, i) => makeSpec(i, r));
const stats = new Map();
const violations = [];
const replayable = [];
let wasmAtWarm = 0,
  rssAtWarm = 0,
  wasmMax = 0,
  rssMax = 0;
const gc = globalThis.gc ?? (() => {});
const t0 = performance.now();
for (const s of specs) {
  const st = stats.get(s.kind) ?? { runs: 0, ok: 0, inputError: 0, aborted: 0, violations: 0, ms: 0, maxMs: 0 };
  stats.set(s.kind, st);
  st.runs++;
  const ts = performance.now();
  try {
    const out = await runOne(s);
    if (out.outcome === 'aborted') st.aborted++;
    else if (out.outcome === 'InputError') st.inputError++;
    else st.ok++;
    if (out.res) replayable.push({ s, digest: digest(out.res) });
  } catch (e) {
    st.violations++;
    violations.push(`run ${s.i} (${s.kind}): ${e instanceof Violation ? '' : `unexpected ${e?.name}: `}${e?.message}`);
  }
  const ms = performance.now() - ts;
  st.ms += ms;
  st.maxMs = Math.max(st.maxMs, ms);
  if (s.i === WARMUP - 1 || s.i % 25 === 24) {
    gc();
    const wasmBytes = ex.memory.buffer.byteLength,
      rss = process.memoryUsage().rss;
    if (s.i === WARMUP - 1) {
      wasmAtWarm = wasmBytes;
      rssAtWarm = rss;
    }
    if (s.i >= WARMUP) {
      wasmMax = Math.max(wasmMax, wasmBytes);
      rssMax = Math.max(rssMax, rss);
    }
  }
}
const seconds = (performance.now() - t0) / 1000;
if (wasmMax - wasmAtWarm > WASM_BOUND)
  violations.push(`wasm memory grew by ${((wasmMax - wasmAtWarm) / 2 ** 20).toFixed(1)} MiB after warm-up (bound ${WASM_BOUND / 2 ** 20} MiB)`);
if (rssMax - rssAtWarm > RSS_BOUND)
  violations.push(`RSS grew by ${((rssMax - rssAtWarm) / 2 ** 20).toFixed(1)} MiB after warm-up (bound ${RSS_BOUND / 2 ** 20} MiB)`);
if (ex.memoryBytes() !== ex.memory.buffer.byteLength) violations.push('memoryBytes() disagrees with memory.buffer.byteLength');

// Replays in fresh processes: an evenly spread sample of the successful deterministic runs.
const script = fileURLToPath(import.meta.url);
const step = Math.max(1, Math.floor(replayable.length / REPLAYS));
let replayed = 0,
  mismatched = 0;
for (let j = 0; j < replayable.length && replayed < REPLAYS; j += step) {
  const { s, digest: want } = replayable[j];
  const child = spawnSync(process.execPath, [...process.execArgv, script, '--child', JSON.stringify(s)], { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
  replayed++;
  if (child.status !== 0 || child.stdout !== want) {
    mismatched++;
    violations.push(`run ${s.i} (${s.kind}) differs in a fresh process${child.status !== 0 ? `: exit ${child.status} ${child.stderr.slice(0, 300)}` : ''}`);
  }
}

const MiB = (b) => (b / 2 ** 20).toFixed(1);
console.log(`\nspec-embed soak: ${RUNS} runs (seed ${SEED}) in ${seconds.toFixed(1)} s; warm-up ${WARMUP} runs\n`);
console.log('kind         runs    ok  InputError  aborted  violations  mean ms   max ms');
for (const [kind, st] of stats) {
  console.log(
    `${kind.padEnd(11)} ${String(st.runs).padStart(5)} ${String(st.ok).padStart(5)} ${String(st.inputError).padStart(11)} ${String(st.aborted).padStart(8)} ${String(st.violations).padStart(11)} ${(st.ms / st.runs).toFixed(1).padStart(8)} ${st.maxMs.toFixed(0).padStart(8)}`,
  );
}
console.log(`\nwasm memory: ${MiB(wasmAtWarm)} MiB after warm-up, max ${MiB(wasmMax)} MiB after (bound +${MiB(WASM_BOUND)} MiB)`);
console.log(`RSS:         ${MiB(rssAtWarm)} MiB after warm-up, max ${MiB(rssMax)} MiB after (bound +${MiB(RSS_BOUND)} MiB)`);
console.log(`fresh-process replays: ${replayed}, identical ${replayed - mismatched}, different ${mismatched}`);
if (violations.length) {
  console.log(`\n${violations.length} violation(s):`);
  for (const v of violations.slice(0, 50)) console.log(`  - ${v}`);
  process.exit(1);
}
console.log('\nno violations');

// Where the time of B1 and B2 goes: runs each under `node --cpu-prof` and
// prints self and inclusive time per function (wasm kernels, JS glue, GC),
// next to the stage `timings` the run reports.
//
//   node bench/profile.mjs [--quick] [--only B1,B2] [--top N]
//
// Profiles are written to bench/results/profiles/ (open them in Chrome DevTools).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = join(ROOT, 'dist');
const argv = process.argv.slice(2);
const QUICK = argv.includes('--quick');
const value = (f, d) => (argv.includes(f) ? argv[argv.indexOf(f) + 1] : d);
const ONLY = value('--only', 'B1,B2').split(',');
const TOP = Number(value('--top', 25));
const CACHE = process.env.SPEC_BENCH_CACHE ?? join(tmpdir(), 'spec-embed-bench');
const OUT = join(ROOT, 'bench/results/profiles');

function dataDir(name, n, dx, dy, seed) {
  const dir = join(CACHE, `${name}-n${n}-${dx}x${dy}-s${seed}`);
  mkdirSync(dir, { recursive: true });
  const r = spawnSync('python3', [join(ROOT, 'bench/python/make_bench_data.py'), dir, n, dx, dy, seed]);
  if (r.status !== 0) throw new Error(String(r.stderr));
  return dir;
}

/** Runs `args` under --cpu-prof; returns { wall, stdout, profile }. */
function profiled(name, args) {
  const dir = join(OUT, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['--cpu-prof', '--cpu-prof-dir', dir, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const wall = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(r.stderr);
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  return { wall, stdout: r.stdout, profile: JSON.parse(readFileSync(join(dir, String(file)), 'utf8')) };
}

/**
 * Names of the wasm functions by index (the release build has no name section,
 * so V8 reports wasm-function[N]): the export section maps N to an export name.
 */
function wasmNames(file) {
  const b = readFileSync(file);
  let p = 8;
  const leb = () => {
    let r = 0,
      s = 0,
      x;
    do {
      x = b[p++];
      r |= (x & 0x7f) << s;
      s += 7;
    } while (x & 0x80);
    return r >>> 0;
  };
  const names = new Map();
  while (p < b.length) {
    const id = b[p++],
      size = leb(),
      end = p + size;
    if (id === 7) {
      for (let i = leb(); i > 0; i--) {
        const len = leb();
        const name = b.subarray(p, p + len).toString('utf8');
        p += len;
        const kind = b[p++],
          index = leb();
        if (kind === 0) names.set(index, name);
      }
    }
    p = end;
  }
  return names;
}
const WASM_NAMES = wasmNames(join(DIST, 'spec-embed.wasm'));

/** Self and inclusive seconds per function (recursion counted once per sample). */
function summarize(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const key = (n) => {
    const f = n.callFrame;
    const w = /^wasm-function\[(\d+)\]/.exec(f.functionName);
    if (w) {
      const name = WASM_NAMES.get(Number(w[1]));
      if (name) return `wasm ${name}`;
      // An internal (non-exported) wasm function: name it by its exported caller.
      let up = parent.get(n.id);
      while (up !== undefined && !WASM_NAMES.has(Number(/^wasm-function\[(\d+)\]/.exec(byId.get(up).callFrame.functionName)?.[1] ?? -1))) up = parent.get(up);
      const caller = up === undefined ? '?' : WASM_NAMES.get(Number(/\[(\d+)\]/.exec(byId.get(up).callFrame.functionName)?.[1]));
      return `wasm ${f.functionName} (inside ${caller})`;
    }
    const file = f.url ? f.url.replace(/^.*\//, '') : '';
    return `${f.functionName || '(anonymous)'}${file ? ` ${file}:${f.lineNumber + 1}` : ''}`;
  };
  const self = new Map(),
    incl = new Map();
  let total = 0;
  const { samples, timeDeltas } = profile;
  for (let i = 0; i < samples.length; i++) {
    // timeDeltas[i] is the time before sample i; attribute it to sample i.
    const dt = (timeDeltas[i + 1] ?? 0) / 1e6;
    total += dt;
    const n = byId.get(samples[i]);
    self.set(key(n), (self.get(key(n)) ?? 0) + dt);
    const seen = new Set();
    for (let id = samples[i]; id !== undefined; id = parent.get(id)) {
      const k = key(byId.get(id));
      if (seen.has(k)) continue;
      seen.add(k);
      incl.set(k, (incl.get(k) ?? 0) + dt);
    }
  }
  const sorted = (m) => [...m.entries()].sort((a, b) => b[1] - a[1]);
  return { total, self: sorted(self), incl: sorted(incl) };
}

function report(name, run, timings) {
  const s = summarize(run.profile);
  console.log(`\n## ${name}: wall ${run.wall.toFixed(2)} s, profiled ${s.total.toFixed(2)} s`);
  if (timings) {
    const stages = Object.entries(timings).filter(([k]) => k !== 'total');
    const sum = stages.reduce((a, [, v]) => a + v, 0);
    console.log(
      `timings: ${stages.map(([k, v]) => `${k} ${v.toFixed(2)}`).join(', ')}; sum ${sum.toFixed(2)}, total ${timings.total?.toFixed(2)}; wall − sum = ${(run.wall - sum).toFixed(2)} s in no stage`,
    );
  }
  const wasm = s.self.filter(([k]) => /^wasm /.test(k));
  const wasmSum = wasm.reduce((a, [, v]) => a + v, 0);
  console.log(`self time in wasm: ${wasmSum.toFixed(2)} s (${((100 * wasmSum) / s.total).toFixed(0)}%)`);
  console.log(`\nself time (top ${TOP}):`);
  for (const [k, v] of s.self.slice(0, TOP)) console.log(`  ${v.toFixed(3).padStart(8)} s  ${((100 * v) / s.total).toFixed(1).padStart(5)}%  ${k}`);
  console.log(`\ninclusive time, JS functions (top ${TOP}):`);
  for (const [k, v] of s.incl.filter(([k]) => !/^wasm /.test(k)).slice(0, TOP))
    console.log(`  ${v.toFixed(3).padStart(8)} s  ${((100 * v) / s.total).toFixed(1).padStart(5)}%  ${k}`);
}

if (ONLY.includes('B1')) {
  const n = QUICK ? 2000 : 10000,
    m = QUICK ? 250 : 1000;
  const dir = dataDir('B1', n, 768, 512, 1);
  const options = { kernelX: { type: 'gaussian', sigma: 40, rffDim: m }, kernelY: { type: 'gaussian', sigma: 32, rffDim: m }, topK: 10, method: 'covariance' };
  const run = profiled('B1', [join(ROOT, 'bench/run/lib-child.mjs'), JSON.stringify({ dist: DIST, dir, options })]);
  const out = JSON.parse(String(run.stdout.trim().split('\n').pop()));
  report(`B1 (library, n = ${n}, RFF m = ${m}; compare() took ${out.seconds.toFixed(2)} s)`, run, out.timings);
}
if (ONLY.includes('B2')) {
  const n = QUICK ? 10000 : 100000;
  const dir = dataDir('B2', n, 768, 512, 3);
  const run = profiled('B2', [join(DIST, 'cli.js'), 'compare', join(dir, 'X.npy'), join(dir, 'Y.npy'), '--kernel', 'cosine', '--json']);
  report(`B2 (CLI, n = ${n}, cosine)`, run, JSON.parse(run.stdout).timings);
}

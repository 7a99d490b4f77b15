// `npm run bench`: spec-embed against NumPy/SciPy (1 and 2 BLAS threads), an
// ml-matrix pipeline and full eigh, on seeded synthetic embeddings of
// real-model sizes. Every run is its own process (so its peak RSS is
// its own), the runners of a workload are interleaved, and medians are taken.
// Prints a table and writes bench/results/latest.json. Wall seconds are the
// measure; CPU seconds (all threads) are printed beside them because on a shared
// machine they move far less with other load.
//
//   node bench/run.mjs [--quick] [--b4] [--reps N] [--only B1,chromium,B2,B3,B4] [--ml-timeout S] [--out FILE]
//
// chromium  B1 in headless Chromium (2 Web Workers) against Node (2 worker
//           threads), timed side by side by bench/chromium.mjs; alone: --only chromium
// --quick   small sizes, for developing the script (numbers mean little)
// --b4      also B4: 1,000,000 rows streamed from disk (writes 2.5 GB, checks free space, deletes it)
// Data: bench/python/make_bench_data.py writes .npy files into
// $SPEC_BENCH_CACHE (default <tmpdir>/spec-embed-bench), reused across runs.
import { spawnSync, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync, statfsSync } from 'node:fs';
import { cpus, availableParallelism, totalmem, loadavg, tmpdir, release } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = join(ROOT, 'dist');
const CLI = join(DIST, 'cli.js');
const BASELINE = join(ROOT, 'bench/python/compare_baseline.py');
const MAKE_DATA = join(ROOT, 'bench/python/make_bench_data.py');
const RSS_HOOK = join(ROOT, 'bench/run/rss-hook.mjs');

// ---------- options ----------
const argv = process.argv.slice(2);
const has = (f) => argv.includes(f);
const value = (f, d) => (argv.includes(f) ? argv[argv.indexOf(f) + 1] : d);
const QUICK = has('--quick');
const REPS = Math.max(1, Number(value('--reps', 3)));
const ONLY = value('--only', 'B1,chromium,B2,B3' + (has('--b4') ? ',B4' : '')).split(',');
const ML_TIMEOUT = Number(value('--ml-timeout', 120));
const OUT = value('--out', join(ROOT, 'bench/results/latest.json'));
const CACHE = process.env.SPEC_BENCH_CACHE ?? join(tmpdir(), 'spec-embed-bench');

const SIZES = QUICK
  ? { B1: { n: 2000, m: 250 }, B2: { n: 10000 }, B3: { n: 800 }, B4: [25000, 50000, 100000] }
  : { B1: { n: 10000, m: 1000 }, B2: { n: 100000 }, B3: { n: 4000 }, B4: [250000, 500000, 1000000] };
const SIGMA_X = 40,
  SIGMA_Y = 32,
  TOP_K = 10;

// ---------- helpers ----------
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
};
const log = (...a) => console.error(...a);

/**
 * @param {string} cmd
 * @param {string[]} args
 * @param {{ env?: NodeJS.ProcessEnv, timeoutS?: number }} [options]
 */
function run(cmd, args, { env = process.env, timeoutS } = {}) {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { encoding: 'utf8', env, maxBuffer: 1 << 28, timeout: timeoutS ? timeoutS * 1000 : undefined, killSignal: 'SIGKILL' });
  const wall = (performance.now() - t0) / 1000;
  const timedOut = /** @type {any} */ (r.error)?.code === 'ETIMEDOUT' || (timeoutS && r.signal === 'SIGKILL');
  if (!timedOut && r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status ?? r.signal}):\n${r.stderr}`);
  const last = String(r.stdout.trim().split('\n').pop());
  return { wall, timedOut, stderr: r.stderr, out: timedOut ? null : JSON.parse(last) };
}

/** NumPy's environment: this CPU's best OpenBLAS kernels (the two variables unset) at `threads` threads. */
function pyEnv(threads) {
  /** @type {NodeJS.ProcessEnv} */
  const env = { ...process.env, OPENBLAS_NUM_THREADS: String(threads), OMP_NUM_THREADS: String(threads), MKL_NUM_THREADS: String(threads) };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  return env;
}

function dataDir(name, n, dx, dy, seed) {
  const dir = join(CACHE, `${name}-n${n}-${dx}x${dy}-s${seed}`);
  if (!existsSync(join(dir, 'done'))) {
    mkdirSync(dir, { recursive: true });
    log(`generating ${dir} …`);
    run('python3', [MAKE_DATA, dir, n, dx, dy, seed]);
    writeFileSync(join(dir, 'done'), '');
  }
  return dir;
}

// ---------- machine and capabilities ----------
if (!existsSync(join(DIST, 'index.js')) || !existsSync(CLI)) {
  log('dist/ missing: npm run build');
  execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
}

/** Whether the library and the CLI take a thread count yet (another branch adds it). */
function threadSupport() {
  // CompareOptions takes `threads` through the options it shares with finc (TaskOptions)
  const types = readFileSync(join(ROOT, 'src/types/index.ts'), 'utf8');
  const lib = /\n\s*threads\?: number;/.test(types);
  const help = spawnSync(process.execPath, [CLI, 'compare', '--help'], { encoding: 'utf8' });
  const cli = /--threads/.test(help.stdout + help.stderr) && !/currently always 1/.test(help.stdout + help.stderr);
  return { lib, cli };
}

const py = run('python3', [BASELINE, 'info'], { env: pyEnv(1) }).out;
const pyAsSet = run('python3', [BASELINE, 'info']).out; // with this shell's OPENBLAS_* as they are
const cores = typeof availableParallelism === 'function' ? availableParallelism() : cpus().length;
const support = threadSupport();
const machine = {
  cpu: cpus()[0]?.model ?? 'unknown',
  cores,
  memoryGiB: +(totalmem() / 2 ** 30).toFixed(1),
  os: `${process.platform} ${release()}`,
  node: process.version,
  python: py.python,
  numpy: py.numpy,
  scipy: py.scipy,
  openblas: py.blas,
  openblasWithSessionEnv: {
    OPENBLAS_CORETYPE: process.env.OPENBLAS_CORETYPE ?? null,
    OPENBLAS_L2_SIZE: process.env.OPENBLAS_L2_SIZE ?? null,
    blas: pyAsSet.blas,
  },
  loadAverageAtStart: loadavg().map((x) => +x.toFixed(2)),
  threadsSupported: support,
};
const MULTI = [1, Math.min(2, cores)].filter((t, i, a) => a.indexOf(t) === i);
/** Thread counts ours runs at, through the library and through the CLI. */
const LIB_THREADS = support.lib ? MULTI : [1];
const CLI_THREADS = support.cli ? MULTI : [1];
const NP_THREADS = [1, Math.min(2, cores)].filter((t, i, a) => a.indexOf(t) === i);
log(`machine: ${machine.cpu}, ${cores} cores, node ${machine.node}, NumPy ${machine.numpy}, SciPy ${machine.scipy}`);
log(
  `OpenBLAS (OPENBLAS_CORETYPE/L2_SIZE unset): ${py.blas
    .filter((b) => b.coretype)
    .map((b) => `${b.library}: ${b.coretype}`)
    .join(', ')}`,
);
if (process.env.OPENBLAS_CORETYPE)
  log(`  (this shell sets OPENBLAS_CORETYPE=${process.env.OPENBLAS_CORETYPE}: it would run ${pyAsSet.blas.find((b) => b.coretype)?.coretype})`);
if (!support.lib) log('spec-embed library: threads are not available yet (CompareOptions has no `threads`): ours runs on 1 thread');
if (!support.cli) log('spec-embed CLI: threads are not available yet (--threads is accepted and ignored): ours runs on 1 thread');
log(`load average: ${machine.loadAverageAtStart.join(' ')} (the machine is shared: ratios move when it is busy)`);

// ---------- runners ----------
/** Ours through the library, in memory, one process per run. */
function oursLib(dir, options, threads) {
  const opts = support.lib ? { ...options, threads } : options;
  const r = run(process.execPath, [join(ROOT, 'bench/run/lib-child.mjs'), JSON.stringify({ dist: DIST, dir, options: opts })]).out;
  return {
    seconds: r.seconds,
    cpu: r.cpu,
    peakRssMiB: r.peakRssMiB,
    timings: r.timings,
    lmax: r.lmax,
    lmin: r.lmin,
    threadsReported: r.threads,
    solver: r.solver,
    solverReason: r.solverReason,
  };
}

/** Ours through the CLI: the whole process, reading included. */
function oursCli(dir, threads) {
  const rssFile = join(CACHE, `rss-${process.pid}.json`);
  const args = ['--import', RSS_HOOK, CLI, 'compare', join(dir, 'X.npy'), join(dir, 'Y.npy'), '--kernel', 'cosine', '--json'];
  if (support.cli) args.push('--threads', String(threads));
  const r = run(process.execPath, args, { env: { ...process.env, SPEC_BENCH_RSS_FILE: rssFile } });
  const { peakRssMiB, cpu } = JSON.parse(readFileSync(rssFile, 'utf8'));
  rmSync(rssFile);
  const stages = Object.entries(r.out.timings ?? {})
    .filter(([k]) => k !== 'total')
    .reduce((s, [, v]) => s + v, 0);
  return {
    seconds: r.wall,
    cpu,
    peakRssMiB,
    timings: r.out.timings,
    // Wall time of the process that no reported stage covers (start-up, reading outside `read`, JSON, exit).
    outsideStages: r.wall - stages,
    lmax: r.out.specDiff?.xNotY,
    lmin: r.out.specDiff != null ? -r.out.specDiff.yNotX : undefined,
  };
}

/** A NumPy/SciPy baseline run, one repetition in its own process. */
function numpy(mode, args, threads, { wall = false } = {}) {
  const r = run('python3', [BASELINE, mode, ...args.map(String), 1], { env: pyEnv(threads) });
  const core = r.out.blas.find((b) => b.coretype);
  return {
    seconds: wall ? r.wall : r.out.pipeline,
    cpu: wall ? r.out.processCpu : r.out.cpu,
    inScript: r.out.pipeline,
    lmax: r.out.lmax,
    lmin: r.out.lmin,
    coretype: core?.coretype,
    blasThreads: core?.threads,
    applications: r.out.applications,
  };
}

// ---------- workloads ----------
/**
 * Runs every runner REPS times, interleaved (the order rotates per repetition),
 * and returns { runnerName: { median, samples } }. A runner with `once` runs a
 * single time when it times out.
 */
function interleave(name, runners) {
  const samples = Object.fromEntries(runners.map((r) => [r.name, []]));
  const dead = new Set();
  for (let rep = 0; rep < REPS; rep++) {
    for (let i = 0; i < runners.length; i++) {
      const r = runners[(i + rep) % runners.length];
      if (dead.has(r.name)) continue;
      const s = r.fn();
      samples[r.name].push(s);
      log(
        `  ${name} rep ${rep + 1}/${REPS} ${r.name}: ${s.timedOut ? `> ${s.seconds} s (timed out)` : `${s.seconds.toFixed(3)} s`}${s.peakRssMiB ? `, peak RSS ${s.peakRssMiB.toFixed(0)} MiB` : ''}`,
      );
      if (s.timedOut) dead.add(r.name);
    }
  }
  return Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, summarize(v)]));
}

function summarize(v) {
  if (v.some((s) => s.timedOut)) return { timedOut: true, seconds: v[0].seconds, stage: v[0].stage, samples: v };
  const out = { seconds: median(v.map((s) => s.seconds)), samples: v };
  for (const key of ['cpu', 'peakRssMiB', 'outsideStages', 'inScript']) if (v[0][key] != null) out[key] = median(v.map((s) => s[key]));
  if (v[0].timings) out.timings = Object.fromEntries(Object.keys(v[0].timings).map((k) => [k, median(v.map((s) => s.timings[k] ?? 0))]));
  for (const key of ['lmax', 'lmin', 'coretype', 'blasThreads', 'threadsReported', 'solver', 'solverReason', 'applications'])
    if (v[0][key] !== undefined) out[key] = v[0][key];
  return out;
}

const results = { machine, quick: QUICK, reps: REPS, workloads: {} };

if (ONLY.includes('B1')) {
  const { n, m } = SIZES.B1;
  log(`\nB1: n = ${n}, 768 + 512, Gaussian RFF m = ${m} per side, top ${TOP_K} per side (library, in memory)`);
  const dir = dataDir('B1', n, 768, 512, 1);
  const options = {
    kernelX: { type: 'gaussian', sigma: SIGMA_X, rffDim: m },
    kernelY: { type: 'gaussian', sigma: SIGMA_Y, rffDim: m },
    topK: TOP_K,
    method: 'covariance',
  };
  const runners = [
    ...LIB_THREADS.map((t) => ({ name: `ours@${t}`, fn: () => oursLib(dir, options, t) })),
    ...NP_THREADS.map((t) => ({ name: `numpy@${t}`, fn: () => numpy('rff', [dir, m, SIGMA_X, SIGMA_Y, TOP_K], t) })),
    // the matrix-free solver forced (in process at one thread, its operator on the workers at two),
    // and NumPy's best practice for it: ARPACK eigsh on the same n × n LinearOperator (1/n)·Ψ J Ψᵀ of float32 Ψ
    { name: 'ours-matrix-free@1', fn: () => oursLib(dir, { ...options, solver: 'matrix-free' }, 1) },
    { name: 'ours-matrix-free@2', fn: () => oursLib(dir, { ...options, solver: 'matrix-free' }, 2) },
    ...NP_THREADS.map((t) => ({ name: `numpy-matrix-free@${t}`, fn: () => numpy('rff-matfree', [dir, m, SIGMA_X, SIGMA_Y, TOP_K], t) })),
    {
      name: 'ml-matrix@1',
      fn: () => {
        const r = run(
          process.execPath,
          [join(ROOT, 'bench/run/ml-matrix-child.mjs'), JSON.stringify({ dist: DIST, dir, m, sigmaX: SIGMA_X, sigmaY: SIGMA_Y, k: TOP_K })],
          { timeoutS: ML_TIMEOUT },
        );
        const stage = r.stderr.trim().split('\n').filter(Boolean).pop() ?? 'loading';
        return r.timedOut
          ? { timedOut: true, seconds: ML_TIMEOUT, stage: `last stage done: ${stage}` }
          : { seconds: r.out.seconds, lmax: r.out.lmax, lmin: r.out.lmin };
      },
    },
  ];
  results.workloads.B1 = {
    description: `n = ${n}, dx = 768, dy = 512, Gaussian RFF m = ${m}/side (σ ${SIGMA_X}/${SIGMA_Y}), top ${TOP_K}/side, library in memory`,
    runs: interleave('B1', runners),
  };
}

if (ONLY.includes('chromium')) {
  const { n, m } = SIZES.B1;
  const threads = 2;
  log(
    `\nB1 Chromium (${threads} workers) vs Node (${threads} worker threads): n = ${n}, 768 + 512, Gaussian RFF m = ${m} per side, in memory; one warm-up each, then ${REPS} interleaved runs each`,
  );
  const dir = dataDir('B1', n, 768, 512, 1);
  const options = {
    kernelX: { type: 'gaussian', sigma: SIGMA_X, rffDim: m },
    kernelY: { type: 'gaussian', sigma: SIGMA_Y, rffDim: m },
    topK: TOP_K,
    method: 'covariance',
    threads,
  };
  const description = `B1 (n = ${n}, 768 + 512, Gaussian RFF m = ${m}/side, top ${TOP_K}/side, covariance route), in memory, threads: ${threads}: headless Chromium (Web Workers, page loads dist/index.js) against Node (worker_threads), same script; data loaded before the clock`;
  try {
    const r = run(process.execPath, [join(ROOT, 'bench/chromium.mjs'), JSON.stringify({ dir, options, reps: REPS })]);
    process.stderr.write(r.stderr);
    results.workloads.B1chromium = { title: `B1 Chromium (${threads} workers) vs Node`, description, threads, ...r.out };
  } catch (/** @type {any} */ e) {
    // No Chromium on this machine (or it failed to start): the rest of the bench still runs.
    log(`  skipped: ${e.message.split('\n').slice(0, 3).join(' ')}`);
    results.workloads.B1chromium = { title: `B1 Chromium (${threads} workers) vs Node`, description, skipped: e.message.slice(0, 2000) };
  }
}

if (ONLY.includes('B2')) {
  const { n } = SIZES.B2;
  log(`\nB2: n = ${n}, cosine, 768 + 512, CLI from .npy (whole process)`);
  const dir = dataDir('B2', n, 768, 512, 3);
  const runners = [
    ...CLI_THREADS.map((t) => ({ name: `ours@${t}`, fn: () => oursCli(dir, t) })),
    ...NP_THREADS.map((t) => ({ name: `numpy@${t}`, fn: () => numpy('cosine', [dir, TOP_K], t, { wall: true }) })),
  ];
  results.workloads.B2 = {
    description: `n = ${n}, cosine, 768 + 512, \`spec-embed compare X.npy Y.npy --kernel cosine --json\` (whole process, reading included; NumPy: whole python process)`,
    runs: interleave('B2', runners),
  };
}

if (ONLY.includes('B3')) {
  const { n } = SIZES.B3;
  log(`\nB3: exact route, n = ${n}, Gaussian, 768 + 512`);
  const dir = dataDir('B3', n, 768, 512, 2);
  const options = { kernelX: { type: 'gaussian', sigma: SIGMA_X }, kernelY: { type: 'gaussian', sigma: SIGMA_Y }, topK: TOP_K, method: 'exact' };
  const runners = [
    ...LIB_THREADS.map((t) => ({ name: `ours@${t}`, fn: () => oursLib(dir, options, t) })),
    ...NP_THREADS.map((t) => ({ name: `numpy@${t}`, fn: () => numpy('exact', [dir, SIGMA_X, SIGMA_Y, TOP_K], t) })),
    ...NP_THREADS.map((t) => ({ name: `eigh@${t}`, fn: () => numpy('eigh', [dir, SIGMA_X, SIGMA_Y, TOP_K], t) })),
  ];
  results.workloads.B3 = {
    description: `n = ${n}, Gaussian (σ ${SIGMA_X}/${SIGMA_Y}), 768 + 512, exact route, top ${TOP_K}/side, library in memory`,
    runs: interleave('B3', runners),
  };
}

if (ONLY.includes('B4')) {
  const sizes = SIZES.B4;
  const t = CLI_THREADS[CLI_THREADS.length - 1];
  const need = sizes[sizes.length - 1] * (384 + 256) * 4;
  mkdirSync(CACHE, { recursive: true });
  const fs = statfsSync(CACHE);
  const free = fs.bavail * fs.bsize;
  log(
    `\nB4: cosine, 384 + 256, streamed by the CLI at ${sizes.join(', ')} rows (${t} thread${t > 1 ? 's' : ''}); needs ${(need / 2 ** 30).toFixed(2)} GiB, ${(free / 2 ** 30).toFixed(1)} GiB free in ${CACHE}`,
  );
  if (free < need + 2 * 2 ** 30) {
    log('  skipped: not enough free disk (needs the files plus 2 GiB spare)');
    results.workloads.B4 = { skipped: `needs ${(need / 2 ** 30).toFixed(2)} GiB + 2 GiB spare, ${(free / 2 ** 30).toFixed(1)} GiB free` };
  } else {
    const points = [];
    for (const n of sizes) {
      const dir = dataDir('B4', n, 384, 256, 4);
      try {
        const r = interleave(`B4 n=${n}`, [{ name: `ours@${t}`, fn: () => oursCli(dir, t) }])[`ours@${t}`];
        points.push({
          n,
          threads: t,
          seconds: r.seconds,
          usPerRow: (r.seconds / n) * 1e6,
          cpu: r.cpu,
          cpuUsPerRow: (r.cpu / n) * 1e6,
          peakRssMiB: r.peakRssMiB,
          timings: r.timings,
          outsideStages: r.outsideStages,
        });
      } finally {
        rmSync(dir, { recursive: true, force: true }); // 2.5 GB at 1M rows: never left behind
      }
    }
    const per = points.map((p) => p.usPerRow),
      cpuPer = points.map((p) => p.cpuUsPerRow);
    results.workloads.B4 = {
      cpuPerRowSpread: Math.max(...cpuPer) / Math.min(...cpuPer) - 1,
      description: `cosine, 384 + 256, \`spec-embed compare X.npy Y.npy --kernel cosine --json\` streaming from disk (page cache warm: the files were just written)`,
      points,
      perRowSpread: Math.max(...per) / Math.min(...per) - 1,
    };
  }
}

// ---------- table ----------
machine.loadAverageAtEnd = loadavg().map((x) => +x.toFixed(2));
const fmt = (x) => (x == null ? '—' : x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const rows = [];
for (const [w, res] of Object.entries(results.workloads)) {
  if (!res.runs) continue;
  const R = res.runs;
  for (const t of NP_THREADS) {
    // Ours at t threads, else at the most it ran with (marked in the table).
    const maxT = Math.max(
      ...Object.keys(R)
        .filter((k) => k.startsWith('ours@'))
        .map((k) => Number(k.slice(5))),
    );
    const ours = R[`ours@${t}`] ?? R[`ours@${maxT}`];
    const oursNote = R[`ours@${t}`] ? '' : ` (${maxT} thr)`;
    const np = R[`numpy@${t}`];
    const other = t === 1 && R['ml-matrix@1'] ? ['ml-matrix', R['ml-matrix@1']] : R[`eigh@${t}`] ? ['full eigh', R[`eigh@${t}`]] : null;
    const row = {
      workload: w,
      threads: t,
      ours: ours.seconds,
      oursThreads: R[`ours@${t}`] ? t : maxT,
      numpy: np?.seconds,
      ratioNumpy: np ? ours.seconds / np.seconds : null,
      oursCpu: ours.cpu,
      numpyCpu: np?.cpu,
      ratioCpu: np?.cpu ? ours.cpu / np.cpu : null,
      other: other ? { name: other[0], seconds: other[1].seconds, timedOut: !!other[1].timedOut, speedup: other[1].seconds / ours.seconds } : null,
      peakRssMiB: ours.peakRssMiB,
      outsideStages:
        ours.outsideStages ??
        (ours.timings
          ? ours.seconds -
            Object.entries(ours.timings)
              .filter(([k]) => k !== 'total')
              .reduce((s, [, v]) => s + v, 0)
          : null),
    };
    rows.push(row);
    const cells = [
      w,
      t,
      fmt(row.ours) + oursNote,
      fmt(row.numpy),
      row.ratioNumpy == null ? '—' : `${row.ratioNumpy.toFixed(2)}×`,
      `${fmt(row.oursCpu)} / ${fmt(row.numpyCpu)}`,
      row.ratioCpu == null ? '—' : `${row.ratioCpu.toFixed(2)}×`,
      other ? `${other[0]} ${other[1].timedOut ? '> ' : ''}${fmt(other[1].seconds)}` : '—',
      other ? `${other[1].timedOut ? '> ' : ''}${row.other?.speedup.toFixed(1)}×` : '—',
      row.peakRssMiB == null ? '—' : row.peakRssMiB.toFixed(0),
      row.outsideStages == null ? '—' : fmt(row.outsideStages),
    ];
    row.cells = cells;
  }
  const o1 = R['ours@1'],
    o2 = R[`ours@${NP_THREADS[NP_THREADS.length - 1]}`];
  if (o1 && o2 && o1 !== o2) res.speedup1to2 = o1.seconds / o2.seconds;
}
results.table = rows.map(({ cells, ...r }) => r);

const head = [
  'workload',
  'threads',
  'ours (s)',
  'NumPy/SciPy (s)',
  'ours/NumPy',
  'CPU s ours / NumPy',
  'CPU ratio',
  'other baseline (s)',
  'other/ours',
  'peak RSS ours (MiB)',
  'outside stages (s)',
];
const body = rows.map((r) => r.cells.map(String));
const width = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
const line = (c) => '| ' + c.map((x, i) => String(x).padEnd(width[i])).join(' | ') + ' |';
if (body.length > 0) {
  console.log();
  console.log(line(head));
  console.log('|' + width.map((x) => '-'.repeat(x + 2)).join('|') + '|');
  for (const b of body) console.log(line(b));
}
if (results.workloads.B4?.points) {
  console.log('\nB4 (streamed from disk by the CLI):');
  console.log('| rows | threads | time (s) | µs/row | CPU (s) | CPU µs/row | peak RSS (MiB) |');
  console.log('|---|---|---|---|---|---|---|');
  for (const p of results.workloads.B4.points)
    console.log(
      `| ${p.n} | ${p.threads} | ${fmt(p.seconds)} | ${p.usPerRow.toFixed(2)} | ${fmt(p.cpu)} | ${p.cpuUsPerRow.toFixed(2)} | ${p.peakRssMiB.toFixed(0)} |`,
    );
  console.log(
    `time per row spread (max/min − 1): wall ${(results.workloads.B4.perRowSpread * 100).toFixed(1)}%, CPU ${(results.workloads.B4.cpuPerRowSpread * 100).toFixed(1)}%`,
  );
}
const cb = results.workloads.B1chromium;
if (cb && !cb.skipped) {
  const secs = (xs) => xs.map((x) => x.toFixed(2)).join(', ');
  console.log(`\n${cb.title} (${cb.node.threads} threads each; medians of ${cb.node.samples.length} interleaved runs after a warm-up):`);
  console.log(
    '| workload | Chromium (s) | Node (s) | Chromium/Node | Chromium runs (s) | Node runs (s) | CPU s Chromium / Node | CPU ratio | max rel. diff of results |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|');
  console.log(
    `| ${cb.title} | ${fmt(cb.chromium.seconds)} | ${fmt(cb.node.seconds)} | ${cb.ratio.toFixed(2)}× | ${secs(cb.chromium.samples)} | ${secs(cb.node.samples)} | ${fmt(cb.chromium.cpu)} / ${fmt(cb.node.cpu)} | ${cb.cpuRatio == null ? '—' : `${cb.cpuRatio.toFixed(2)}×`} | ${cb.maxRelDiff.toExponential(1)} |`,
  );
  console.log(
    `stage medians (s): Chromium ${Object.entries(cb.chromium.timings)
      .map(([k, v]) => `${k} ${v.toFixed(3)}`)
      .join(', ')}; Node ${Object.entries(cb.node.timings)
      .map(([k, v]) => `${k} ${v.toFixed(3)}`)
      .join(', ')}`,
  );
  console.log(`λmax/λmin ${cb.specDiff.xNotY.toPrecision(4)}/${(-cb.specDiff.yNotX).toPrecision(4)}; Chromium: ${cb.chromium.browser}`);
} else if (cb) console.log(`\n${cb.title}: skipped (${cb.skipped.split('\n')[0]})`);
const b1 = results.workloads.B1?.runs;
if (b1?.['ours-matrix-free@1']) {
  // The covariance route's two solvers against NumPy's two pipelines (issue 16's targets).
  const row = (name) =>
    b1[name] &&
    `${name} ${fmt(b1[name].seconds)}${b1[name].solver ? ` (${b1[name].solver})` : ''}${b1[name].applications ? ` [${b1[name].applications} applications]` : ''}`;
  console.log(
    `\nB1 solvers: ${['ours@1', 'ours@2', 'ours-matrix-free@1', 'ours-matrix-free@2', 'numpy@1', 'numpy@2', 'numpy-matrix-free@1', 'numpy-matrix-free@2'].map(row).filter(Boolean).join('; ')}`,
  );
  const ratio = (a, b) => (b1[a] && b1[b] ? `${(b1[a].seconds / b1[b].seconds).toFixed(2)}×` : '—');
  console.log(
    `B1 ratios: matrix-free@1 / NumPy SYRK@1 ${ratio('ours-matrix-free@1', 'numpy@1')}, matrix-free@1 / NumPy matrix-free@1 ${ratio('ours-matrix-free@1', 'numpy-matrix-free@1')}, auto@1 / NumPy SYRK@1 ${ratio('ours@1', 'numpy@1')}, auto@2 / NumPy SYRK@2 ${ratio('ours@2', 'numpy@2')}`,
  );
}
for (const [w, res] of Object.entries(results.workloads)) {
  const o = res.runs?.['ours@1'];
  if (o?.timings)
    console.log(
      `${w} ours@1 stage medians (s): ${Object.entries(o.timings)
        .map(([k, v]) => `${k} ${v.toFixed(3)}`)
        .join(', ')}`,
    );
  if (res.runs) {
    const l = Object.entries(res.runs)
      .filter(([, r]) => r.lmax != null)
      .map(([k, r]) => `${k} ${r.lmax.toPrecision(4)}/${r.lmin.toPrecision(4)}`);
    console.log(`${w} λmax/λmin cross-check: ${l.join(', ')}`);
  }
}
console.log(
  `\nmachine: ${machine.cpu}, ${cores} cores, ${machine.memoryGiB} GiB, node ${machine.node}, NumPy ${machine.numpy}, SciPy ${machine.scipy}, OpenBLAS kernel ${py.blas.find((b) => b.coretype)?.coretype}; load ${machine.loadAverageAtStart.join(' ')} → ${machine.loadAverageAtEnd.join(' ')}`,
);
if (!support.lib || !support.cli)
  console.log(
    `spec-embed threads: not available yet in ${[!support.lib && 'the library', !support.cli && 'the CLI'].filter(Boolean).join(' or ')} — ours ran on 1 thread there`,
  );

mkdirSync(dirname(OUT), { recursive: true });
writeFileSync(OUT, `${JSON.stringify(results, null, 2)}\n`);
log(`wrote ${OUT}`);

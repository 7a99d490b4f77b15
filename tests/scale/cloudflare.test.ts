// examples/cloudflare (one Worker: /accumulate and /score per shard from R2, /run
// the coordinator fanning them out through its SELF service binding) in
// Cloudflare's local runtime, Miniflare (workerd, R2 on local storage; no account,
// no network): 8 shards give the result of one-machine compareSources and
// fincSources on the concatenated data (numbers to 1e-12); a NaN shard fails the
// run naming the shard, its R2 key and the row; a D beyond a 128 MB Worker is refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { Miniflare, kCurrentWorker } from 'miniflare';
import { ROOT } from '../cli/helpers.js';
import { ROWS, SHARDS, npyBytes, planted } from '../shared/shards.js';
import { compare, finc } from '../../dist/index.js';

const DIST = join(ROOT, 'dist');

/** Platforms workerd (Miniflare's runtime) ships a binary for; the Linux ones need glibc. */
function unsupported(): string | false {
  const platform = `${process.platform}-${process.arch}`;
  if (!['darwin-arm64', 'darwin-x64', 'linux-arm64', 'linux-x64', 'win32-x64'].includes(platform)) return `workerd ships no binary for ${platform}`;
  const report = process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined;
  if (process.platform === 'linux' && !report?.header?.glibcVersionRuntime) return 'workerd needs glibc (this Linux has none)';
  return false;
}
const SKIP = unsupported();
if (SKIP) console.log(`# skipped: ${SKIP}`);

/** The example bundled as Wrangler bundles it: spec-embed inlined from dist/, the .wasm left a module of the Worker. */
async function bundle(): Promise<string> {
  const out = await build({
    entryPoints: [join(ROOT, 'examples', 'cloudflare', 'src', 'worker.mjs')],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'neutral',
    conditions: ['workerd', 'worker', 'browser'],
    logLevel: 'warning',
    plugins: [
      {
        name: 'spec-embed-from-dist',
        setup(b) {
          b.onResolve({ filter: /^spec-embed\/spec-embed\.wasm$/ }, () => ({ path: './spec-embed.wasm', external: true }));
          b.onResolve({ filter: /^spec-embed\/(slim|io)$/ }, (a) => ({ path: join(DIST, `${a.path.slice('spec-embed/'.length)}.js`) }));
        },
      },
    ],
  });
  return out.outputFiles[0].text;
}

async function start(t: { after(f: () => Promise<void>): void }): Promise<Miniflare> {
  const mf = new Miniflare({
    name: 'spec-embed-shards',
    modules: [
      { type: 'ESModule', path: 'worker.js', contents: await bundle() },
      { type: 'CompiledWasm', path: 'spec-embed.wasm', contents: readFileSync(join(DIST, 'spec-embed.wasm')) },
    ],
    compatibilityDate: '2025-09-01',
    r2Buckets: ['BUCKET'],
    serviceBindings: { SELF: kCurrentWorker },
  });
  t.after(() => mf.dispose());
  await mf.ready;
  return mf;
}

/** Deep equality with numbers equal to 1e-12 relative. */
function closeTo(a: unknown, b: unknown, path = ''): void {
  if (typeof a === 'number' && typeof b === 'number') {
    assert.ok(Math.abs(a - b) <= 1e-12 * Math.max(Math.abs(a), Math.abs(b)) + 1e-300, `${path}: ${a} vs ${b}`);
  } else if (a && typeof a === 'object' && b && typeof b === 'object') {
    assert.deepEqual(Object.keys(a), Object.keys(b), path);
    for (const k of Object.keys(a)) closeTo((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
  } else assert.equal(a, b, path);
}

/** A result's JSON without what only a one-machine run can say (timings, route choice, the RFF error on a sample and its note). */
function comparable(r: unknown) {
  const o = JSON.parse(JSON.stringify(r));
  for (const k of ['timings', 'methodReason', 'rffError', 'metrics', 'solver', 'solverReason', 'threads']) delete o[k];
  o.notes = o.notes?.filter((n: string) => !/^the random Fourier features move/.test(n));
  if (!o.notes?.length) delete o.notes;
  return o;
}

/** The local R2 bucket, as the test uses it. */
interface Bucket {
  put(key: string, value: Uint8Array): Promise<unknown>;
  get(key: string): Promise<unknown>;
}

async function bucketOf(mf: Miniflare): Promise<Bucket> {
  return (await mf.getR2Bucket('BUCKET')) as unknown as Bucket;
}

async function post(mf: Miniflare, path: string, body: unknown) {
  const r = await mf.dispatchFetch(`http://localhost/${path}`, { method: 'POST', body: JSON.stringify(body) });
  return { status: r.status, json: (await r.json()) as Record<string, unknown> };
}

test('Miniflare: the coordinator fans 8 shards out from R2 and returns the one-machine compare and finc results', {
  timeout: 300_000,
  skip: SKIP,
}, async (t) => {
  const mf = await start(t);
  const bucket = await bucketOf(mf);
  const n = SHARDS * ROWS;
  const { X, Y, dx, dy } = planted(n, 41);
  for (let s = 0; s < SHARDS; s++) {
    await bucket.put(`in/x-${s}.npy`, npyBytes(X.subarray(s * ROWS * dx, (s + 1) * ROWS * dx), ROWS, dx));
    await bucket.put(`in/y-${s}.npy`, npyBytes(Y.subarray(s * ROWS * dy, (s + 1) * ROWS * dy), ROWS, dy));
  }
  const shards = Array.from({ length: SHARDS }, (_, s) => ({ name: `shard-${s}`, x: `in/x-${s}.npy`, y: `in/y-${s}.npy` }));
  const kernel = { type: 'gaussian' as const, sigma: 5, rffDim: 100 };
  const run = await post(mf, 'run', { task: 'compare', shards, options: { kernelX: kernel, kernelY: kernel, seed: 3 }, top: 3, prefix: 'run1/' });
  assert.equal(run.status, 200, JSON.stringify(run.json));
  const one = await compare(
    { data: X, rows: n, cols: dx },
    { data: Y, rows: n, cols: dy },
    { kernelX: kernel, kernelY: kernel, seed: 3, topK: 3, method: 'covariance', threads: 1 },
  );
  closeTo(comparable(run.json), comparable(one));
  // the result and every step's file are in R2
  assert.ok(await bucket.get('run1/result.json'));
  assert.ok(await bucket.get('run1/part-shard-7.snap'));

  // finc: X's shards against Y = the same rows of X in reverse shard order, shard 2 without X
  const fshards = shards.map((s, i) => ({ name: s.name, ...(i === 2 ? {} : { x: s.x }), y: `in/x-${7 - i}.npy` }));
  const frun = await post(mf, 'run', { task: 'finc', shards: fshards, options: { kernel: 'cosine' }, top: 2, prefix: 'run2/' });
  assert.equal(frun.status, 200, JSON.stringify(frun.json));
  const rows = (ids: number[]) => Float32Array.from(ids.flatMap((s) => Array.from(X.subarray(s * ROWS * dx, (s + 1) * ROWS * dx))));
  const fx = rows([0, 1, 3, 4, 5, 6, 7]),
    fy = rows([7, 6, 5, 4, 3, 2, 1, 0]);
  const fone = await finc(
    { data: fx, rows: 7 * ROWS, cols: dx },
    { data: fy, rows: n, cols: dx },
    { kernel: 'cosine', topK: 2, method: 'covariance', threads: 1 },
  );
  closeTo(comparable(frun.json), comparable(fone));
});

test('Miniflare: a NaN shard fails the run naming the shard, its R2 key and the row; a D beyond a 128 MB Worker is refused', {
  timeout: 120_000,
}, async (t) => {
  const mf = await start(t);
  const bucket = await bucketOf(mf);
  const { X, Y, dx, dy } = planted(2 * ROWS, 43);
  const bad = X.slice(0, ROWS * dx);
  bad[40 * dx + 2] = Number.NaN;
  await bucket.put('in/x-0.npy', npyBytes(bad, ROWS, dx));
  await bucket.put('in/x-1.npy', npyBytes(X.subarray(ROWS * dx), ROWS, dx));
  await bucket.put('in/y-0.npy', npyBytes(Y.subarray(0, ROWS * dy), ROWS, dy));
  await bucket.put('in/y-1.npy', npyBytes(Y.subarray(ROWS * dy), ROWS, dy));
  const shards = [0, 1].map((s) => ({ name: `shard-${s}`, x: `in/x-${s}.npy`, y: `in/y-${s}.npy` }));
  const r = await post(mf, 'run', { task: 'compare', shards, options: {}, prefix: 'bad/' });
  assert.equal(r.status, 422);
  assert.match(String(r.json.error), /shard 'shard-0' failed in accumulate: .*in\/x-0\.npy.*row 41\b/);
  assert.equal(await bucket.get('bad/result.json'), null, 'no partial result');
  // rffDim 1000 per side: D = 4000, a 128 MB sum matrix
  const big = { type: 'gaussian', sigma: 5, rffDim: 1000 };
  const d = await post(mf, 'accumulate', {
    task: 'compare',
    name: 'shard-1',
    x: 'in/x-1.npy',
    y: 'in/y-1.npy',
    out: 'big.snap',
    options: { kernelX: big, kernelY: big },
  });
  assert.equal(d.status, 422);
  assert.match(String(d.json.error), /D = 4000 features .* 128 MB Worker .*D ≤ 2048/);
});

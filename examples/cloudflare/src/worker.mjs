// spec-embed's sharded covariance route as one Cloudflare Worker (wrangler.toml).
//
//   POST /accumulate {task, name, x, y, out, options}   one shard from R2 → its part, to R2
//   POST /score      {task, name, x, y, solution, out}  one shard against the solution → its scores, to R2
//   POST /run        {task, shards: [{name, x, y}], options, top, prefix}
//        the coordinator: fans /accumulate out through the SELF binding, merges the
//        parts (one at a time, in shard-name order), solves, fans /score out, and
//        writes {prefix}result.json — the JSON object a one-machine run returns.
//
// x and y are R2 keys of float32 .npy files (compare: paired shards, both given;
// finc: either may be absent). options: { kernelX, kernelY } (compare) or
// { kernel } (finc), eta, seed; a Gaussian needs a numeric sigma (spec-embed
// sigma-sample). A shard that fails fails the whole run, which names it: never a
// partial result.
import wasmModule from 'spec-embed/spec-embed.wasm';
import { InputError, accumulateShard, finishCompare, finishFinc, init, mergeParts, scoreShard, solveParts } from 'spec-embed/slim';
import { parseNpy } from 'spec-embed/io';

await init({ module: wasmModule });

/**
 * The largest D (features per row) a 128 MB Worker takes: its D × D f64 sums are
 * 32 MiB at D = 2048, and merging holds two of them and a part's 16 MiB of bytes.
 */
const MAX_WORKER_D = 2048;

class BadRequest extends Error {}

/** Features per row of the options for data of `cols` columns: cosine and linear d, a Gaussian 2·rffDim (default 1000). */
function featuresOf(kernel, cols) {
  const k = typeof kernel === 'string' || kernel === undefined ? { type: kernel ?? 'cosine' } : kernel;
  return k.type === 'gaussian' ? 2 * (k.rffDim ?? 1000) : cols;
}

/** Refuses, before any sums are allocated, a D beyond what a Worker holds. */
function checkWorkerD(task, options, cols) {
  const D =
    task === 'compare'
      ? featuresOf(options.kernelX ?? options.kernel, cols[0]) + featuresOf(options.kernelY ?? options.kernel, cols[1])
      : featuresOf(options.kernel, cols[0]);
  if (D > MAX_WORKER_D)
    throw new BadRequest(
      `D = ${D} features need a ${D} × ${D} f64 sum matrix (${Math.round((D * D * 8) / 2 ** 20)} MiB): more than a 128 MB Worker holds (D ≤ ${MAX_WORKER_D}); lower rffDim, or run the steps with the CLI on a machine with more memory (docs/scale.md)`,
    );
}

/** A float32 .npy shard from R2 as a row source (the names in messages are the R2 keys). */
async function shardSource(env, key, role) {
  if (key === undefined || key === null) return undefined;
  const obj = await env.BUCKET.get(key);
  if (!obj) throw new BadRequest(`${role} shard ${key}: no such object in R2`);
  const m = parseNpy(new Uint8Array(await obj.arrayBuffer()), key);
  return { rows: m.rows, cols: m.cols, name: `${role} (${key})`, read: (s, n) => m.data.subarray(s * m.cols, (s + n) * m.cols) };
}

async function bytesOf(env, key) {
  const obj = await env.BUCKET.get(key);
  if (!obj) throw new BadRequest(`${key}: no such object in R2`);
  return new Uint8Array(await obj.arrayBuffer());
}

async function accumulate(env, job) {
  const x = await shardSource(env, job.x, 'X'),
    y = await shardSource(env, job.y, 'Y');
  checkWorkerD(job.task, job.options, [x?.cols ?? y?.cols, y?.cols]);
  const part = await accumulateShard(job.name, { x, y }, { task: job.task, ...job.options });
  await env.BUCKET.put(job.out, part);
  return { out: job.out, bytes: part.length };
}

async function score(env, job) {
  const x = await shardSource(env, job.x, 'X'),
    y = await shardSource(env, job.y, 'Y');
  const scores = await scoreShard(await bytesOf(env, job.solution), job.solution, job.name, { x, y });
  await env.BUCKET.put(job.out, scores);
  return { out: job.out, bytes: scores.length };
}

/** Fans one step out over the shards through SELF; throws one error naming every shard that failed. */
async function fanOut(env, path, jobs) {
  const replies = await Promise.all(
    jobs.map(async (job) => {
      const r = await env.SELF.fetch(`https://self/${path}`, { method: 'POST', body: JSON.stringify(job) });
      return { job, ok: r.ok, body: await r.json() };
    }),
  );
  const failed = replies.filter((r) => !r.ok);
  if (failed.length) throw new BadRequest(failed.map((f) => `shard '${f.job.name}' failed in ${path}: ${f.body.error}`).join('; '));
  return replies.map((r) => r.body);
}

async function run(env, job) {
  const { task, shards, options, prefix = '' } = job;
  if (!Array.isArray(shards) || shards.length === 0) throw new BadRequest('shards: give a list of {name, x, y}');
  const key = (f) => `${prefix}${f}`;
  const shardJob = (s, extra) => ({ task, name: s.name, x: s.x, y: s.y, ...extra });
  await fanOut(
    env,
    'accumulate',
    shards.map((s) => shardJob(s, { options, out: key(`part-${s.name}.snap`) })),
  );
  // Merged one part at a time in shard-name order (the order merge uses): the same sums as one flat merge, with two parts in memory.
  const names = shards.map((s) => s.name).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  let merged = await bytesOf(env, key(`part-${names[0]}.snap`));
  for (const name of names.slice(1)) {
    const next = key(`part-${name}.snap`);
    merged = mergeParts([
      { bytes: merged, file: key('merged') },
      { bytes: await bytesOf(env, next), file: next },
    ]);
  }
  const solution = await solveParts(merged, key('merged'), { topK: job.top ?? 10, samplesPerMode: job.samplesPerMode ?? 20 });
  await env.BUCKET.put(key('solution.snap'), solution);
  const scored = await fanOut(
    env,
    'score',
    shards.map((s) => shardJob(s, { solution: key('solution.snap'), out: key(`scores-${s.name}.part`) })),
  );
  const parts = await Promise.all(scored.map(async (r) => ({ bytes: await bytesOf(env, r.out), file: r.out })));
  const result = task === 'finc' ? finishFinc({ bytes: solution, file: key('solution.snap') }, parts) : finishCompare({ bytes: solution, file: key('solution.snap') }, parts);
  const text = JSON.stringify(result);
  await env.BUCKET.put(key('result.json'), text);
  return JSON.parse(text);
}

const ROUTES = { '/accumulate': accumulate, '/score': score, '/run': run };

export default {
  async fetch(request, env) {
    const route = ROUTES[new URL(request.url).pathname];
    if (!route || request.method !== 'POST') return Response.json({ error: 'POST /run, /accumulate or /score' }, { status: 404 });
    try {
      return Response.json(await route(env, await request.json()));
    } catch (e) {
      // bad input (a spec-embed InputError names the shard and row; a refused D; a missing object) is the caller's: 422
      const input = e instanceof BadRequest || e instanceof InputError;
      return Response.json({ error: String(e?.message ?? e) }, { status: input ? 422 : 500 });
    }
  },
};

// One timed library run in its own process, so that its peak RSS is its own.
// argv[2]: JSON { dist, dir, options } — compare(X, Y, options) on DIR/X.npy,
// DIR/Y.npy (read before the clock starts). Prints one JSON line.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { peakRssMiB } from './rss-hook.mjs';

const { dist, dir, options } = JSON.parse(process.argv[2]);
const { init, compare } = await import(pathToFileURL(join(dist, 'index.js')).href);
const { parseNpy } = await import(pathToFileURL(join(dist, 'io.js')).href);
const load = (f) => parseNpy(new Uint8Array(readFileSync(join(dir, f))), f);
const X = load('X.npy'),
  Y = load('Y.npy');
await init();
const t0 = performance.now(),
  c0 = process.cpuUsage();
const r = await compare(X, Y, options);
const seconds = (performance.now() - t0) / 1000;
const c = process.cpuUsage(c0);
process.stdout.write(
  `${JSON.stringify({
    seconds,
    // CPU seconds of every thread of the process over the call (less moved by other load than wall time).
    cpu: (c.user + c.system) / 1e6,
    timings: r.timings,
    // Whatever the library reports about its threads (undefined before it has them).
    threads: r.threads ?? r.timings?.threads,
    // The covariance route's solver and why (absent before the matrix-free solver existed).
    solver: r.solver,
    solverReason: r.solverReason,
    lmax: r.specDiff.xNotY,
    lmin: -r.specDiff.yNotX,
    peakRssMiB: peakRssMiB(),
  })}\n`,
);

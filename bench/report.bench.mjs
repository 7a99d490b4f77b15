// The CLI's report stage at n = 20,000: prepareCompareReport (the plotted
// sample, X's and Y's UMAP layouts on two layout workers, the per-mode evidence)
// and the HTML page, timed apart from the analysis, as `spec-embed compare X Y
// --out r.html` runs it. Prints the settings, then medians over the runs of the
// wall seconds, the CPU seconds (all threads, workers included: on a shared
// machine they move far less with other load than wall time does), and the
// wall seconds of the parts: the layouts (until both are done; the evidence is
// computed beside them on the main thread), what remains after them (the rest
// of the evidence, the data), and the page.
// Run with node --import tsx: the report is internal, imported from src/.
//
//   node --import tsx bench/report.bench.mjs [runs=5] [n=20000] [dx=384] [dy=256]
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { init } from '../src/wasm/loader.js';
import { compare } from '../src/methods/compare.js';
import { parseNpy } from '../src/io/npy.js';
import { matrixSource } from '../src/validate/source.js';
import { toCliJson } from '../src/report/json.js';
import { prepareCompareReport, reportHtml, workerLayouts, DEFAULT_MAX_POINTS } from '../src/report/index.js';
import { defaultEpochs, LAYOUT_DIMS } from '../src/report/layout.js';
import { pythonBaseline } from './lib.mjs';

const [runs, n, dx, dy] = [5, 20000, 384, 256].map((v, i) => Number(process.argv[2 + i] ?? v));
await init();
const dir = mkdtempSync(join(tmpdir(), 'spec-bench-report-'));
pythonBaseline('make_bench_data.py', [dir, n, dx, dy, 1]);
const load = (f) => parseNpy(new Uint8Array(readFileSync(join(dir, f))), f);
const X = load('X.npy'),
  Y = load('Y.npy');
rmSync(dir, { recursive: true });

// The analysis the report is drawn from (not timed): the CLI's defaults (cosine kernel, 10 modes a side).
const result = await compare(X, Y, {});
const json = toCliJson(result);
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];

const points = Math.min(n, DEFAULT_MAX_POINTS);
console.log(
  `report stage, compare of n = ${n} (X ${dx} columns, Y ${dy}, cosine kernel, ${result.modes.length} modes): ` +
    `${points} plotted points, UMAP ${defaultEpochs(points)} epochs on rows projected to ${LAYOUT_DIMS} principal directions, ` +
    `X's and Y's layouts on two layout workers; evidence over the plotted points. ${runs} runs; load average ${loadavg()[0].toFixed(1)} at start.`,
);
/** @type {Record<'wall' | 'cpu' | 'layouts' | 'after' | 'page', number[]>} */
const rows = { wall: [], cpu: [], layouts: [], after: [], page: [] };
for (let r = 0; r < runs; r++) {
  let mapsAt = 0;
  const t0 = performance.now(),
    c0 = cpu();
  const data = await prepareCompareReport(result, json, matrixSource(X, 'X'), matrixSource(Y, 'Y'), undefined, {
    layoutRunner: workerLayouts,
    onProgressEvent: (e) => {
      if (e.label?.startsWith('report: layout') && e.done >= e.total) mapsAt = performance.now();
    },
  });
  const t1 = performance.now();
  const html = reportHtml(data);
  const t2 = performance.now();
  rows.wall.push((t2 - t0) / 1000);
  rows.cpu.push(cpu() - c0);
  rows.layouts.push(((mapsAt || t1) - t0) / 1000);
  rows.after.push((t1 - (mapsAt || t1)) / 1000);
  rows.page.push((t2 - t1) / 1000);
  console.log(
    `  run ${r + 1}: ${((t2 - t0) / 1000).toFixed(2)} s wall, ${rows.cpu[r].toFixed(2)} s CPU (layouts ${rows.layouts[r].toFixed(2)}, after them ${rows.after[r].toFixed(2)}, page ${rows.page[r].toFixed(2)}; ${(html.length / 1e6).toFixed(1)} MB)`,
  );
}
const f = (k) => median(rows[k]).toFixed(2);
console.log(
  `median: ${f('wall')} s wall, ${f('cpu')} s CPU; layouts ${f('layouts')} s, after them ${f('after')} s, page ${f('page')} s (wall); load average ${loadavg()[0].toFixed(1)} at end.`,
);

// The report's data: one JSON-serialisable object that the page's renderer
// (src/report/client) draws. Built at generation time — by the CLI in Node or
// by the in-browser app's worker — from a result, its --json object and the
// rows of the plotted samples (layouts and evidence are computed here, never in
// the page).
import type { FincResult } from '../types/finc.js';
import type { KernelInfo, ProgressEvent, SpecResult } from '../types/index.js';
import type { RowSource } from '../validate/source.js';
import type { CliJson } from './json.js';
import type { FincCliJson } from './finc-json.js';
import type { alignJson } from './align-json.js';
import { VERSION } from '../version.js';
import { sampleLayoutPoints } from './sample.js';
import { defaultEpochs, layout2d, MIN_UMAP_POINTS, type Layout, type LayoutMethod } from './layout.js';
import type { LayoutJob } from './layouts.js';
import { fiveNumbers, modeEvidence, pairSample, rowNorms, type ModeEvidence, type PointRows } from './evidence.js';
import { compareDensity, type DensityEvidence } from './density.js';
import { plottedScores } from './point-scores.js';

export type AlignJson = ReturnType<typeof alignJson>;

/** The plotted samples: parallel arrays, one entry per point. */
export interface MapPoints {
  /** Row of the sample in its set. */
  index: number[];
  /** 0: a row of X, 1: a row of Y (finc pools both sets; compare plots X's rows only). */
  set: number[];
  /** The sample's label, when labels were given. */
  labels?: (string | null)[];
}

export interface ReportMaps {
  points: MapPoints;
  /** n × 2 coordinates in [−1, 1], flattened, rounded to 4 decimals. */
  layouts: { method: LayoutMethod; xy: number[] }[];
  /** The map panels drawn side by side: which layout, titled how, which set emphasised (finc). */
  panels: { title: string; layout: number; emphasis?: 0 | 1 }[];
  /** Samples in the data (the maps show a seeded sample of them). */
  total: number;
  /** Per mode, each plotted point's score (null: not scored), when the result has every score. */
  scores?: Record<string, (number | null)[]>;
}

export interface ReportData {
  format: 'spec-embed-report';
  version: string;
  task: 'compare' | 'finc' | 'align';
  title: string;
  description?: string;
  xName: string;
  yName: string;
  /** Exactly the CLI's --json object of the result (what "Export JSON" saves). */
  json: CliJson | FincCliJson | AlignJson;
  methodReason?: string;
  sigmaAuto?: { x?: boolean; y?: boolean };
  maps?: ReportMaps;
  /** Per mode ("x1", "y2", …): similarity evidence (compare). */
  evidence?: Record<string, ModeEvidence>;
  /** Per mode: its top samples' spread under X and Y, and whether the page shows it as radii or maps (compare). */
  density?: Record<string, DensityEvidence>;
  /** Thumbnails as data URIs, keyed "set:index" (0 = X's rows, 1 = Y's). */
  thumbs?: Record<string, string>;
  /** A note for the footer (nothing by default, so reports are reproducible). */
  generated?: string;
  /** Set by the app: the page says nothing left the machine. */
  local?: boolean;
}

/** Thumbnail of a sample as a data URI (null when there is none). */
export type ThumbFn = (set: 0 | 1, index: number) => string | null | undefined;

export interface PrepareOptions {
  title?: string;
  description?: string;
  xName?: string;
  yName?: string;
  /** At most this many plotted points (default 3000, DEFAULT_MAX_POINTS); every mode's top and bottom samples are always plotted. */
  maxPoints?: number;
  /** Seed of the point sample, pair sample and UMAP (default 0). */
  seed?: number;
  /** 'auto' (UMAP; PCA under 40 points), 'umap', 'pca', or 'none' for no maps. */
  layout?: 'auto' | LayoutMethod | 'none';
  /** UMAP epochs (default by size, see layout2d). */
  nEpochs?: number;
  /** Thumbnails; embedded for the top samples first, then the bottom samples, then plotted points, up to `thumbBytes`. */
  thumb?: ThumbFn;
  /** Cap on the thumbnails' total size in characters (default 6 MB). */
  thumbBytes?: number;
  sigmaAuto?: { x?: boolean; y?: boolean };
  generated?: string;
  /** Progress of the layout stage: a message and the fraction done. */
  onProgress?: (message: string, fraction: number) => void;
  /** Progress as stage 'report' events, one unit per bar: the maps' epochs, then the modes' evidence. */
  onProgressEvent?: (e: ProgressEvent) => void;
  /**
   * Lays out several row sets (a compare report's X and Y) and reports each one's fraction done;
   * default: one after another in process. The CLI passes workerLayouts (src/report/layouts.ts): each on its own worker.
   */
  layoutRunner?: LayoutRunner;
}

export type LayoutRunner = (jobs: LayoutJob[], onProgress: (job: number, fraction: number) => void) => Promise<Layout[]>;

const inProcess: LayoutRunner = async (jobs, onProgress) => {
  const out: Layout[] = [];
  for (const [i, j] of jobs.entries()) out.push(await layout2d(j.data, j.n, j.d, { ...j.options, onProgress: (f) => onProgress(i, f) }));
  return out;
};

export const DEFAULT_MAX_POINTS = 3000;
/** Random pairs for the "all pairs" similarity box. */
const PAIR_SAMPLE = 2000;
/** Top samples whose mutual neighbour ranks are shown (ordered pairs: k(k−1)). */
const RANK_TOP = 12;

const round4 = (v: number) => Math.round(v * 1e4) / 1e4;

/** Reads the given rows of a source into one row-major array (one `read(i, 1)` per row: streamed .npy reads only these). */
export function gatherRows(src: RowSource, rows: number[]): PointRows {
  const data = new Float32Array(rows.length * src.cols);
  rows.forEach((r, p) => data.set(src.read(r, 1).subarray(0, src.cols), p * src.cols));
  return { data, rows: rows.length, cols: src.cols };
}

function addThumbs(out: Record<string, string>, keys: [0 | 1, number][], fn: ThumbFn, cap: number): void {
  let used = 0;
  for (const [set, index] of keys) {
    const key = `${set}:${index}`;
    if (key in out) continue;
    let uri: string | null | undefined;
    try {
      uri = fn(set, index);
    } catch {
      uri = null;
    }
    if (!uri || used + uri.length > cap) continue;
    used += uri.length;
    out[key] = uri;
  }
}

const modeKey = (m: { side: string; rank: number }) => `${m.side}${m.rank}`;

/** The report data of a compare() result; X and Y are the inputs it was computed from. */
export async function prepareCompareReport(
  result: SpecResult,
  json: CliJson,
  X: RowSource,
  Y: RowSource,
  labels: readonly string[] | undefined,
  opts: PrepareOptions = {},
): Promise<ReportData> {
  const xName = opts.xName ?? 'X',
    yName = opts.yName ?? 'Y';
  const data = base('compare', json, xName, yName, opts, `spec-embed: ${xName} vs ${yName}`);
  data.methodReason = result.methodReason;
  const seed = opts.seed ?? 0;
  // both ends of every mode are plotted and get thumbnails (top samples first)
  const tops = [...result.modes.flatMap((m) => m.top.map((t) => t.index)), ...result.modes.flatMap((m) => (m.bottom ?? []).map((t) => t.index))];
  if (opts.layout !== 'none' && result.n > 0) {
    const pts = sampleLayoutPoints(result.n, tops, opts.maxPoints ?? DEFAULT_MAX_POINTS, seed);
    const rx = gatherRows(X, pts),
      ry = gatherRows(Y, pts);
    // The evidence is computed while the layout workers run (the main thread would only wait);
    // its bar is shown once the layouts' bar is done, so the two never interleave.
    let mapsDone = false,
      shown = -1;
    const evidenceEvent = (done: number): ProgressEvent => ({ stage: 'report', label: 'report: evidence', done, total: result.modes.length, message: 'modes' });
    const evidenceDone = (done: number) => {
      if (!mapsDone) return;
      if (shown < 0 && done > 0) opts.onProgressEvent?.(evidenceEvent(0));
      opts.onProgressEvent?.(evidenceEvent(done));
      shown = done;
    };
    const maps = layouts([rx, ry], [result.kernelX, result.kernelY], [`layout of ${xName}`, `layout of ${yName}`], 'layouts of X and Y', opts);
    maps.then(
      () => {
        mapsDone = true;
      },
      () => {},
    );
    const evidence = await compareEvidence(result, pts, rx, ry, seed, evidenceDone);
    const density = compareDensity(result.modes, pts, rx, ry, result.kernelX, result.kernelY, seed + 2);
    const [lx, ly] = await maps;
    mapsDone = true;
    if (shown < result.modes.length) evidenceDone(result.modes.length);
    data.maps = {
      points: { index: pts, set: pts.map(() => 0), ...(labels ? { labels: pts.map((i) => labels[i] ?? null) } : {}) },
      layouts: [lx, ly].map((l) => ({ method: l.method, xy: Array.from(l.xy, round4) })),
      panels: [
        { title: xName, layout: 0 },
        { title: yName, layout: 1 },
      ],
      total: result.n,
    };
    data.evidence = evidence;
    data.density = density;
    const scores = plottedScores(result.modes, pts, data.maps.points.set, false);
    if (scores) data.maps.scores = scores;
    if (opts.thumb) {
      data.thumbs = {};
      addThumbs(
        data.thumbs,
        [...tops, ...pts].map((i) => [0, i]),
        opts.thumb,
        opts.thumbBytes ?? 6e6,
      );
    }
  } else if (opts.thumb) {
    data.thumbs = {};
    addThumbs(
      data.thumbs,
      tops.map((i) => [0, i]),
      opts.thumb,
      opts.thumbBytes ?? 6e6,
    );
  }
  return data;
}

const macrotask = () => new Promise<void>((r) => setTimeout(r, 0));

/** Evidence per mode (similarities and neighbour ranks among the plotted points), yielding between modes. */
async function compareEvidence(
  result: SpecResult,
  pts: number[],
  rx: PointRows,
  ry: PointRows,
  seed: number,
  onDone: (modes: number) => void,
): Promise<Record<string, ModeEvidence>> {
  const pos = new Map(pts.map((i, p) => [i, p]));
  const allX = fiveNumbers(pairSample(rx, result.kernelX, PAIR_SAMPLE, seed + 1));
  const allY = fiveNumbers(pairSample(ry, result.kernelY, PAIR_SAMPLE, seed + 1));
  const norms = { x: result.kernelX.type === 'cosine' ? rowNorms(rx) : undefined, y: result.kernelY.type === 'cosine' ? rowNorms(ry) : undefined };
  const out: Record<string, ModeEvidence> = {};
  for (const [done, m] of result.modes.entries()) {
    const top = m.top.map((t) => pos.get(t.index)!).filter((p) => p !== undefined);
    out[modeKey(m)] = modeEvidence(top, rx, ry, result.kernelX, result.kernelY, allX, allY, RANK_TOP, norms);
    onDone(done + 1);
    // let the layout workers' messages (progress) through
    await macrotask();
  }
  return out;
}

/** The report data of a finc() result: the pooled samples laid out once, shown twice (X's rows, then Y's, emphasised). */
export async function prepareFincReport(
  result: FincResult,
  json: FincCliJson,
  X: RowSource,
  Y: RowSource,
  labels: { x?: readonly string[]; y?: readonly string[] },
  opts: PrepareOptions = {},
): Promise<ReportData> {
  const xName = opts.xName ?? 'X',
    yName = opts.yName ?? 'Y';
  const data = base('finc', json, xName, yName, opts, `spec-embed FINC: ${xName} vs ${yName}`);
  data.methodReason = result.methodReason;
  const seed = opts.seed ?? 0;
  // both ends of every mode (samples of its side's set), top samples first
  const listed = (which: 'top' | 'bottom') => result.modes.flatMap((m) => (m[which] ?? []).map((t) => [m.side === 'x' ? 0 : 1, t.index] as [0 | 1, number]));
  const topKeys: [0 | 1, number][] = [...listed('top'), ...listed('bottom')];
  const keys: [0 | 1, number][] = [...topKeys];
  if (opts.layout !== 'none' && result.nx + result.ny > 0) {
    // Split the point budget between the sets in proportion to their sizes.
    const max = opts.maxPoints ?? DEFAULT_MAX_POINTS;
    const total = result.nx + result.ny;
    const mx = Math.round((max * result.nx) / total);
    const px = sampleLayoutPoints(
      result.nx,
      topKeys.filter((k) => k[0] === 0).map((k) => k[1]),
      mx,
      seed,
    );
    const py = sampleLayoutPoints(
      result.ny,
      topKeys.filter((k) => k[0] === 1).map((k) => k[1]),
      max - mx,
      seed + 1,
    );
    const rx = gatherRows(X, px),
      ry = gatherRows(Y, py);
    const pooled = new Float32Array(rx.data.length + ry.data.length);
    pooled.set(rx.data as Float32Array, 0);
    pooled.set(ry.data as Float32Array, rx.data.length);
    const [l] = await layouts(
      [{ data: pooled, rows: px.length + py.length, cols: X.cols }],
      [result.kernel],
      ['layout of both sets'],
      'layout of X and Y pooled',
      opts,
    );
    const lab = labels.x || labels.y ? [...px.map((i) => labels.x?.[i] ?? null), ...py.map((i) => labels.y?.[i] ?? null)] : undefined;
    data.maps = {
      points: { index: [...px, ...py], set: [...px.map(() => 0), ...py.map(() => 1)], ...(lab ? { labels: lab } : {}) },
      layouts: [{ method: l.method, xy: Array.from(l.xy, round4) }],
      panels: [
        { title: xName, layout: 0, emphasis: 0 },
        { title: yName, layout: 0, emphasis: 1 },
      ],
      total,
    };
    const scores = plottedScores(result.modes, data.maps.points.index, data.maps.points.set, true);
    if (scores) data.maps.scores = scores;
    keys.push(...px.map((i) => [0, i] as [0, number]), ...py.map((i) => [1, i] as [1, number]));
  }
  if (opts.thumb) {
    data.thumbs = {};
    addThumbs(data.thumbs, keys, opts.thumb, opts.thumbBytes ?? 6e6);
  }
  return data;
}

/**
 * The report data of an align() result (loss curves, spectra and mode cards before and
 * after). `opts.thumb` embeds thumbnails of the modes' top samples (rows of X/Y, set 0):
 * those of the removed and new modes first, then the other modes before and after.
 */
export function prepareAlignReport(json: AlignJson, opts: PrepareOptions = {}): ReportData {
  const xName = opts.xName ?? 'X',
    yName = opts.yName ?? 'Y';
  const data = base('align', json, xName, yName, opts, `spec-embed align: ${xName} ← ψ(${yName})`);
  if (opts.thumb) {
    const removed = new Set(json.removedModes ?? []);
    const created = new Set((json.createdModes ?? []).map(modeKey));
    const first = [
      ...(json.modesBefore ?? []).filter((m) => m.side === 'x' && removed.has(m.rank)),
      ...(json.modesAfter ?? []).filter((m) => created.has(modeKey(m))),
    ];
    const keys = [...first, ...(json.modesBefore ?? []), ...(json.modesAfter ?? [])].flatMap((m) => m.top.map((t) => [0, t.index] as [0, number]));
    data.thumbs = {};
    addThumbs(data.thumbs, keys, opts.thumb, opts.thumbBytes ?? 6e6);
  }
  return data;
}

function base(task: ReportData['task'], json: ReportData['json'], xName: string, yName: string, opts: PrepareOptions, title: string): ReportData {
  const d: ReportData = { format: 'spec-embed-report', version: VERSION, task, title: opts.title ?? title, xName, yName, json };
  if (opts.description) d.description = opts.description;
  if (opts.sigmaAuto) d.sigmaAuto = opts.sigmaAuto;
  if (opts.generated) d.generated = opts.generated;
  return d;
}

/**
 * The layouts of row sets (each under its kernel's geometry). Progress: opts.onProgress gets
 * `messages[job]` and the fraction of all the work done; opts.onProgressEvent one bar, `report: ${what}`, in epochs.
 */
async function layouts(sets: PointRows[], kernels: KernelInfo[], messages: string[], what: string, opts: PrepareOptions): Promise<Layout[]> {
  const method = opts.layout === 'umap' || opts.layout === 'pca' ? opts.layout : ('auto' as const);
  const jobs: LayoutJob[] = sets.map((r, s) => ({
    data: r.data instanceof Float32Array ? r.data : Float32Array.from(r.data),
    n: r.rows,
    d: r.cols,
    options: { method, seed: opts.seed ?? 0, nEpochs: opts.nEpochs, normalize: kernels[s].type === 'cosine' },
  }));
  // Units of the bar: UMAP epochs (a PCA layout counts as one).
  const units = jobs.map((j) => (method === 'pca' || (method === 'auto' && j.n < MIN_UMAP_POINTS) || j.n < 3 ? 1 : (opts.nEpochs ?? defaultEpochs(j.n))));
  const total = units.reduce((a, b) => a + b, 0);
  const fractions = jobs.map(() => 0);
  const report = (job?: number) => {
    if (job !== undefined) opts.onProgress?.(messages[job], fractions.reduce((a, b) => a + b, 0) / jobs.length);
    const done = fractions.reduce((a, fr, i) => a + Math.round(fr * units[i]), 0);
    opts.onProgressEvent?.({ stage: 'report', label: `report: ${what}`, done, total, message: 'epochs' });
  };
  report();
  return (opts.layoutRunner ?? inProcess)(jobs, (job, f) => {
    fractions[job] = f;
    report(job);
  });
}

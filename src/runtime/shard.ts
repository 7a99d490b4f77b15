// A worker's share of a covariance route (runs inside a worker, with its own
// wasm instance): the same sums the main thread uses (sums/), so the same
// options and seed give the same random features, and rows arriving in the
// same CHUNK_ROWS-aligned chunks give the same f32 block sums of the SYRK:
// merging the shards' f64 sums differs from one thread only in summation order.
import type { Matrix } from '../types/index.js';
import type { Sums } from '../sums/sums.js';
import { SpecSums } from '../sums/spec-sums.js';
import { FincSums } from '../sums/finc-sums.js';
import { ScorePass } from '../sums/score-pass.js';
import { TopSamples, type TopPartial } from '../score/modes.js';
import { drain } from './cooperative.js';
import type { ShardSpec, ShardSeconds } from './protocol.js';

export class Shard {
  private sums: Sums;
  private scoring: ({ pass: ScorePass; top: TopSamples } | null)[] = [];

  constructor(readonly spec: ShardSpec) {
    const [nx, ny] = spec.names;
    this.sums =
      spec.kind === 'spec'
        ? SpecSums.of(spec.kernelX, spec.kernelY, spec.eta, spec.seed, { cols: spec.dx, name: nx }, { cols: spec.dy, name: ny })
        : FincSums.of(spec.kernel, spec.eta, spec.seed, { cols: spec.d, name: nx }, { name: ny });
    this.sums.cacheFeatures(spec.cacheBytes);
  }

  get D(): number {
    return this.sums.D;
  }

  /** False once a chunk did not fit the cache: the scoring pass then needs the data again. */
  get cachedAll(): boolean {
    return this.sums.cacheIntact;
  }

  /** Seconds this shard spent on features (both passes) and on the SYRK, for the route's timings. */
  get seconds(): ShardSeconds {
    return { features: this.sums.featureSeconds, accumulate: this.sums.accumulateSeconds };
  }

  /** A message's rows of `set` as the set's inputs (X, or X and Y). */
  private inputs(rows: number, x: Float32Array, y?: Float32Array): Matrix[] {
    const cols = this.sums.decl.cols;
    return (y ? [x, y] : [x]).map((data, i) => ({ data, rows, cols: cols[i] }));
  }

  /** Accumulates rows [row0, row0 + rows) of `set` (row0 is a multiple of CHUNK_ROWS). */
  add(set: number, row0: number, rows: number, x: Float32Array, y?: Float32Array): void {
    drain(this.sums.addSetSteps(set, this.inputs(rows, x, y), row0));
  }

  /** Copies of the f64 sums (upper triangles valid), one per set. */
  takeSums(): Float64Array[] {
    return this.sums.takeSums();
  }

  /** Copies of the column sums per set (null: unknown). */
  get colSums(): Float64Array[] | null {
    return this.sums.colSums?.map((c) => c.slice()) ?? null;
  }

  /** Starts the scoring pass of `set` with mode vectors V (D × k, row-major) over `rows` rows from global row `base`; `keepAll`: whether every score is kept, of every column or per column. */
  scoreBegin(set: number, V: Float32Array, k: number, scale: number, samplesPerMode: number, keepAll: boolean | boolean[], base: number, rows: number): void {
    const top = new TopSamples(k, samplesPerMode, rows, keepAll);
    this.scoring[set] = { pass: new ScorePass(this.sums, set, { V, k, scale }, top, rows, base), top };
  }

  /** Scores rows [row0, row0 + rows) of `set`, from the cache where the data are not sent again. */
  score(set: number, row0: number, rows: number, x?: Float32Array, y?: Float32Array): void {
    const sc = this.scoring[set];
    if (!sc) throw new Error('spec-embed: worker scoring before scoreBegin');
    if (row0 !== sc.pass.base + sc.pass.scored) throw new Error(`spec-embed: worker scoring rows from ${row0}, expected ${sc.pass.base + sc.pass.scored}`);
    drain(sc.pass.steps(x ? this.inputs(rows, x, y) : null, rows));
  }

  /** The scoring pass's mergeable top and bottom samples and histograms of `set` (indices relative to its base row). */
  partial(set: number): TopPartial {
    const sc = this.scoring[set];
    if (!sc) throw new Error('spec-embed: worker partial before scoreBegin');
    return sc.top.partial();
  }

  free(): void {
    this.sums.dispose();
    this.scoring = [];
  }
}

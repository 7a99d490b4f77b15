// The script every spec-embed worker runs (bundled by scripts/embed-worker.mjs
// into one self-contained string that the main bundle carries). It answers the
// requests of protocol.ts: shards of the covariance routes, and whole analyses
// (`run`, for `{ worker: true }`) with progress events.
import { init } from '../wasm/loader.js';
import { compare } from '../methods/compare.js';
import { finc } from '../methods/finc.js';
import { toWire, type Request } from './protocol.js';
import { Shard } from './shard.js';
import { GramShard } from './gram-shard.js';
import { MatfreeShard } from './matfree-shard.js';
import { FincMatfreeShard } from './finc-matfree-shard.js';
import { setWorkerSource } from './pool.js';

interface Port {
  post(m: unknown, transfer?: Transferable[]): void;
  listen(f: (m: any) => void): void;
}

const g = globalThis as any;

function port(): Port {
  const node = g.__specEmbedPort;
  if (node) return { post: (m, t) => node.postMessage(m, t), listen: (f) => node.on('message', f) };
  return { post: (m, t) => g.postMessage(m, t ?? []), listen: (f) => g.addEventListener('message', (e: MessageEvent) => f(e.data)) };
}

const io = port();
let shard: Shard | null = null;
let gramShard: GramShard | null = null;
let mfShard: MatfreeShard | null = null;
let fincShard: FincMatfreeShard | null = null;

function freeShard(): void {
  shard?.free();
  shard = null;
  gramShard?.free();
  gramShard = null;
  mfShard?.free();
  mfShard = null;
  fincShard?.free();
  fincShard = null;
}

function needMatfree(): MatfreeShard {
  if (!mfShard) throw new Error('spec-embed: worker has no matrix-free rows');
  return mfShard;
}

function needFinc(): FincMatfreeShard {
  if (!fincShard) throw new Error("spec-embed: worker has no rows of FINC's matrix-free solve");
  return fincShard;
}

function need(): Shard {
  if (!shard) throw new Error('spec-embed: worker has no shard');
  return shard;
}

async function handle(id: number, req: Request): Promise<{ value?: unknown; transfer?: Transferable[] }> {
  switch (req.op) {
    case 'init':
      setWorkerSource(req.source);
      await init(req.module ? { module: req.module } : {});
      return {};
    case 'shard':
      freeShard();
      shard = new Shard(req.spec);
      return {};
    case 'add':
      need().add(req.set, req.row0, req.rows, req.x, req.y);
      return {};
    case 'sums': {
      const s = need();
      const sums = s.takeSums();
      return { value: { sums, colSums: s.colSums, cachedAll: s.cachedAll, seconds: { ...s.seconds } }, transfer: sums.map((a) => a.buffer) };
    }
    case 'scoreBegin':
      need().scoreBegin(req.set, req.V, req.k, req.scale, req.samplesPerMode, req.keepAll, req.base, req.rows);
      return {};
    case 'score':
      need().score(req.set, req.row0, req.rows, req.x, req.y);
      return {};
    case 'partial': {
      const s = need(),
        top = s.partial(req.set);
      return { value: { top, seconds: { ...s.seconds } }, transfer: (top.scores ?? []).map((a) => a.buffer) };
    }
    case 'gramBegin':
      freeShard();
      gramShard = new GramShard(req.spec, req.x);
      return {};
    case 'gramRows': {
      if (!gramShard) throw new Error('spec-embed: worker has no kernel rows to compute');
      const rows = gramShard.rows(req.r0, req.r1);
      return { value: rows, transfer: [rows.buffer] };
    }
    case 'mfBegin':
      freeShard();
      mfShard = new MatfreeShard(req.spec);
      return {};
    case 'mfAdd':
      needMatfree().add(req.row0, req.rows, req.x, req.y);
      return {};
    case 'mfNorms': {
      const f = needMatfree().norms();
      return { value: f, transfer: [f.buffer] };
    }
    case 'mfT': {
      const t = needMatfree().applyT(req.x);
      return { value: t, transfer: [t.buffer] };
    }
    case 'mfN': {
      const y = needMatfree().applyN(req.t);
      return { value: y, transfer: [y.buffer] };
    }
    case 'mfFincBegin':
      freeShard();
      fincShard = new FincMatfreeShard(req.spec);
      return {};
    case 'mfFincAdd':
      needFinc().add(req.set, req.row0, req.rows, req.x);
      return {};
    case 'mfFincStats': {
      const s = needFinc().stats();
      return { value: s, transfer: [s.norms.buffer, ...s.moments.map((m) => m.sums.buffer)] };
    }
    case 'mfFincApply': {
      const y = needFinc().apply(req.x);
      return { value: y, transfer: [y.buffer] };
    }
    case 'mfFincScore': {
      const r = needFinc().score(req.V, req.k, req.samplesPerMode, req.keep);
      return { value: r, transfer: [r.sqY.buffer, ...r.tops.flatMap((t) => (t.scores ?? []).map((a) => a.buffer))] };
    }
    case 'free':
      freeShard();
      return {};
    case 'run': {
      const onProgress = (e: unknown) => io.post({ id, progress: e });
      // The analysis runs here with the caller's options (threads included), never offloaded again.
      const options = { ...req.options, worker: false, onProgress };
      const result = req.task === 'compare' ? await compare(req.X as any, req.Y as any, options) : await finc(req.X as any, req.Y as any, options);
      return { value: result };
    }
  }
}

// Requests are handled one at a time, in order (a shard's chunks must be added in sequence).
let queue: Promise<void> = Promise.resolve();
io.listen((msg: Request & { id: number }) => {
  queue = queue.then(async () => {
    try {
      const { value, transfer } = await handle(msg.id, msg);
      io.post({ id: msg.id, ok: true, value }, transfer);
    } catch (e) {
      // A failed shard is dropped: its sums are incomplete.
      if (msg.op !== 'run') freeShard();
      io.post({ id: msg.id, ok: false, error: toWire(e) });
    }
  });
});

// The script of a layout worker (bundled by scripts/embed-worker.mjs into
// src/generated/layout-worker-source.ts): it lays out one set of rows per
// request with layout2d and posts its progress (epochs done) and the result.
// Pure JavaScript (umap-js): it needs no wasm, so it starts in a few ms.
import { layout2d, type LayoutOptions } from './layout.js';

/** A request: the rows (row-major, n × d) and layout2d's options without the callback. */
export interface LayoutRequest {
  id: number;
  data: Float32Array;
  n: number;
  d: number;
  options: Omit<LayoutOptions, 'onProgress'>;
}

/** Replies: progress (fraction done), then the layout or an error message. */
export type LayoutReply =
  | { id: number; progress: number }
  | { id: number; ok: true; method: 'umap' | 'pca'; xy: Float32Array }
  | { id: number; ok: false; error: string };

// biome-ignore lint/suspicious/noExplicitAny: the worker global differs by runtime (Node port, Web Worker scope)
const g = globalThis as any;
const node = g.__specEmbedPort;
const post = (m: LayoutReply, transfer: Transferable[] = []) => (node ? node.postMessage(m, transfer) : g.postMessage(m, transfer));
const listen = (f: (m: LayoutRequest) => void) => (node ? node.on('message', f) : g.addEventListener('message', (e: MessageEvent) => f(e.data)));

listen(async (req) => {
  try {
    const l = await layout2d(req.data, req.n, req.d, { ...req.options, onProgress: (f) => post({ id: req.id, progress: f }) });
    post({ id: req.id, ok: true, method: l.method, xy: l.xy }, [l.xy.buffer]);
  } catch (e) {
    post({ id: req.id, ok: false, error: e instanceof Error ? e.message : String(e) });
  }
});

// The app's worker, in process: a stand-in `self` collects the posted messages;
// requests made of small files give the report data of the same analysis the
// CLI runs, and bad requests one error message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { zipSync } from 'fflate';
import type { RunRequest, WorkerMessage } from '../../../src/app/protocol.js';

const posted: WorkerMessage[] = [];
const self = { postMessage: (m: WorkerMessage) => posted.push(structuredClone(m)), onmessage: null as null | ((e: { data: RunRequest }) => void) };
(globalThis as Record<string, unknown>).self = self;
await import('../../../src/app/worker.js');

const CLI = fileURLToPath(new URL('../../fixtures/cli/', import.meta.url));
const file = (name: string, text?: string) => {
  const b = text === undefined ? readFileSync(CLI + name) : Buffer.from(text);
  return { name, bytes: b.buffer.slice(b.byteOffset, b.byteOffset + b.length) as ArrayBuffer };
};

async function send(req: RunRequest): Promise<WorkerMessage[]> {
  posted.length = 0;
  self.onmessage!({ data: req });
  for (let i = 0; i < 3000; i++) {
    if (posted.some((m) => m.type !== 'progress')) break;
    await new Promise((r) => setTimeout(r, 5));
  }
  return [...posted];
}

test('compare: progress messages in [0, 1], then done with local report data holding the CLI JSON', async () => {
  const msgs = await send({
    task: 'compare',
    x: file('x.npy'),
    y: file('y.npy'),
    labelsX: file('labels.txt'),
    kernelX: { type: 'cosine' },
    method: 'exact',
    topK: 2,
    samplesPerMode: 3,
  });
  const last = msgs[msgs.length - 1];
  assert.equal(last.type, 'done', JSON.stringify(last).slice(0, 300));
  const progress = msgs.filter((m): m is Extract<WorkerMessage, { type: 'progress' }> => m.type === 'progress');
  assert.deepEqual(progress[0], { type: 'progress', stage: 'reading files', fraction: 0 });
  for (const p of progress) assert.ok(p.fraction >= 0 && p.fraction <= 1, `${p.stage} ${p.fraction}`);
  assert.ok(
    progress.filter((p) => p.stage !== 'report').every((p) => p.fraction <= 0.8),
    'the analysis takes the first 80 %',
  );
  assert.ok(progress.some((p) => p.stage === 'report'));
  const data = (last as Extract<WorkerMessage, { type: 'done' }>).data;
  assert.equal(data.local, true);
  assert.equal(data.task, 'compare');
  assert.deepEqual([data.xName, data.yName], ['x.npy', 'y.npy']);
  const j = data.json as { n: number; modes: { side: string; top: { label?: string }[] }[]; inputs: unknown; kernelX: unknown };
  assert.equal(j.n, 60);
  assert.deepEqual(j.kernelX, { type: 'cosine' });
  assert.equal(j.modes.length, 4);
  assert.ok(j.modes.every((m) => m.top.length === 3 && m.top.every((t) => /^[abc]$/.test(t.label!))));
  assert.deepEqual(j.inputs, { X: { header: null, indexColumn: null }, Y: { header: null, indexColumn: null } });
  assert.equal(data.maps!.total, 60);
});

test('gaussian σ auto sends rffDim only when set; align and finc run', async () => {
  const g = await send({
    task: 'compare',
    x: file('x.npy'),
    y: file('y.npy'),
    kernelX: { type: 'gaussian', sigma: 'auto', rffDim: 32 },
    kernelY: { type: 'gaussian', rffDim: 32 },
    method: 'covariance',
    topK: 1,
  });
  const d = (g[g.length - 1] as Extract<WorkerMessage, { type: 'done' }>).data;
  assert.equal((d.json as { kernelX: { rffDim: number } }).kernelX.rffDim, 32);
  assert.deepEqual(d.sigmaAuto, { x: true, y: true });
  const f = await send({ task: 'finc', x: file('x.npy'), y: file('x50.npy'), kernelX: { type: 'linear' }, topK: 1 });
  const fd = (f[f.length - 1] as Extract<WorkerMessage, { type: 'done' }>).data;
  assert.equal(fd.task, 'finc');
  assert.deepEqual([(fd.json as { nx: number }).nx, (fd.json as { ny: number }).ny], [60, 50]);
  const a = await send({ task: 'align', x: file('x.npy'), y: file('y.npy'), kernelX: { type: 'cosine' }, epochs: 1, seed: 2 });
  const ad = (a[a.length - 1] as Extract<WorkerMessage, { type: 'done' }>).data;
  assert.equal(ad.task, 'align');
  assert.equal(ad.local, true);
  assert.equal((ad.json as { task: string }).task, 'align');
});

test('bad requests: one error message each', async () => {
  const error = async (req: RunRequest) => {
    const msgs = await send(req);
    const last = msgs[msgs.length - 1];
    assert.equal(last.type, 'error');
    return (last as Extract<WorkerMessage, { type: 'error' }>).message;
  };
  const base = { kernelX: { type: 'cosine' as const } };
  assert.equal(
    await error({ ...base, task: 'compare', x: file('x.npy'), y: file('x50.npy') }),
    'row counts differ: X x.npy has 60 rows but Y x50.npy has 50 rows (row i of both must describe sample i)',
  );
  assert.equal(
    await error({ ...base, task: 'align', x: file('x.npy'), y: file('x50.npy') }),
    'row counts differ: X x.npy has 60 rows but Y x50.npy has 50 rows',
  );
  assert.equal(
    await error({ ...base, task: 'finc', x: file('x.npy'), y: file('y.npy') }),
    'dimensions differ: X x.npy has 6 columns but Y y.npy has 4; finc compares two sets under the same embedding',
  );
  const bad = Buffer.from([0xff, 0xfe, 0x00]);
  assert.equal(
    await error({
      ...base,
      task: 'compare',
      x: file('x.npy'),
      y: file('y.npy'),
      labelsX: { name: 'l.txt', bytes: bad.buffer.slice(bad.byteOffset, bad.byteOffset + 3) as ArrayBuffer },
    }),
    'l.txt: is not valid UTF-8 text',
  );
  assert.match(await error({ ...base, task: 'compare', x: file('truncated.npy'), y: file('y.npy') }), /^truncated\.npy: /);
});

test('an archive of several arrays: each side reads its own; without a choice, the message names the form’s field', async () => {
  const both = zipSync({ 'emb_a.npy': new Uint8Array(readFileSync(`${CLI}x.npy`)), 'emb_b.npy': new Uint8Array(readFileSync(`${CLI}y.npy`)) });
  const arch = () => ({ name: 'both.npz', bytes: both.slice().buffer as ArrayBuffer });
  const ok = await send({ task: 'compare', x: arch(), y: arch(), keyX: 'emb_a', keyY: 'emb_b', kernelX: { type: 'cosine' }, topK: 1 });
  const want = await send({ task: 'compare', x: file('x.npy'), y: file('y.npy'), kernelX: { type: 'cosine' }, topK: 1 });
  const modes = (m: WorkerMessage[]) => ((m[m.length - 1] as Extract<WorkerMessage, { type: 'done' }>).data.json as { modes: unknown }).modes;
  assert.deepEqual(modes(ok), modes(want));
  const err = await send({ task: 'compare', x: arch(), y: arch(), keyY: 'emb_b', kernelX: { type: 'cosine' } });
  assert.deepEqual(err[err.length - 1], {
    type: 'error',
    message: "both.npz: the archive holds 2 arrays ('emb_a', 'emb_b'); choose which is X under “X: array in the .npz archive”",
  });
});

test('align posts its map (W, bias) for the downloads; every error reads without a command-line flag', async () => {
  const a = await send({ task: 'align', x: file('x.npy'), y: file('y.npy'), kernelX: { type: 'cosine' }, epochs: 1, bias: true, dim: 3 });
  const done = a[a.length - 1] as Extract<WorkerMessage, { type: 'done' }>;
  assert.equal(done.type, 'done');
  assert.equal(done.map!.dim, 3);
  assert.equal(done.map!.W.length, 3 * done.map!.dy);
  assert.equal(done.map!.bias!.length, 3);
  const csv = file('a.csv', '0,1\n2,3\n4,5\n');
  const e = await send({ task: 'compare', x: csv, y: file('b.csv', '0,1\n2,3\n4,5\n'), kernelX: { type: 'cosine' } });
  const msg = (e[e.length - 1] as Extract<WorkerMessage, { type: 'error' }>).message;
  assert.match(msg, /^a\.csv: /);
  assert.doesNotMatch(msg, /--/);
  assert.match(msg, /“CSV\/TSV line 1”/);
});

test("finc: X's and Y's images become the thumbnails of their own set (read synchronously, as a worker does)", async () => {
  const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  const bytes = new Map<Blob, Uint8Array>();
  const image = (set: number, i: number) => {
    const b = new Uint8Array([...PNG, set, i]);
    const blob = new Blob([b]);
    bytes.set(blob, b);
    return blob;
  };
  const g = globalThis as { FileReaderSync?: unknown };
  g.FileReaderSync = class {
    readAsArrayBuffer(b: Blob) {
      return bytes.get(b)!.slice().buffer;
    }
  };
  try {
    const imagesX = { files: Array.from({ length: 60 }, (_, i) => ({ path: `x/${i}.png`, blob: image(0, i) })) };
    const imagesY = { files: Array.from({ length: 50 }, (_, i) => ({ path: `y/${i}.png`, blob: image(1, i) })) };
    const f = await send({ task: 'finc', x: file('x.npy'), y: file('x50.npy'), kernelX: { type: 'linear' }, topK: 1, samplesPerMode: 2, imagesX, imagesY });
    const data = (f[f.length - 1] as Extract<WorkerMessage, { type: 'done' }>).data;
    const thumbs = Object.entries(data.thumbs ?? {});
    assert.ok(thumbs.some(([k]) => k.startsWith('0:')) && thumbs.some(([k]) => k.startsWith('1:')), thumbs.map(([k]) => k).join());
    for (const [k, uri] of thumbs) {
      const [set, i] = k.split(':').map(Number);
      assert.equal(uri, `data:image/png;base64,${Buffer.from([...PNG, set, i]).toString('base64')}`, k);
    }
  } finally {
    delete g.FileReaderSync;
  }
});

// One worker API over Node's worker_threads and the Web Worker of Deno and browsers. The
// Node side runs real workers; the Web side runs under a stand-in Worker class
// (with globalThis.Deno set, as Deno defines it), which records what it was given.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { hardwareThreads, runtimeKind, startWorker, type RawWorker } from '../../../src/runtime/platform.js';

const g = globalThis as any;

/** Runs fn with globalThis properties replaced (undefined deletes), restoring them after. */
async function withGlobals<T>(props: Record<string, unknown>, fn: () => T | Promise<T>): Promise<T> {
  const saved = Object.keys(props).map((k) => [k, Object.getOwnPropertyDescriptor(globalThis, k)] as const);
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined) delete g[k];
    else Object.defineProperty(globalThis, k, { value: v, configurable: true, writable: true });
  }
  try {
    return await fn();
  } finally {
    for (const [k, d] of saved) {
      if (d) Object.defineProperty(globalThis, k, d);
      else delete g[k];
    }
  }
}

/** Resolves with the next value `on` receives. */
function next<T>(): { on: (v: T) => void; value: Promise<T> } {
  let on!: (v: T) => void;
  const value = new Promise<T>((r) => {
    on = r;
  });
  return { on: (v) => on(v), value };
}

test('runtimeKind: node under Node; web where Deno has Worker, Blob and object URLs; none without workers', async () => {
  assert.equal(runtimeKind(), 'node');
  class FakeWorker {}
  await withGlobals({ Deno: {}, Worker: FakeWorker }, () => assert.equal(runtimeKind(), 'web'));
  await withGlobals({ Deno: {}, Worker: undefined }, () => assert.equal(runtimeKind(), 'none'));
  await withGlobals({ Deno: {}, Worker: FakeWorker, Blob: undefined }, () => assert.equal(runtimeKind(), 'none'));
  // a browser: no process
  await withGlobals({ process: undefined, Worker: FakeWorker }, () => assert.equal(runtimeKind(), 'web'));
});

test('hardwareThreads: navigator.hardwareConcurrency when given, else the OS count under Node, else 1', async () => {
  await withGlobals({ navigator: undefined }, async () => assert.equal(await hardwareThreads(), availableParallelism()));
  await withGlobals({ navigator: { hardwareConcurrency: 6.5 } }, async () => assert.equal(await hardwareThreads(), 6));
  await withGlobals({ navigator: { hardwareConcurrency: 0 } }, async () => assert.equal(await hardwareThreads(), availableParallelism()));
  await withGlobals({ navigator: undefined, Deno: {}, Worker: undefined }, async () => assert.equal(await hardwareThreads(), 1));
});

test('Node: a worker runs the source with the parent port, answers, and reports its exit as an error', async () => {
  const reply = next<any>(),
    error = next<Error>();
  const source = `__specEmbedPort.on('message', (m) => __specEmbedPort.postMessage({ echo: m, twice: m.n * 2 }));`;
  const w = (await startWorker(source, { message: reply.on, error: error.on })) as RawWorker;
  assert.ok(w);
  assert.equal(w.holdsProcess, false);
  w.post({ n: 21 });
  assert.deepEqual(await reply.value, { echo: { n: 21 }, twice: 42 });
  w.terminate();
  assert.match((await error.value).message, /^spec-embed: worker exited \(code 1\)$/);
});

test('Node: a script error in the worker reaches the error handler', async () => {
  const errors: Error[] = [];
  const done = next<void>();
  const w = await startWorker('throw new TypeError("bad worker");', {
    message: () => assert.fail('no message expected'),
    error: (e) => {
      errors.push(e);
      if (/exited/.test(e.message)) done.on();
    },
  });
  assert.ok(w);
  await done.value;
  assert.ok(errors[0] instanceof Error);
  assert.match(errors[0].message, /bad worker/);
  assert.match(errors[errors.length - 1].message, /^spec-embed: worker exited \(code 1\)$/);
});

test('Web: a module worker from a Blob URL of the source, one URL per source, events forwarded', async () => {
  const made: FakeWorker[] = [];
  class FakeWorker {
    onmessage: ((e: any) => void) | null = null;
    onerror: ((e: any) => void) | null = null;
    onmessageerror: (() => void) | null = null;
    posted: unknown[] = [];
    terminated = false;
    constructor(
      readonly url: string,
      readonly opts: unknown,
    ) {
      made.push(this);
    }
    postMessage(m: unknown, t: unknown) {
      this.posted.push([m, t]);
    }
    terminate() {
      this.terminated = true;
    }
  }
  await withGlobals({ Deno: {}, Worker: FakeWorker }, async () => {
    const messages: unknown[] = [],
      errors: string[] = [];
    const on = { message: (d: unknown) => messages.push(d), error: (e: Error) => errors.push(e.message) };
    const a = (await startWorker('/* a */', on))!,
      b = (await startWorker('/* a */', on))!;
    const c = (await startWorker('/* c */', on))!;
    assert.equal(made.length, 3);
    assert.deepEqual(made[0].opts, { type: 'module', name: 'spec-embed' });
    assert.match(made[0].url, /^blob:/);
    assert.equal(made[1].url, made[0].url);
    assert.notEqual(made[2].url, made[0].url);
    // the Blob holds the source as JavaScript
    const blob = await fetch(made[2].url).then((r) => r.text());
    assert.equal(blob, '/* c */');
    // a Deno script has a process an idle worker holds
    assert.equal(a.holdsProcess, true);
    a.post({ x: 1 });
    a.post({ x: 2 }, []);
    assert.deepEqual(made[0].posted, [
      [{ x: 1 }, []],
      [{ x: 2 }, []],
    ]);
    made[0].onmessage!({ data: 'hello' });
    let prevented = 0;
    made[0].onerror!({ message: 'Uncaught boom', preventDefault: () => prevented++ });
    made[0].onerror!({ message: '' });
    made[0].onmessageerror!();
    assert.deepEqual(messages, ['hello']);
    assert.deepEqual(errors, ['Uncaught boom', 'spec-embed: worker failed', 'spec-embed: a worker message could not be deserialised']);
    assert.equal(prevented, 1);
    b.unref();
    b.ref();
    c.terminate();
    assert.equal(made[2].terminated, true);
  });
  // a page (no Deno) has no process to hold
  await withGlobals({ process: undefined, Worker: FakeWorker }, async () => {
    const w = await startWorker('/* page */', { message() {}, error() {} });
    assert.equal(w!.holdsProcess, false);
  });
});

test('Web: a Worker constructor that throws (a CSP without blob:) gives null; no worker API gives null', async () => {
  class Refusing {
    constructor() {
      throw new DOMException('blocked', 'SecurityError');
    }
  }
  await withGlobals({ Deno: {}, Worker: Refusing }, async () => assert.equal(await startWorker('/* x */', { message() {}, error() {} }), null));
  await withGlobals({ Deno: {}, Worker: undefined }, async () => assert.equal(await startWorker('/* x */', { message() {}, error() {} }), null));
});

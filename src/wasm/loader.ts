// Loading and instantiating the kernel module. The module takes raw pointers,
// so plain WebAssembly instantiation is all any runtime needs.
// The `spec-embed/slim` build replaces WASM_BASE64 with '' (rollup.config.mjs):
// it loads only from a module or bytes the caller supplies.
import { WASM_BASE64 } from '../generated/wasm-bytes.js';
import { VERSION } from '../version.js';

/** The raw exports of the kernel module (internal; shapes mirror assembly/). */
export interface KernelExports {
  memory: WebAssembly.Memory;
  alloc(bytes: number): number;
  free(ptr: number): void;
  memoryBytes(): number;
  [name: string]: any;
}

export interface InitOptions {
  /** A precompiled module, for platforms that forbid compiling wasm from bytes at run time. */
  module?: WebAssembly.Module;
  /** The wasm bytes (for example fetched from `spec-embed/spec-embed.wasm`). */
  bytes?: ArrayBufferView | ArrayBuffer;
}

let exportsRef: KernelExports | null = null;
/** The compiled module, kept so that workers (src/runtime) instantiate the same kernels without recompiling. */
let moduleRef: WebAssembly.Module | null = null;
let pending: Promise<KernelExports> | null = null;

/**
 * Where this realm's copies of spec-embed (the ESM and CJS builds, the full and
 * slim entries, loaded side by side) leave the compiled module for each other:
 * each copy keeps its own instance, but `init()` in one copy lets the others
 * instantiate the same module instead of compiling bytes, which edge platforms
 * forbid. Keyed by version: another version's kernels may differ.
 */
const SHARED_MODULE = Symbol.for(`spec-embed@${VERSION}/wasm-module`);
const shared = globalThis as { [SHARED_MODULE]?: WebAssembly.Module };

/** Thrown inside the module when an assertion or allocation fails; rethrown by the host. */
export class WasmAbort extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WasmAbort';
  }
}

function decodeBase64(text: string): Uint8Array {
  const binary = atob(text);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

function readAsString(memory: WebAssembly.Memory, ptr: number): string {
  if (!ptr) return '';
  const u32 = new Uint32Array(memory.buffer);
  const len = u32[(ptr - 4) >>> 2] >>> 1;
  const u16 = new Uint16Array(memory.buffer, ptr, len);
  let s = '';
  for (let i = 0; i < len; i++) s += String.fromCharCode(u16[i]);
  return s;
}

function imports(memoryRef: { memory?: WebAssembly.Memory }): WebAssembly.Imports {
  return {
    env: {
      abort(msg: number, file: number, line: number, col: number) {
        const mem = memoryRef.memory;
        const text = mem ? `${readAsString(mem, msg)} (${readAsString(mem, file)}:${line}:${col})` : 'abort';
        throw new WasmAbort(text);
      },
    },
  };
}

const COMPILE_FORBIDDEN =
  'spec-embed: this runtime forbids compiling WebAssembly from bytes (as edge functions such as Cloudflare Workers do): ' +
  "import the precompiled module and hand it over: `import wasmModule from 'spec-embed/spec-embed.wasm'; " +
  "import { init } from 'spec-embed/slim'; await init({ module: wasmModule });`";

function embeddedBytes(): Uint8Array {
  if (!WASM_BASE64) {
    throw new Error(
      'spec-embed/slim carries no wasm: call `await init({ module })` with the module of spec-embed/spec-embed.wasm, or `init({ bytes })`, before anything else',
    );
  }
  return decodeBase64(WASM_BASE64);
}

async function instantiate(options: InitOptions): Promise<KernelExports> {
  const ref: { memory?: WebAssembly.Memory } = {};
  let instance: WebAssembly.Instance;
  let compiled = options.module ?? (options.bytes ? undefined : shared[SHARED_MODULE]);
  if (compiled) {
    instance = await WebAssembly.instantiate(compiled, imports(ref));
  } else {
    const raw = options.bytes ?? embeddedBytes();
    const bytes = raw instanceof ArrayBuffer ? new Uint8Array(raw) : new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength);
    let result: WebAssembly.WebAssemblyInstantiatedSource;
    try {
      result = (await WebAssembly.instantiate(bytes as BufferSource, imports(ref))) as unknown as WebAssembly.WebAssemblyInstantiatedSource;
    } catch (e) {
      // The embedded binary always compiles, so its CompileError (or V8's refusal of any bytes) means the runtime forbids compiling.
      if (e instanceof WebAssembly.CompileError && (!options.bytes || /disallowed/i.test(e.message))) throw new Error(COMPILE_FORBIDDEN, { cause: e });
      throw e;
    }
    instance = result.instance;
    compiled = result.module;
  }
  moduleRef = compiled;
  shared[SHARED_MODULE] ??= compiled;
  const ex = instance.exports as unknown as KernelExports;
  ref.memory = ex.memory;
  return ex;
}

/**
 * Loads the WebAssembly kernels. Idempotent: later calls return the first
 * instance. Without options it uses the embedded binary (or the module another
 * copy of spec-embed in this realm already loaded). Pass `{ module }` on edge
 * platforms that forbid compiling wasm at run time and hand you a precompiled
 * `WebAssembly.Module`, or `{ bytes }` to supply the binary yourself.
 */
export async function init(options: InitOptions = {}): Promise<void> {
  if (exportsRef) return;
  if (!pending) {
    pending = instantiate(options).then(
      (ex) => (exportsRef = ex),
      (err) => {
        pending = null;
        throw err;
      },
    );
  }
  await pending;
}

/** The compiled kernel module once `init()` has completed (internal: handed to workers). */
export function wasmModule(): WebAssembly.Module | null {
  return moduleRef;
}

/** Whether `init()` has completed. */
export function isInitialized(): boolean {
  return exportsRef !== null;
}

/** The kernel exports; throws if `init()` has not completed. */
export function wasm(): KernelExports {
  if (!exportsRef) throw new Error('spec-embed: call `await init()` before using the kernels');
  return exportsRef;
}

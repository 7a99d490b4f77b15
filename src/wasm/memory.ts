// Typed buffers in wasm linear memory. Views are re-created on every access,
// because growing the memory detaches every earlier ArrayBuffer view.
import { wasm, WasmAbort } from './loader.js';

/** TLSF blocks are limited to 1 GiB each (wasm32 addresses 4 GiB in all). */
export const MAX_BLOCK_BYTES = 2 ** 30 - 64;

export type Dtype = 'f32' | 'f64' | 'i32' | 'u8';
const BYTES: Record<Dtype, number> = { f32: 4, f64: 8, i32: 4, u8: 1 };

/** Allocates `bytes` in wasm memory, or throws a RangeError naming the request. */
export function allocBytes(bytes: number, what = 'buffer'): number {
  if (!Number.isFinite(bytes) || bytes < 0) throw new RangeError(`spec-embed: invalid size ${bytes} for ${what}`);
  if (bytes > MAX_BLOCK_BYTES) {
    throw new RangeError(`spec-embed: ${what} needs ${formatBytes(bytes)}, more than one WebAssembly allocation can hold (${formatBytes(MAX_BLOCK_BYTES)})`);
  }
  let ptr: number;
  try {
    ptr = wasm().alloc(Math.max(bytes, 1)) >>> 0;
  } catch (err) {
    if (err instanceof WasmAbort || err instanceof RangeError || err instanceof WebAssembly.RuntimeError) {
      throw new RangeError(
        `spec-embed: ${what} needs ${formatBytes(bytes)}, more than WebAssembly memory can hold (4 GiB in all, ${formatBytes(wasm().memoryBytes() >>> 0)} in use)`,
      );
    }
    throw err;
  }
  return ptr;
}

export function formatBytes(n: number): string {
  if (n >= 2 ** 30) return `${(n / 2 ** 30).toFixed(2)} GiB`;
  if (n >= 2 ** 20) return `${(n / 2 ** 20).toFixed(1)} MiB`;
  if (n >= 2 ** 10) return `${(n / 2 ** 10).toFixed(1)} KiB`;
  return `${n} B`;
}

/** A typed array living in wasm memory. Call `free()` when done (or use `using`-style try/finally). */
/** The typed-array views a WasmArray can have. */
export type WasmView = Float32Array | Float64Array | Int32Array | Uint8Array;

export class WasmArray<T extends WasmView> {
  readonly ptr: number;
  readonly length: number;
  readonly dtype: Dtype;
  private freed = false;

  constructor(dtype: Dtype, length: number, what = 'buffer') {
    this.dtype = dtype;
    this.length = length;
    this.ptr = allocBytes(length * BYTES[dtype], what);
  }

  /** A fresh view (never cache it across calls that may grow memory). */
  get view(): T {
    if (this.freed) throw new Error('spec-embed: use of a freed wasm buffer');
    const buf = wasm().memory.buffer;
    switch (this.dtype) {
      case 'f32':
        return new Float32Array(buf, this.ptr, this.length) as T;
      case 'f64':
        return new Float64Array(buf, this.ptr, this.length) as T;
      case 'i32':
        return new Int32Array(buf, this.ptr, this.length) as T;
      default:
        return new Uint8Array(buf, this.ptr, this.length) as T;
    }
  }

  /** Copies `src` into the buffer at element `offset`. */
  set(src: ArrayLike<number>, offset = 0): this {
    this.view.set(src, offset);
    return this;
  }

  /** Copies the contents out into ordinary JS memory. */
  toArray(): T {
    return this.view.slice() as T;
  }

  free(): void {
    if (!this.freed) {
      wasm().free(this.ptr);
      this.freed = true;
    }
  }
}

export const f32 = (n: number, what?: string) => new WasmArray<Float32Array>('f32', n, what);
export const f64 = (n: number, what?: string) => new WasmArray<Float64Array>('f64', n, what);
export const i32 = (n: number, what?: string) => new WasmArray<Int32Array>('i32', n, what);

/** Buffers handed out by `alloc` and not yet freed (leak checks in tests). */
export function liveAllocations(): number {
  return wasm().liveAllocations() as number;
}

/**
 * Owns the buffers of one computation: allocate through it, free them all in
 * one `finally` (an allocation that throws leaves the earlier ones owned).
 */
export class Scope {
  private bufs: WasmArray<WasmView>[] = [];
  f32(n: number, what?: string): WasmArray<Float32Array> {
    return this.own(f32(n, what));
  }
  f64(n: number, what?: string): WasmArray<Float64Array> {
    return this.own(f64(n, what));
  }
  i32(n: number, what?: string): WasmArray<Int32Array> {
    return this.own(i32(n, what));
  }
  own<B extends WasmArray<WasmView>>(b: B): B {
    this.bufs.push(b);
    return b;
  }
  free(): void {
    for (const b of this.bufs) b.free();
    this.bufs = [];
  }
}

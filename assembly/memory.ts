// Raw buffers shared with the host. Kernels take byte pointers and lengths, so
// no managed AssemblyScript objects ever cross the boundary and the host needs
// neither the loader nor generated bindings to call them.

/** Allocates `bytes` bytes aligned to 16 (TLSF guarantees 16-byte alignment). */
export function alloc(bytes: usize): usize {
  const p = heap.alloc(bytes);
  live++;
  return p;
}

export function free(ptr: usize): void {
  if (ptr != 0) {
    heap.free(ptr);
    live--;
  }
}

// Blocks handed to the host and not yet freed: the host's leak tests compare it
// before and after a failing call (memory.size() never shrinks, so it cannot).
let live: i32 = 0;

/** Host allocations (alloc) not yet freed. */
export function liveAllocations(): i32 {
  return live;
}

/** Current linear-memory size in bytes, for the host's capacity checks. */
export function memoryBytes(): usize {
  return <usize>memory.size() << 16;
}

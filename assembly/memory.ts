// Raw buffers shared with the host. Kernels take byte pointers and lengths, so
// no managed AssemblyScript objects ever cross the boundary and the host needs
// neither the loader nor generated bindings to call them.

/** Allocates `bytes` bytes aligned to 16 (TLSF guarantees 16-byte alignment). */
export function alloc(bytes: usize): usize {
  return heap.alloc(bytes);
}

export function free(ptr: usize): void {
  if (ptr != 0) heap.free(ptr);
}

/** Current linear-memory size in bytes, for the host's capacity checks. */
export function memoryBytes(): usize {
  return <usize>memory.size() << 16;
}

// The host passes shapes and strides through this static block, so no kernel call allocates and
// each kernel is one JS→wasm call. Layout (i32 words) is written by src/scratch.ts on the host.
export const SCRATCH: usize = memory.data(4096, 16);

// 16-byte slots that hold a broadcast scalar splatted across a vector, one per operand: a loop
// reads a broadcast operand from its slot with a step of 0 bytes and a streamed one with a step
// of 16, so one loop body serves same-shape, scalar and row-broadcast operands alike.
export const SPLAT: usize = memory.data(64, 16);

export function scratch(): usize {
  return SCRATCH;
}

export function heapBase(): usize {
  return (__heap_base + 63) & ~63;
}

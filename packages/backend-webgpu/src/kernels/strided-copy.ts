/**
 * Data movement as one kernel: walk an iteration space, reading the source and writing the
 * destination each through its own strides and base offset. Transpose, Slice, BroadcastTo, Concat
 * (one copy per input), Pad (after a fill) and the permutes inside reductions are all this. Words
 * are copied as u32, so one pipeline per collapsed rank serves every dtype.
 */
import { collapseDims, sizeOf } from '@surrograd/core';
import type { GpuData, WebGpuBackend } from '../backend.js';
import { gridFor } from '../wgsl/program.js';
import { UniformLayout } from '../wgsl/uniforms.js';
import { offsetsWgsl, planUniforms } from './index-math.js';

export interface StridedCopy {
  src: GpuData;
  dst: GpuData;
  /** The iteration space. */
  dims: readonly number[];
  srcStrides: readonly number[];
  srcOffset?: number;
  dstStrides: readonly number[];
  dstOffset?: number;
}

export function stridedCopy(backend: WebGpuBackend, copy: StridedCopy): void {
  const size = sizeOf(copy.dims);
  if (size === 0) return;
  const plan = collapseDims(copy.dims, [copy.srcStrides, copy.dstStrides]);
  const [srcStrides, dstStrides] = plan.strides as [number[], number[]];
  const srcOffset = copy.srcOffset ?? 0;
  const dstOffset = copy.dstOffset ?? 0;
  // A contiguous run on both sides is a plain buffer copy.
  if (plan.dims.length === 1 && (size === 1 || (srcStrides[0] === 1 && dstStrides[0] === 1))) {
    backend.copyWords(copy.src, srcOffset, copy.dst, dstOffset, size);
    return;
  }
  const rank = plan.dims.length;
  const wg = backend.limits.workgroupSize;
  const layout = new UniformLayout([...planUniforms(rank, 2), ['srcOffset', 'u32'], ['dstOffset', 'u32']]);
  backend.run(
    {
      key: `StridedCopy|r${rank}|wg${wg}`,
      storage: [
        { name: 'src', type: 'u32', access: 'read' },
        { name: 'dst', type: 'u32', access: 'write' },
      ],
      uniforms: layout,
      workgroupSize: [wg, 1, 1],
      body: `  if (index >= u.size) { return; }
${offsetsWgsl(rank, 2)}
  dst[u.dstOffset + o1] = src[u.srcOffset + o0];`,
    },
    [copy.src, copy.dst],
    { size, dims: plan.dims, s0: srcStrides, s1: dstStrides, srcOffset, dstOffset },
    gridFor(Math.ceil(size / wg), backend.limits.maxWorkgroupsPerDimension),
  );
}

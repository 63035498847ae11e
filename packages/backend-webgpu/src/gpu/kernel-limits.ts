/** What the kernels may use on this device, derived once from its limits. */

export interface KernelLimits {
  /** Invocations per workgroup for 1-D kernels: 256 where allowed (SwiftShader's maximum), a power of two. */
  workgroupSize: number;
  /** Edge of the square thread block of the tiled matmul: 8 (4 on devices without 64-invocation workgroups). */
  matmulThreads: number;
  /** Workgroups per dispatch dimension; larger grids fold into a second dimension. */
  maxWorkgroupsPerDimension: number;
  /** Largest buffer a kernel can bind, in bytes: the largest tensor this device holds. */
  maxStorageBindingBytes: number;
  /** Largest buffer of any kind (staging buffers for reads). */
  maxBufferBytes: number;
  /** Uniform slots must start at multiples of this. */
  uniformAlignment: number;
}

function floorPow2(n: number): number {
  return 2 ** Math.floor(Math.log2(Math.max(1, n)));
}

export function kernelLimits(limits: GPUSupportedLimits): KernelLimits {
  const invocations = Math.min(limits.maxComputeInvocationsPerWorkgroup, limits.maxComputeWorkgroupSizeX);
  const workgroupSize = Math.min(256, floorPow2(invocations));
  // 8×8 invocations, each computing 4×4 of C, so 32×32 blocks (tfjs-webgpu's default shape too).
  // 16×16 ran no faster on SwiftShader and took it 3× longer (3 s) to compile.
  const square = Math.min(limits.maxComputeInvocationsPerWorkgroup, limits.maxComputeWorkgroupSizeX, limits.maxComputeWorkgroupSizeY);
  const matmulThreads = square >= 64 ? 8 : 4;
  return {
    workgroupSize,
    matmulThreads,
    maxWorkgroupsPerDimension: limits.maxComputeWorkgroupsPerDimension,
    maxStorageBindingBytes: Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize),
    maxBufferBytes: limits.maxBufferSize,
    uniformAlignment: limits.minUniformBufferOffsetAlignment,
  };
}

/**
 * WebGPU's flag values, from the spec. Spelled here rather than read from the GPUBufferUsage /
 * GPUMapMode globals because Node's `webgpu` package does not install those globals unless asked,
 * and this backend should not change globalThis.
 */
export const BufferUsage = {
  MAP_READ: 0x0001,
  COPY_SRC: 0x0004,
  COPY_DST: 0x0008,
  UNIFORM: 0x0040,
  STORAGE: 0x0080,
} as const;

export const MapMode = { READ: 0x0001 } as const;

export const ShaderStage = { COMPUTE: 0x4 } as const;

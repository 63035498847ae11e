import type { CastAttrs, DType, KernelFn, TensorInfo } from '@surrograd/core';
import { assertDType, sizeOf } from '@surrograd/core';
import type { WebGpuBackend } from '../backend.js';
import { F32_TO_I32_SATURATING } from '../wgsl/int-math.js';
import { elementwise, wordType } from './elementwise.js';

/** [from dtype][to dtype] → expression of v0. Same-dtype casts are buffer copies. */
const CONVERSIONS: Record<string, [string, string]> = {
  'float32>int32': ['f32_to_i32_sat(v0)', F32_TO_I32_SATURATING],
  // x != 0 on the bits: NaN is true, ±0 false, whatever the compiler assumes about NaN.
  'float32>bool': ['select(0u, 1u, (bitcast<u32>(v0) & 0x7fffffffu) != 0u)', ''],
  'int32>float32': ['f32(v0)', ''],
  'int32>bool': ['select(0u, 1u, v0 != 0)', ''],
  'bool>float32': ['f32(v0)', ''],
  'bool>int32': ['i32(v0)', ''],
};

/** [x] → x as `dtype` (always a new buffer). float→int32 truncates toward zero, saturating, NaN → 0. */
export const cast: KernelFn<WebGpuBackend, CastAttrs> = ({ inputs, attrs, backend }) => {
  const [x] = inputs as [TensorInfo];
  assertDType('Cast', attrs.dtype);
  const to: DType = attrs.dtype;
  const xd = backend.dataOf(x, 'Cast');
  if (x.dtype === to) {
    const out = backend.makeOutput(x.shape, to, 'Cast');
    backend.copyWords(xd, 0, out.data, 0, sizeOf(x.shape));
    return out.info;
  }
  const conversion = CONVERSIONS[`${x.dtype}>${to}`];
  if (!conversion) throw new TypeError(`Cast: webgpu cannot cast ${x.dtype} to ${to} (it stores float32, int32 and bool)`);
  return elementwise(backend, {
    key: `Cast:${x.dtype}>${to}`,
    operands: [{ data: xd, shape: x.shape, type: wordType(x.dtype) }],
    outShape: x.shape,
    outDType: to,
    outType: wordType(to),
    expr: conversion[0],
    helpers: conversion[1],
  });
};

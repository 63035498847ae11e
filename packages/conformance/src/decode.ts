/** Golden JSON tensors → typed arrays and surrograd tensors. */
import { type Tensor, tensor } from '@surrograd/core';
import type { GoldenNumber, GoldenTensor } from './goldens.js';

export type Values = Float32Array | Float64Array | Int32Array | Uint8Array;

export function goldenNumber(v: GoldenNumber | boolean): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  switch (v) {
    case 'NaN':
      return Number.NaN;
    case 'Infinity':
      return Number.POSITIVE_INFINITY;
    case '-Infinity':
      return Number.NEGATIVE_INFINITY;
    case '-0':
      return -0;
    default:
      throw new Error(`golden file: unexpected value ${JSON.stringify(v)}`);
  }
}

export function goldenValues(g: GoldenTensor): Values {
  const numbers = g.data.map(goldenNumber);
  switch (g.dtype) {
    case 'float32':
      return Float32Array.from(numbers);
    case 'int32':
      return Int32Array.from(numbers);
    case 'bool':
      return Uint8Array.from(numbers);
  }
}

/** A surrograd tensor holding the golden's exact values (float inputs optionally requiring grad). */
export function goldenTensor(g: GoldenTensor, requiresGrad = false): Tensor {
  return tensor(goldenValues(g), { shape: g.shape, dtype: g.dtype, requiresGrad });
}

export function isGoldenTensor(v: unknown): v is GoldenTensor {
  return typeof v === 'object' && v !== null && Array.isArray((v as GoldenTensor).shape) && 'data' in v;
}

export function expectedOf(g: GoldenTensor): { shape: number[]; dtype: string; values: Values } {
  return { shape: g.shape, dtype: g.dtype, values: goldenValues(g) };
}

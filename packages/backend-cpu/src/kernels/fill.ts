import type { FillAttrs, KernelFn } from '@surrograd/core';
import { assertDType, castNumber } from '@surrograd/core';
import type { CpuBackend } from '../cpu-backend.js';
import { allocFor } from './common.js';

/** [] → `shape` filled with `value` as `dtype`. */
export const fill: KernelFn<CpuBackend, FillAttrs> = ({ attrs, backend }) => {
  const { shape, value, dtype } = attrs;
  assertDType('Fill', dtype);
  const out = allocFor(dtype, shape);
  const stored = castNumber(value, dtype);
  if (stored !== 0 || Object.is(stored, -0)) out.fill(stored);
  return backend.makeOutput(out, shape, dtype);
};

import type { KernelFn, TensorInfo, TypedArray, UnaryAttrs, UnaryOp } from '@surrograd/core';
import { scalarMath } from '@surrograd/core';
import type { CpuBackend } from '../cpu-backend.js';
import { BLOCK } from './block.js';
import { allocFor, pick } from './common.js';

/** out[i] = op(x[i]) for i in [start, end). One loop per op: no per-element dispatch. */
type UnaryRun = (x: TypedArray, out: TypedArray, start: number, end: number) => void;

const { erf, roundHalfEven } = scalarMath;

const runs: Record<UnaryOp, UnaryRun> = {
  neg(x, out, i, end) {
    for (; i < end; i++) out[i] = -x[i];
  },
  exp(x, out, i, end) {
    for (; i < end; i++) out[i] = Math.exp(x[i]);
  },
  log(x, out, i, end) {
    for (; i < end; i++) out[i] = Math.log(x[i]);
  },
  sqrt(x, out, i, end) {
    for (; i < end; i++) out[i] = Math.sqrt(x[i]);
  },
  rsqrt(x, out, i, end) {
    for (; i < end; i++) out[i] = 1 / Math.sqrt(x[i]);
  },
  abs(x, out, i, end) {
    for (; i < end; i++) out[i] = Math.abs(x[i]);
  },
  // (v > 0) - (v < 0) is branch-free and gives 0 for ±0; only NaN takes the (predictable) branch.
  sign(x, out, i, end) {
    for (; i < end; i++) {
      const v = x[i];
      out[i] = Number.isNaN(v) ? v : +(v > 0) - +(v < 0);
    }
  },
  reciprocal(x, out, i, end) {
    for (; i < end; i++) out[i] = 1 / x[i];
  },
  square(x, out, i, end) {
    for (; i < end; i++) {
      const v = x[i];
      out[i] = v * v;
    }
  },
  sin(x, out, i, end) {
    for (; i < end; i++) out[i] = Math.sin(x[i]);
  },
  cos(x, out, i, end) {
    for (; i < end; i++) out[i] = Math.cos(x[i]);
  },
  floor(x, out, i, end) {
    for (; i < end; i++) out[i] = Math.floor(x[i]);
  },
  ceil(x, out, i, end) {
    for (; i < end; i++) out[i] = Math.ceil(x[i]);
  },
  round(x, out, i, end) {
    for (; i < end; i++) out[i] = roundHalfEven(x[i]);
  },
  erf(x, out, i, end) {
    for (; i < end; i++) out[i] = erf(x[i]);
  },
  log1p(x, out, i, end) {
    for (; i < end; i++) out[i] = Math.log1p(x[i]);
  },
  expm1(x, out, i, end) {
    for (; i < end; i++) out[i] = Math.expm1(x[i]);
  },
  logicalNot(x, out, i, end) {
    for (; i < end; i++) out[i] = +(x[i] === 0);
  },
};

/** [x] → op(x), dtype of x (logicalNot: bool). */
export const unary: KernelFn<CpuBackend, UnaryAttrs> = ({ inputs, attrs, backend }) => {
  const [x] = inputs as [TensorInfo];
  const run = pick('Unary', 'op', runs, attrs.op);
  const dtype = attrs.op === 'logicalNot' ? 'bool' : x.dtype;
  const xv = backend.valuesOf(x);
  const out = allocFor(dtype, x.shape);
  for (let start = 0; start < out.length; start += BLOCK) run(xv, out, start, Math.min(out.length, start + BLOCK));
  return backend.makeOutput(out, x.shape, dtype);
};

/** LifScan and LinearScan (core's FusedKernels): assembly/scan.ts's loops, a row per step. */
import type { KernelFn, LifScanAttrs, LinearScanAttrs, TensorInfo } from '@surrograd/core';
import { fmt, sizeOf } from '@surrograd/core';
import type { WasmBackend } from '../wasm-backend.js';

const RESET_MODES = { subtract: 0, zero: 1, none: 2 } as const;

/** An operand's length, checked: one value, one step's n, or (when allowed) all steps·n. */
function operandLength(kernel: string, name: string, t: TensorInfo, n: number, all: number): number {
  const len = sizeOf(t.shape);
  if (t.dtype !== 'float32') throw new TypeError(`${kernel}: ${name} must be float32, got ${t.dtype}`);
  if (len === 1 || len === n || len === all) return len;
  throw new RangeError(
    `${kernel}: ${name} ${fmt(t.shape)} has ${len} elements; expected 1, one step's ${n}${all > 0 ? ` or all ${all}` : ''}`,
  );
}

function series(kernel: string, x: TensorInfo): { steps: number; n: number } {
  if (x.dtype !== 'float32' || x.shape.length < 1)
    throw new TypeError(`${kernel}: expected a float32 [T, ...] tensor, got ${x.dtype} ${fmt(x.shape)}`);
  const steps = x.shape[0] as number;
  return { steps, n: sizeOf(x.shape.slice(1)) };
}

/** [current [T, ...N], beta, threshold, graded] → [membranes, spikes] [T, ...N]. */
export const lifScan: KernelFn<WasmBackend, LifScanAttrs> = ({ inputs, attrs, backend }) => {
  const [cur, beta, thr, graded] = inputs as [TensorInfo, TensorInfo, TensorInfo, TensorInfo];
  const { steps, n } = series('LifScan', cur);
  const betaLen = operandLength('LifScan', 'beta', beta, n, -1);
  const thrLen = operandLength('LifScan', 'threshold', thr, n, -1);
  const gradedLen = operandLength('LifScan', 'graded', graded, n, -1);
  const out = backend.output(cur.shape, 'float32', 'LifScan');
  const spikes = backend.output(cur.shape, 'float32', 'LifScan');
  if (out.dataId.bytes === 0) return [out, spikes];
  backend.kernels.lifScanF32(
    backend.ptr(cur, 'LifScan'),
    backend.ptr(beta, 'LifScan'),
    betaLen,
    backend.ptr(thr, 'LifScan'),
    thrLen,
    backend.ptr(graded, 'LifScan'),
    gradedLen,
    out.dataId.ptr,
    spikes.dataId.ptr,
    steps,
    n,
    RESET_MODES[attrs.reset],
    attrs.spikeAtZero ? 1 : 0,
  );
  return [out, spikes];
};

/** [x [T, ...N], a, addend?] → y with y_t = a_t·y_{t∓1} + (x_t + addend_t). */
export const linearScan: KernelFn<WasmBackend, LinearScanAttrs> = ({ inputs, attrs, backend }) => {
  const [x, a, addend] = inputs as [TensorInfo, TensorInfo, TensorInfo | undefined];
  const { steps, n } = series('LinearScan', x);
  const aLen = operandLength('LinearScan', 'a', a, n, steps * n);
  if (addend && (addend.dtype !== 'float32' || sizeOf(addend.shape) !== steps * n)) {
    throw new RangeError(`LinearScan: addend ${addend.dtype} ${fmt(addend.shape)} must be float32 of x's ${steps * n} elements`);
  }
  const out = backend.output(x.shape, 'float32', 'LinearScan');
  if (out.dataId.bytes === 0) return out;
  backend.kernels.linearScanF32(
    backend.ptr(x, 'LinearScan'),
    backend.ptr(a, 'LinearScan'),
    aLen,
    addend ? backend.ptr(addend, 'LinearScan') : 0,
    out.dataId.ptr,
    steps,
    n,
    attrs.reverse ? 1 : 0,
  );
  return out;
};

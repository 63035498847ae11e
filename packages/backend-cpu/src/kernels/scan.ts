/**
 * The spiking neuron's time loops (core's FusedKernels LifScan and LinearScan): one pass over
 * [T, N] values, each position's recurrence in a register. Float32 or float64, as the current.
 */
import type { KernelFn, LifScanAttrs, LinearScanAttrs, TensorInfo, TypedArray } from '@surrograd/core';
import { fmt, sizeOf } from '@surrograd/core';
import type { CpuBackend } from '../cpu-backend.js';

/** Reads an operand of one element, one step's N, or all T·N: value at step t, position i. */
function perStep(kernel: string, name: string, values: TypedArray, steps: number, n: number): (t: number, i: number) => number {
  if (values.length === 1) {
    const v = values[0] as number;
    return () => v;
  }
  if (values.length === n) return (_t, i) => values[i] as number;
  if (values.length === steps * n) return (t, i) => values[t * n + i] as number;
  throw new RangeError(`${kernel}: ${name} has ${values.length} elements; expected 1, one step's ${n} or all ${steps * n}`);
}

function floatOutput(kernel: string, x: TensorInfo): Float32Array | Float64Array {
  if (x.dtype !== 'float32' && x.dtype !== 'float64')
    throw new TypeError(`${kernel}: expected a float tensor, got ${x.dtype} ${fmt(x.shape)}`);
  if (x.shape.length < 1) throw new RangeError(`${kernel}: expected [T, ...], got a scalar`);
  const size = sizeOf(x.shape);
  return x.dtype === 'float64' ? new Float64Array(size) : new Float32Array(size);
}

/** [current [T, ...N], beta, threshold, graded] → [membranes, spikes] [T, ...N]. */
export const lifScan: KernelFn<CpuBackend, LifScanAttrs> = ({ inputs, attrs, backend }) => {
  const [cur, beta, thr, graded] = inputs as [TensorInfo, TensorInfo, TensorInfo, TensorInfo];
  const u = floatOutput('LifScan', cur);
  const s = floatOutput('LifScan', cur);
  const steps = cur.shape[0] as number;
  const n = sizeOf(cur.shape.slice(1));
  const x = backend.valuesOf(cur);
  const b = perStep('LifScan', 'beta', backend.valuesOf(beta), 1, n);
  const th = perStep('LifScan', 'threshold', backend.valuesOf(thr), 1, n);
  const g = perStep('LifScan', 'graded', backend.valuesOf(graded), 1, n);
  const atZero = attrs.spikeAtZero;
  const mode = attrs.reset;
  for (let i = 0; i < n; i++) {
    const bi = b(0, i);
    const ti = th(0, i);
    let prev = 0;
    for (let t = 0; t < steps; t++) {
      const shifted = prev - ti;
      const spiked = atZero ? shifted >= 0 : shifted > 0;
      const input = x[t * n + i] as number;
      let next: number;
      // The float32 rounding of each product, as the stepwise ops round it.
      if (mode === 'subtract') next = round(u, round(u, bi * prev) + input) - (spiked ? ti : 0);
      else if (mode === 'zero') next = round(u, bi * (spiked ? 0 : prev)) + input;
      else next = round(u, bi * prev) + input;
      u[t * n + i] = next;
      prev = u[t * n + i] as number;
      const out = round(u, prev - ti);
      s[t * n + i] = (atZero ? out >= 0 : out > 0) ? g(0, i) : 0;
    }
  }
  return [backend.makeOutput(u, cur.shape, cur.dtype), backend.makeOutput(s, cur.shape, cur.dtype)];
};

/** Rounds to the output's precision: float32 arithmetic, one operation at a time. */
function round(out: Float32Array | Float64Array, v: number): number {
  return out instanceof Float32Array ? Math.fround(v) : v;
}

/** [x [T, ...N], a, addend?] → y with y_t = a_t·y_{t∓1} + (x_t + addend_t). */
export const linearScan: KernelFn<CpuBackend, LinearScanAttrs> = ({ inputs, attrs, backend }) => {
  const [xi, ai, bi] = inputs as [TensorInfo, TensorInfo, TensorInfo | undefined];
  const y = floatOutput('LinearScan', xi);
  const steps = xi.shape[0] as number;
  const n = sizeOf(xi.shape.slice(1));
  const x = backend.valuesOf(xi);
  const a = perStep('LinearScan', 'a', backend.valuesOf(ai), steps, n);
  const b = bi ? backend.valuesOf(bi) : null;
  if (b && b.length !== x.length) throw new RangeError(`LinearScan: addend has ${b.length} elements, x ${x.length}`);
  for (let i = 0; i < n; i++) {
    let carry = 0;
    for (let k = 0; k < steps; k++) {
      const t = attrs.reverse ? steps - 1 - k : k;
      const xt = b ? round(y, (x[t * n + i] as number) + (b[t * n + i] as number)) : (x[t * n + i] as number);
      const v = k === 0 ? xt : round(y, round(y, a(t, i) * carry) + xt);
      y[t * n + i] = v;
      carry = y[t * n + i] as number;
    }
  }
  return backend.makeOutput(y, xi.shape, xi.dtype);
};

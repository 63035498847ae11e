/**
 * LifScan and LinearScan (core's FusedKernels): one invocation per position of a step, walking its
 * T values in a loop; neighbouring invocations touch neighbouring addresses at every step.
 */
import type { KernelFn, LifScanAttrs, LinearScanAttrs, TensorInfo } from '@surrograd/core';
import { fmt, sizeOf } from '@surrograd/core';
import type { WebGpuBackend } from '../backend.js';
import { gridFor } from '../wgsl/program.js';
import { UniformLayout } from '../wgsl/uniforms.js';

const RESET_MODES = { subtract: 0, zero: 1, none: 2 } as const;

function series(kernel: string, x: TensorInfo): { steps: number; n: number } {
  if (x.dtype !== 'float32' || x.shape.length < 1)
    throw new TypeError(`${kernel}: expected a float32 [T, ...] tensor, got ${x.dtype} ${fmt(x.shape)}`);
  return { steps: x.shape[0] as number, n: sizeOf(x.shape.slice(1)) };
}

function operandLength(kernel: string, name: string, t: TensorInfo, n: number, all: number): number {
  const len = sizeOf(t.shape);
  if (t.dtype !== 'float32') throw new TypeError(`${kernel}: ${name} must be float32, got ${t.dtype}`);
  if (len === 1 || len === n || (all >= 0 && len === all)) return len;
  throw new RangeError(
    `${kernel}: ${name} ${fmt(t.shape)} has ${len} elements; expected 1, one step's ${n}${all >= 0 ? ` or all ${all}` : ''}`,
  );
}

/**
 * WGSL reading operand `name` (length `lenField`) at step t, position i. Indices are clamped to the
 * operand's length: select evaluates both sides, and an index past a buffer is never read.
 */
const read = (name: string, lenField: string) =>
  `${name}[select(select(min(t * u.n + i, u.${lenField} - 1u), i, u.${lenField} == u.n), 0u, u.${lenField} == 1u)]`;
/** The same for an operand of one value or one per position (no step). */
const read0 = (name: string, lenField: string) => `${name}[select(i, 0u, u.${lenField} == 1u)]`;

const LIF_LAYOUT = new UniformLayout([
  ['steps', 'u32'],
  ['n', 'u32'],
  ['betaLen', 'u32'],
  ['thrLen', 'u32'],
  ['gradedLen', 'u32'],
  ['mode', 'u32'],
  ['atZero', 'u32'],
]);

/** [current [T, ...N], beta, threshold, graded] → [membranes, spikes] [T, ...N]. */
export const lifScan: KernelFn<WebGpuBackend, LifScanAttrs> = ({ inputs, attrs, backend }) => {
  const [cur, beta, thr, graded] = inputs as [TensorInfo, TensorInfo, TensorInfo, TensorInfo];
  const { steps, n } = series('LifScan', cur);
  const lens = {
    betaLen: operandLength('LifScan', 'beta', beta, n, -1),
    thrLen: operandLength('LifScan', 'threshold', thr, n, -1),
    gradedLen: operandLength('LifScan', 'graded', graded, n, -1),
  };
  const u = backend.makeOutput(cur.shape, 'float32', 'LifScan');
  const s = backend.makeOutput(cur.shape, 'float32', 'LifScan');
  if (steps * n === 0) return [u.info, s.info];
  const wg = backend.limits.workgroupSize;
  const program = {
    key: 'LifScan',
    storage: [
      { name: 'cur', type: 'f32', access: 'read' },
      { name: 'beta', type: 'f32', access: 'read' },
      { name: 'thr', type: 'f32', access: 'read' },
      { name: 'graded', type: 'f32', access: 'read' },
      { name: 'mem', type: 'f32', access: 'write' },
      { name: 'spk', type: 'f32', access: 'write' },
    ] as const,
    uniforms: LIF_LAYOUT,
    workgroupSize: [wg, 1, 1] as const,
    body: `
  let i = index;
  if (i >= u.n) { return; }
  let b = ${read0('beta', 'betaLen')};
  let th = ${read0('thr', 'thrLen')};
  let g = ${read0('graded', 'gradedLen')};
  var prev = 0.0;
  for (var t = 0u; t < u.steps; t++) {
    let shifted = prev - th;
    let spiked = select(shifted > 0.0, shifted >= 0.0, u.atZero == 1u);
    let x = cur[t * u.n + i];
    var next: f32;
    if (u.mode == 0u) { next = b * prev + x - select(0.0, th, spiked); }
    else if (u.mode == 1u) { next = b * select(prev, 0.0, spiked) + x; }
    else { next = b * prev + x; }
    mem[t * u.n + i] = next;
    let over = next - th;
    spk[t * u.n + i] = select(0.0, g, select(over > 0.0, over >= 0.0, u.atZero == 1u));
    prev = next;
  }`,
  };
  backend.run(
    program,
    [
      backend.dataOf(cur, 'LifScan'),
      backend.dataOf(beta, 'LifScan'),
      backend.dataOf(thr, 'LifScan'),
      backend.dataOf(graded, 'LifScan'),
      u.data,
      s.data,
    ],
    { steps, n, ...lens, mode: RESET_MODES[attrs.reset], atZero: attrs.spikeAtZero ? 1 : 0 },
    gridFor(Math.ceil(n / wg), backend.limits.maxWorkgroupsPerDimension),
  );
  return [u.info, s.info];
};

const SCAN_LAYOUT = new UniformLayout([
  ['steps', 'u32'],
  ['n', 'u32'],
  ['aLen', 'u32'],
  ['reverse', 'u32'],
]);

/** [x [T, ...N], a, addend?] → y with y_t = a_t·y_{t∓1} + (x_t + addend_t). */
export const linearScan: KernelFn<WebGpuBackend, LinearScanAttrs> = ({ inputs, attrs, backend }) => {
  const [x, a, addend] = inputs as [TensorInfo, TensorInfo, TensorInfo | undefined];
  const { steps, n } = series('LinearScan', x);
  const aLen = operandLength('LinearScan', 'a', a, n, steps * n);
  if (addend && (addend.dtype !== 'float32' || sizeOf(addend.shape) !== steps * n)) {
    throw new RangeError(`LinearScan: addend ${addend.dtype} ${fmt(addend.shape)} must be float32 of x's ${steps * n} elements`);
  }
  const y = backend.makeOutput(x.shape, 'float32', 'LinearScan');
  if (steps * n === 0) return y.info;
  const wg = backend.limits.workgroupSize;
  const xAt = addend ? '(x[t * u.n + i] + addend[t * u.n + i])' : 'x[t * u.n + i]';
  const program = {
    key: addend ? 'LinearScan+addend' : 'LinearScan',
    storage: [
      { name: 'x', type: 'f32', access: 'read' },
      { name: 'a', type: 'f32', access: 'read' },
      ...(addend ? [{ name: 'addend', type: 'f32', access: 'read' } as const] : []),
      { name: 'y', type: 'f32', access: 'write' },
    ] as const,
    uniforms: SCAN_LAYOUT,
    workgroupSize: [wg, 1, 1] as const,
    body: `
  let i = index;
  if (i >= u.n) { return; }
  var carry = 0.0;
  for (var k = 0u; k < u.steps; k++) {
    let t = select(k, u.steps - 1u - k, u.reverse == 1u);
    let at = ${read('a', 'aLen')};
    let xt = ${xAt};
    let v = select(at * carry + xt, xt, k == 0u);
    y[t * u.n + i] = v;
    carry = v;
  }`,
  };
  backend.run(
    program,
    [backend.dataOf(x, 'LinearScan'), backend.dataOf(a, 'LinearScan'), ...(addend ? [backend.dataOf(addend, 'LinearScan')] : []), y.data],
    { steps, n, aLen, reverse: attrs.reverse ? 1 : 0 },
    gridFor(Math.ceil(n / wg), backend.limits.maxWorkgroupsPerDimension),
  );
  return y.info;
};

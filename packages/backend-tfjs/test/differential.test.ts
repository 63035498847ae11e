/**
 * Every kernel on the edge values where tfjs ops and the reference semantics part ways, run on the
 * reference cpu backend and on 'tfjs' (over tfjs-cpu and tfjs-wasm) and compared. Float results
 * within float32 rounding (NaN equals NaN; a zero's sign is ignored, as the contract leaves it),
 * int and bool exactly.
 */
import '@surrograd/backend-cpu';
import { type DType, runKernel, setBackend, type Tensor, tensor } from '@surrograd/core';
import { describe, expect, it } from 'vitest';
import '../src/index.js';
import { expectClose } from './support/close.js';
import { TF_BACKENDS, useTfBackend } from './support/tfjs.js';

type Input = { data: number[]; shape?: number[]; dtype?: DType };
interface Case {
  name: string;
  kernel: string;
  inputs: Input[];
  attrs: Record<string, unknown>;
}

const NaN_ = Number.NaN;
const Inf = Number.POSITIVE_INFINITY;
const FLOATS = [NaN_, Inf, -Inf, 0, -0, 1e-30, -1e-30, 1e-8, -1e-7, 0.5, -0.5, 1.5, 2.5, -2.5, 3e9, -3e9, 1e20, -1];
const INTS = [0, 1, -1, 7, -7, 2147483647, -2147483648, 70000, -3, 2];
const CAST_EDGES = [NaN_, Inf, -Inf, 2.7, -2.7, 2147483648, -2147483648, 2147483520, -2147483904, 3e9, -3e9, 1e20, 4294967296, 0.5, -0.99];

const f = (data: number[], shape?: number[]): Input => ({ data, shape });
const i32 = (data: number[], shape?: number[]): Input => ({ data, shape, dtype: 'int32' });
const bool = (data: number[], shape?: number[]): Input => ({ data, shape, dtype: 'bool' });
const alternating = (n: number) => Array.from({ length: n }, (_, k) => k % 2);

const cases: Case[] = [
  { name: 'Cast float→int32', kernel: 'Cast', inputs: [f(CAST_EDGES)], attrs: { dtype: 'int32' } },
  { name: 'Cast float→bool', kernel: 'Cast', inputs: [f(FLOATS)], attrs: { dtype: 'bool' } },
  { name: 'Cast int32→float', kernel: 'Cast', inputs: [i32(INTS)], attrs: { dtype: 'float32' } },
  { name: 'Cast bool→int32', kernel: 'Cast', inputs: [bool([0, 1, 1, 0])], attrs: { dtype: 'int32' } },
  ...['neg', 'exp', 'log', 'sqrt', 'rsqrt', 'abs', 'sign', 'reciprocal', 'square', 'floor', 'ceil', 'round', 'log1p', 'expm1', 'erf'].map(
    (op): Case => ({ name: `Unary ${op}`, kernel: 'Unary', inputs: [f(FLOATS)], attrs: { op } }),
  ),
  ...['neg', 'abs', 'sign', 'floor', 'ceil', 'round'].map(
    (op): Case => ({ name: `Unary ${op} int32`, kernel: 'Unary', inputs: [i32(INTS)], attrs: { op } }),
  ),
  // Squares past 2⁵³ are left out: the reference rounds them in float64 before wrapping, tfjs-wasm wraps exactly.
  { name: 'Unary square int32 wraps', kernel: 'Unary', inputs: [i32([70000, -46341, 3, -2])], attrs: { op: 'square' } },
  { name: 'Unary logicalNot', kernel: 'Unary', inputs: [bool([0, 1, 1, 0])], attrs: { op: 'logicalNot' } },
  ...['maximum', 'minimum', 'pow', 'div'].map(
    (op): Case => ({
      name: `Binary ${op} with NaN either side`,
      kernel: 'Binary',
      inputs: [f([NaN_, 1, 0, -0, 2, NaN_, -Inf]), f([1, NaN_, -0, 0, 0.5, NaN_, 3])],
      attrs: { op },
    }),
  ),
  {
    name: 'Binary div int32 truncates, x/0 = 0, -2³¹/-1 wraps',
    kernel: 'Binary',
    inputs: [i32([7, -7, 7, -7, 5, 0, -2147483648, 2147483647, -2147483647, 9]), i32([2, 2, -2, -2, 0, 0, -1, 3, 10, -1])],
    attrs: { op: 'div' },
  },
  { name: 'Binary add/mul int32 wrap', kernel: 'Binary', inputs: [i32([2147483647, 65536]), i32([1, 65536])], attrs: { op: 'add' } },
  { name: 'Binary mul int32 wrap', kernel: 'Binary', inputs: [i32([2147483647, 65536, -3]), i32([2, 65536, 5])], attrs: { op: 'mul' } },
  { name: 'Binary maximum broadcast', kernel: 'Binary', inputs: [f([1, NaN_, 3], [3, 1]), f([2, 0], [1, 2])], attrs: { op: 'maximum' } },
  ...['max', 'min'].flatMap((op) =>
    [[0], [1], [0, 1]].map(
      (axes): Case => ({
        name: `Reduce ${op} with NaN, axes ${axes}`,
        kernel: 'Reduce',
        inputs: [f([1, NaN_, 3, 4, 5, 6, NaN_, -1, 0], [3, 3])],
        attrs: { op, axes, keepDims: false },
      }),
    ),
  ),
  {
    name: 'Reduce sum bool (any)',
    kernel: 'Reduce',
    inputs: [bool([0, 1, 0, 0, 0, 0], [2, 3])],
    attrs: { op: 'sum', axes: [1], keepDims: true },
  },
  {
    name: 'Reduce prod bool (all)',
    kernel: 'Reduce',
    inputs: [bool([1, 1, 0, 1, 1, 1], [2, 3])],
    attrs: { op: 'prod', axes: [1], keepDims: false },
  },
  { name: 'Reduce prod int32', kernel: 'Reduce', inputs: [i32([3, -4, 5, 2], [2, 2])], attrs: { op: 'prod', axes: [0], keepDims: false } },
  { name: 'Reduce sum over an empty axis', kernel: 'Reduce', inputs: [f([], [0, 3])], attrs: { op: 'sum', axes: [0], keepDims: false } },
  ...['argmax', 'argmin'].flatMap((op) =>
    [0, 1].map(
      (axis): Case => ({
        name: `ArgReduce ${op} NaN first, axis ${axis}`,
        kernel: 'ArgReduce',
        inputs: [f([1, NaN_, 3, 3, 5, NaN_, 5, -1, -1, 2, 0, 7], [3, 4])],
        attrs: { op, axis, keepDims: axis === 1 },
      }),
    ),
  ),
  {
    name: 'ArgReduce argmax bool',
    kernel: 'ArgReduce',
    inputs: [bool([0, 0, 1, 1, 0, 0], [2, 3])],
    attrs: { op: 'argmax', axis: 1, keepDims: false },
  },
  {
    name: 'Gather axis 1, repeated indices',
    kernel: 'Gather',
    inputs: [f([1, 2, 3, 4, 5, 6], [2, 3]), i32([2, 0, 2], [3])],
    attrs: { axis: 1 },
  },
  {
    name: 'ScatterAdd axis 1, repeated indices',
    kernel: 'ScatterAdd',
    inputs: [f([1, 2, 3, 4, 5, 6], [2, 3]), i32([2, 0, 2], [3])],
    attrs: { axis: 1, shape: [2, 4] },
  },
  {
    name: 'ScatterAdd int32 axis 0',
    kernel: 'ScatterAdd',
    inputs: [i32([1, 2, 3, 4], [2, 2]), i32([1, 1], [2])],
    attrs: { axis: 0, shape: [3, 2] },
  },
  { name: 'Pad bool', kernel: 'Pad', inputs: [bool([1, 0, 1], [3])], attrs: { paddings: [[1, 2]], value: 1 } },
  { name: 'Pad int32 with a fractional value', kernel: 'Pad', inputs: [i32([1, 2], [2])], attrs: { paddings: [[2, 1]], value: -2.7 } },
  { name: 'Fill int32 with a fractional value', kernel: 'Fill', inputs: [], attrs: { shape: [2, 2], value: 3.9, dtype: 'int32' } },
  { name: 'Fill bool', kernel: 'Fill', inputs: [], attrs: { shape: [3], value: 0.5, dtype: 'bool' } },
  {
    name: 'MatMul batch [2,1] against [3]',
    kernel: 'MatMul',
    inputs: [f([...Array(12).keys()], [2, 1, 2, 3]), f([...Array(18).keys()], [3, 3, 2])],
    attrs: {},
  },
  {
    name: 'MatMul 0·Inf is NaN',
    kernel: 'MatMul',
    inputs: [f([0, 1], [1, 2]), f([Inf, 1], [2, 1])],
    attrs: { transposeA: false, transposeB: false },
  },
  { name: 'Where broadcast', kernel: 'Where', inputs: [bool([1, 0], [2, 1]), f([1, 2, 3], [3]), f([NaN_], [])], attrs: {} },
  // tfjs-wasm's Select copies 4-byte elements: wrong on bool, and out of bounds from ~33 elements.
  { name: 'Where bool branches', kernel: 'Where', inputs: [bool([1, 0, 0]), bool([1, 1, 1]), bool([0, 0, 0])], attrs: {} },
  {
    name: 'Where bool branches, 40 elements, broadcast',
    kernel: 'Where',
    inputs: [bool(alternating(40), [40]), bool([1], []), bool(alternating(40).reverse(), [40])],
    attrs: {},
  },
  {
    name: 'Where int32 beyond 2²⁴',
    kernel: 'Where',
    inputs: [bool([1, 0]), i32([2147483647, 16777217]), i32([3, -2147483647])],
    attrs: {},
  },
  // tf.slice refuses scalars.
  { name: 'Slice a scalar', kernel: 'Slice', inputs: [f([5], [])], attrs: { begin: [], size: [] } },
  { name: 'Pad a scalar', kernel: 'Pad', inputs: [i32([5], [])], attrs: { paddings: [], value: 1 } },
  // tfjs-wasm's Transpose divides by zero on these empty shapes.
  ...(['float32', 'int32'] as const).map(
    (dtype): Case => ({
      name: `Transpose empty ${dtype} [0, 0, 5]`,
      kernel: 'Transpose',
      inputs: [{ data: [], shape: [0, 0, 5], dtype }],
      attrs: { perm: [0, 2, 1] },
    }),
  ),
  { name: 'Transpose empty bool [0, 2, 3]', kernel: 'Transpose', inputs: [bool([], [0, 2, 3])], attrs: { perm: [0, 2, 1] } },
  // tfjs-wasm pads through a float32 value, and caches its pad operator by that value (NaN matches any).
  ...[2147483647, -2147483648, 16777217].map(
    (value): Case => ({
      name: `Pad int32 with ${value}`,
      kernel: 'Pad',
      inputs: [i32([1, 2, 3, 4], [2, 2])],
      attrs: {
        paddings: [
          [0, 1],
          [1, 0],
        ],
        value,
      },
    }),
  ),
  ...[0, NaN_, 2.5, -Inf].map(
    (value): Case => ({
      name: `Pad float32 with ${value}, after other values`,
      kernel: 'Pad',
      inputs: [f([1, 2], [2])],
      attrs: { paddings: [[1, 1]], value },
    }),
  ),
];

async function runOn(backend: string, c: Case): Promise<{ values: number[]; shape: number[]; dtype: DType }[]> {
  await setBackend(backend);
  const inputs = c.inputs.map((i) => tensor(i.data, { shape: i.shape ?? [i.data.length], dtype: i.dtype ?? 'float32' }));
  const out = runKernel<Tensor | Tensor[]>(c.kernel, inputs, c.attrs);
  const outs = Array.isArray(out) ? out : [out];
  const read = await Promise.all(outs.map(async (t) => ({ values: Array.from(await t.data()), shape: t.shape, dtype: t.dtype })));
  for (const t of [...inputs, ...outs]) t.dispose();
  return read;
}

describe.each(TF_BACKENDS)('kernels on tfjs-backend-%s match the reference cpu backend', (backend) => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_, c) => {
    await useTfBackend(backend);
    const want = await runOn('cpu', c);
    const got = await runOn('tfjs', c);
    expect(got.map((o) => [o.shape, o.dtype])).toEqual(want.map((o) => [o.shape, o.dtype]));
    for (let k = 0; k < want.length; k++) {
      const [g, w] = [got[k]!, want[k]!];
      if (w.dtype === 'float32') expectClose(c.name, g.values, w.values, 1e-5, 1e-7);
      else expect(g.values, c.name).toEqual(w.values);
    }
  });
});

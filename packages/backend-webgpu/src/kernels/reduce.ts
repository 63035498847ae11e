/**
 * Reduce and ArgReduce over x seen as [outer, n, inner], reducing n: in place when the reduced axes
 * are adjacent (the usual case: last axes, first axes, one axis), else after moving them last.
 */
import type { ArgReduceAttrs, ArgReduceOp, KernelFn, ReduceAttrs, ReduceOp, Shape, TensorInfo } from '@surrograd/core';
import { fmt, normalizeAxes, normalizeAxis, reducedShape, sizeOf, stridesOf } from '@surrograd/core';
import type { GpuData, WebGpuBackend } from '../backend.js';
import { mathHelpers } from '../wgsl/math.js';
import { gridFor, type WordType } from '../wgsl/program.js';
import { UniformLayout } from '../wgsl/uniforms.js';
import { pick } from './common.js';
import { wordType } from './elementwise.js';
import { fillWords, wordOf } from './fill.js';
import { stridedCopy } from './strided-copy.js';

/** Reductions this long are folded by one invocation per output, in one pass. */
const SHORT_ROW = 64;
/** Most strands one output is split into in one pass. */
const MAX_LANES = 1024;

interface Combiner {
  /** WGSL combining `a` and `b`. */
  combine: string;
  /** WGSL of the identity. */
  identity: string;
  /** The identity as a number (to fill empty reductions). */
  value: number;
}

/** [op][word type]; bool (u32 0/1): sum is any (max), prod is all (min), as the cpu backend reads them. */
const COMBINERS: Record<ReduceOp, Record<WordType, Combiner>> = {
  sum: {
    f32: { combine: 'a + b', identity: '0.0', value: 0 },
    i32: { combine: 'a + b', identity: '0', value: 0 },
    u32: { combine: 'max(a, b)', identity: '0u', value: 0 },
  },
  prod: {
    f32: { combine: 'a * b', identity: '1.0', value: 1 },
    i32: { combine: 'a * b', identity: '1', value: 1 },
    u32: { combine: 'min(a, b)', identity: '1u', value: 1 },
  },
  max: {
    f32: { combine: 'f_max(a, b)', identity: 'f32_bits(0xff800000u)', value: Number.NEGATIVE_INFINITY },
    i32: { combine: 'max(a, b)', identity: 'bitcast<i32>(0x80000000u)', value: -2147483648 },
    u32: { combine: 'max(a, b)', identity: '0u', value: 0 },
  },
  min: {
    f32: { combine: 'f_min(a, b)', identity: 'f32_bits(0x7f800000u)', value: Number.POSITIVE_INFINITY },
    i32: { combine: 'min(a, b)', identity: 'bitcast<i32>(0x7fffffffu)', value: 2147483647 },
    u32: { combine: 'min(a, b)', identity: '1u', value: 1 },
  },
};

function combineFn(op: ReduceOp, type: WordType): string {
  const c = COMBINERS[op][type];
  return `${type === 'f32' ? mathHelpers(['compare']) : ''}
fn combine(a: ${type}, b: ${type}) -> ${type} { return ${c.combine}; }`;
}

/** x seen as [outer, n, inner] with the reduced elements along n. */
interface Slab {
  data: GpuData;
  outer: number;
  n: number;
  inner: number;
  /** A temporary copy, released by the caller. */
  temp: boolean;
}

/**
 * `x` as a slab: in place when its reduced axes are one contiguous group (all trailing, all leading
 * or one middle run, after dropping size-1 dims); otherwise the reduced axes are first moved last.
 */
function slabOf(backend: WebGpuBackend, x: GpuData, shape: Shape, axes: readonly number[]): Slab {
  const dims = shape.map((_, d) => d).filter((d) => (shape[d] as number) !== 1);
  const reduced = dims.filter((d) => axes.includes(d));
  const n = reduced.reduce((p, d) => p * (shape[d] as number), 1);
  const first = dims.indexOf(reduced[0] as number);
  const contiguous = reduced.length === 0 || reduced.every((d, i) => dims[first + i] === d);
  if (contiguous) {
    const product = (ds: number[]) => ds.reduce((p, d) => p * (shape[d] as number), 1);
    if (reduced.length === 0) return { data: x, outer: product(dims), n: 1, inner: 1, temp: false };
    return { data: x, outer: product(dims.slice(0, first)), n, inner: product(dims.slice(first + reduced.length)), temp: false };
  }
  const kept = shape.map((_, d) => d).filter((d) => !axes.includes(d));
  const perm = [...kept, ...axes];
  const strides = stridesOf(shape);
  const permuted = perm.map((d) => shape[d] as number);
  const data = backend.makeTemp(sizeOf(shape), 'Reduce');
  stridedCopy(backend, {
    src: x,
    dst: data,
    dims: permuted,
    srcStrides: perm.map((d) => strides[d] as number),
    dstStrides: stridesOf(permuted),
  });
  return { data, outer: sizeOf(shape) / n, n, inner: 1, temp: true };
}

/** Invocations a pass aims for: enough to fill a GPU, few enough that splitting isn't wasted. */
const TARGET_INVOCATIONS = 1 << 16;
/** The most terms one invocation folds in a pass (bounds float32 summation error). */
const MAX_TERMS = 4096;

/**
 * dst[o, i] = op over r of src[o, r, i]. When the outputs alone don't give enough parallelism, r is
 * split into `lanes` interleaved strands (lane l folds r = l, l + lanes, …), giving [outer, lanes,
 * inner] partials that the next pass folds the same way. No workgroup memory or barriers: on
 * SwiftShader a barrier tree per row ran 30× slower than this.
 */
function reduceSlab(backend: WebGpuBackend, op: ReduceOp, type: WordType, slab: Omit<Slab, 'temp'>, dst: GpuData): void {
  const { outer, n, inner } = slab;
  const outputs = outer * inner;
  const wanted = Math.ceil(n / SHORT_ROW);
  const lanes =
    n <= SHORT_ROW
      ? 1
      : Math.min(MAX_LANES, Math.max(Math.ceil(n / MAX_TERMS), Math.min(wanted, Math.floor(TARGET_INVOCATIONS / outputs))));
  const partial = lanes <= 1 ? dst : backend.makeTemp(outputs * lanes, 'Reduce');
  const size = outputs * Math.max(1, lanes);
  const wg = backend.limits.workgroupSize;
  backend.run(
    {
      key: `Reduce:${op}:${type}|wg${wg}`,
      storage: [
        { name: 'src', type, access: 'read' },
        { name: 'dst', type, access: 'write' },
      ],
      uniforms: new UniformLayout([
        ['size', 'u32'],
        ['n', 'u32'],
        ['inner', 'u32'],
        ['lanes', 'u32'],
      ]),
      workgroupSize: [wg, 1, 1],
      helpers: combineFn(op, type),
      body: `  if (index >= u.size) { return; }
  let i = index % u.inner;
  let lane = (index / u.inner) % u.lanes;
  let o = index / (u.inner * u.lanes);
  let base = o * u.n * u.inner + i;
  var acc = ${COMBINERS[op][type].identity};
  for (var r = lane; r < u.n; r += u.lanes) { acc = combine(acc, src[base + r * u.inner]); }
  dst[index] = acc;`,
    },
    [slab.data, partial],
    { size, n, inner, lanes: Math.max(1, lanes) },
    gridFor(Math.ceil(size / wg), backend.limits.maxWorkgroupsPerDimension),
  );
  if (lanes > 1) {
    reduceSlab(backend, op, type, { data: partial, outer, n: lanes, inner }, dst);
    backend.releaseTemp(partial);
  }
}

/** [x] → op over `axes` (empty: a copy), keepDims or not, dtype of x. */
export const reduce: KernelFn<WebGpuBackend, ReduceAttrs> = ({ inputs, attrs, backend }) => {
  const [x] = inputs as [TensorInfo];
  pick('Reduce', 'op', COMBINERS, attrs.op);
  const axes = normalizeAxes('Reduce', attrs.axes, x.shape.length);
  const xd = backend.dataOf(x, 'Reduce');
  if (axes.length === 0) {
    const out = backend.makeOutput(x.shape, x.dtype, 'Reduce');
    backend.copyWords(xd, 0, out.data, 0, sizeOf(x.shape));
    return out.info;
  }
  const outShape = reducedShape(x.shape, axes, attrs.keepDims);
  const rows = sizeOf(outShape);
  const n = axes.reduce((p, a) => p * (x.shape[a] as number), 1);
  const type = wordType(x.dtype);
  const combiner = COMBINERS[attrs.op][type];
  // As the cpu backend: max/min of nothing is an error whatever the dtype, sum and prod are their identity.
  if (n === 0 && rows > 0 && (attrs.op === 'max' || attrs.op === 'min')) {
    throw new RangeError(`Reduce: ${attrs.op} of an empty set: x ${fmt(x.shape)} has no elements along axes [${axes.join(', ')}]`);
  }
  const out = backend.makeOutput(outShape, x.dtype, 'Reduce');
  if (rows === 0) return out.info;
  if (n === 0) {
    fillWords(backend, out.data, outShape, wordOf(combiner.value, x.dtype));
    return out.info;
  }
  const slab = slabOf(backend, xd, x.shape, axes);
  reduceSlab(backend, attrs.op, type, slab, out.data);
  if (slab.temp) backend.releaseTemp(slab.data);
  return out.info;
};

const ARG_BETTER: Record<ArgReduceOp, Record<WordType, string>> = {
  argmax: { f32: 'f_gt(v, best) || (is_nan(v) && !is_nan(best))', i32: 'v > best', u32: 'v > best' },
  argmin: { f32: 'f_lt(v, best) || (is_nan(v) && !is_nan(best))', i32: 'v < best', u32: 'v < best' },
};

/** [x] → int32 index of the first max/min along `axis`; NaN beats every number (first NaN wins). */
export const argReduce: KernelFn<WebGpuBackend, ArgReduceAttrs> = ({ inputs, attrs, backend }) => {
  const [x] = inputs as [TensorInfo];
  const better = pick('ArgReduce', 'op', ARG_BETTER, attrs.op);
  const rank = x.shape.length;
  if (rank === 0) {
    normalizeAxis('ArgReduce', attrs.axis, 0);
    const out = backend.makeOutput([], 'int32', 'ArgReduce');
    fillWords(backend, out.data, [], 0);
    return out.info;
  }
  const axis = normalizeAxis('ArgReduce', attrs.axis, rank);
  const n = x.shape[axis] as number;
  const outShape = reducedShape(x.shape, [axis], attrs.keepDims);
  const rows = sizeOf(outShape);
  if (rows > 0 && n === 0) {
    throw new RangeError(`ArgReduce: ${attrs.op} of an empty axis: x ${fmt(x.shape)} has size 0 along axis ${axis}`);
  }
  const out = backend.makeOutput(outShape, 'int32', 'ArgReduce');
  if (rows === 0) return out.info;
  const type = wordType(x.dtype);
  const inner = sizeOf(x.shape.slice(axis + 1));
  const wg = backend.limits.workgroupSize;
  backend.run(
    {
      key: `ArgReduce:${attrs.op}:${type}|wg${wg}`,
      storage: [
        { name: 'src', type, access: 'read' },
        { name: 'dst', type: 'i32', access: 'write' },
      ],
      uniforms: new UniformLayout([
        ['rows', 'u32'],
        ['n', 'u32'],
        ['inner', 'u32'],
      ]),
      workgroupSize: [wg, 1, 1],
      helpers: type === 'f32' ? mathHelpers(['compare']) : '',
      body: `  if (index >= u.rows) { return; }
  let base = (index / u.inner) * u.n * u.inner + index % u.inner;
  var best = src[base];
  var at = 0u;
  for (var k = 1u; k < u.n; k++) {
    let v = src[base + k * u.inner];
    if (${better[type]}) { best = v; at = k; }
  }
  dst[index] = i32(at);`,
    },
    [backend.dataOf(x, 'ArgReduce'), out.data],
    { rows, n, inner },
    gridFor(Math.ceil(rows / wg), backend.limits.maxWorkgroupsPerDimension),
  );
  return out.info;
};

/** Making tensors: from nested or flat arrays, and filled, ranged or seeded-random ones. */
import { allocArray, assertDType, type DType, dtypeOfArray, type TypedArray } from '../dtype.js';
import { Generator, globalGenerator } from '../random.js';
import { currentBackend, onBackend } from '../registry.js';
import { assertShape, assertSize, fmt, type Shape, show, sizeOf } from '../shape.js';
import { type NestedArray, Tensor } from '../tensor.js';
import { runKernel } from './dispatch.js';

/** Options for {@link tensor}. */
export interface TensorOptions {
  /** Shape of the result; needed to shape flat data, checked against nested data's size. */
  shape?: Shape;
  /** Element type; by default float32, or bool for boolean data, or the typed array's own kind. */
  dtype?: DType;
  /** Make the result a leaf that accumulates `.grad` (float dtypes only). */
  requiresGrad?: boolean;
}

/** What {@link tensor} accepts: a number or nested arrays (shape inferred), or flat typed/plain arrays (1-D unless `shape` is given). */
export type TensorData = NestedArray | TypedArray | readonly number[] | readonly boolean[];

/**
 * A tensor from a number, nested arrays, or flat data (typed or plain array) with `shape`.
 * float32 unless the data says otherwise (a typed array's kind, booleans) or `dtype` is given.
 */
export function tensor(data: TensorData, options: TensorOptions = {}): Tensor {
  const { flat, shape: inferred, dtype: inferredDType } = flatten(data);
  const dtype = options.dtype ?? inferredDType;
  assertDType('tensor', dtype);
  let shape: Shape = inferred;
  if (options.shape !== undefined) {
    assertShape('tensor', options.shape);
    if (sizeOf(options.shape) !== flat.length) {
      throw new Error(`tensor: data has ${flat.length} values but shape ${fmt(options.shape)} needs ${sizeOf(options.shape)}`);
    }
    shape = options.shape;
  }
  const values = toDType('tensor', flat, dtype);
  const t = fromValues(values, shape, dtype, 'tensor');
  if (options.requiresGrad) requireGrad(t);
  return t;
}

/** The requiresGrad setter rejects non-float dtypes; the buffer just written must not outlive that error. */
function requireGrad(t: Tensor): void {
  try {
    t.requiresGrad = true;
  } catch (err) {
    t.dispose();
    throw err;
  }
}

/** @internal writes a typed array (not copied by callers afterwards) to the current backend. */
export function fromValues(values: TypedArray, shape: Shape, dtype: DType, op: string): Tensor {
  const backend = currentBackend();
  if (!backend.dtypes.includes(dtype)) {
    throw new TypeError(`${op}: backend '${backend.name}' does not support ${dtype} (it supports ${backend.dtypes.join(', ')})`);
  }
  return Tensor.fromInfo({ dataId: backend.write(values, shape, dtype), shape, dtype }, backend);
}

function toDType(op: string, flat: ArrayLike<number>, dtype: DType): TypedArray {
  if (dtypeOfArray(flat as TypedArray) === dtype && ArrayBuffer.isView(flat)) return flat as TypedArray;
  const out = allocArray(dtype, flat.length);
  if (dtype === 'bool') for (let i = 0; i < flat.length; i++) out[i] = (flat[i] as number) !== 0 ? 1 : 0;
  else {
    if (dtype === 'int32') for (let i = 0; i < flat.length; i++) assertInt32(op, flat[i] as number, i);
    out.set(flat as ArrayLike<number>);
  }
  return out;
}

/** The smallest int32, -2³¹. */
export const INT32_MIN = -(2 ** 31);
/** The largest int32, 2³¹ - 1. */
export const INT32_MAX = 2 ** 31 - 1;

/**
 * Throws a RangeError naming `op` unless `v` converts to int32 without overflow: finite and in
 * range after truncation toward zero (fractions truncate, as PyTorch's). Never a silent wrap.
 */
export function assertInt32(op: string, v: number, index?: number): void {
  if (typeof v === 'number' && Math.trunc(v) >= INT32_MIN && Math.trunc(v) <= INT32_MAX) return;
  const where = index === undefined ? '' : ` at index ${index}`;
  throw new RangeError(
    `${op}: value ${show(v)}${where} cannot be converted to int32 without overflow (int32 holds ${INT32_MIN} to ${INT32_MAX}); use float32 for it`,
  );
}

/** Deeper nested arrays than this are surely a mistake (PyTorch allows 64 dims too); walking them would overflow the stack. */
const MAX_RANK = 64;

function flatten(data: TensorData): { flat: ArrayLike<number>; shape: number[]; dtype: DType } {
  if (ArrayBuffer.isView(data)) {
    if (!(data instanceof Float32Array || data instanceof Float64Array || data instanceof Int32Array || data instanceof Uint8Array)) {
      throw new TypeError('tensor: typed data must be a Float32Array, Float64Array, Int32Array or Uint8Array (bool)');
    }
    return { flat: data, shape: [data.length], dtype: dtypeOfArray(data) };
  }
  if (typeof data === 'number') return { flat: [data], shape: [], dtype: 'float32' };
  if (typeof data === 'boolean') return { flat: [data ? 1 : 0], shape: [], dtype: 'bool' };
  if (!Array.isArray(data)) throw new TypeError(`tensor: expected a number, a (nested) array or a typed array, got ${typeof data}`);
  const shape: number[] = [];
  let probe: unknown = data;
  while (Array.isArray(probe)) {
    shape.push(probe.length);
    if (shape.length > MAX_RANK) {
      throw new RangeError(`tensor: the nested array is more than ${MAX_RANK} levels deep; a tensor has at most ${MAX_RANK} dimensions`);
    }
    probe = probe[0];
  }
  const isBool = typeof probe === 'boolean';
  const flat: number[] = [];
  // Mixed booleans and numbers make a numeric tensor (true = 1), as PyTorch's tensor([True, 2]).
  let sawNumber = false;
  const walk = (v: unknown, dim: number, path: number[]) => {
    if (dim === shape.length) {
      if (typeof v === 'number') {
        flat.push(v);
        sawNumber = true;
      } else if (typeof v === 'boolean') flat.push(v ? 1 : 0);
      else
        throw new TypeError(
          `tensor: element at [${path.join(', ')}] is ${Array.isArray(v) ? 'an array' : typeof v}; expected a ${isBool ? 'boolean' : 'number'} (ragged nested array?)`,
        );
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[dim]) {
      throw new Error(
        `tensor: ragged nested array: at [${path.join(', ')}] expected ${shape[dim]} elements, got ${Array.isArray(v) ? v.length : typeof v}`,
      );
    }
    for (let i = 0; i < v.length; i++) walk(v[i], dim + 1, [...path, i]);
  };
  walk(data, 0, []);
  assertSize('tensor', shape, flat.length);
  // An empty array [] is a 0-size float tensor; flat data with a shape is treated as 1-D here.
  return { flat, shape, dtype: isBool && !sawNumber ? 'bool' : 'float32' };
}

/** A tensor of `shape` filled with `value`, float32 unless `dtype` is given (PyTorch's `full`). Throws if the current backend lacks the dtype. */
export function full(shape: Shape, value: number, options: { dtype?: DType; requiresGrad?: boolean } = {}): Tensor {
  return filled('full', shape, value, options);
}

/** full under the name of the op the user called, so errors name it. */
function filled(op: string, shape: Shape, value: number, options: { dtype?: DType; requiresGrad?: boolean }): Tensor {
  assertShape(op, shape);
  if (typeof value !== 'number') throw new TypeError(`${op}: the fill value must be a number, got ${show(value)}`);
  const dtype = options.dtype ?? 'float32';
  assertDType(op, dtype);
  if (dtype === 'int32') assertInt32(op, value);
  const backend = currentBackend();
  if (!backend.dtypes.includes(dtype)) {
    throw new TypeError(`${op}: backend '${backend.name}' does not support ${dtype} (it supports ${backend.dtypes.join(', ')})`);
  }
  const t = runKernel('Fill', [], { shape: [...shape], value, dtype });
  if (options.requiresGrad) requireGrad(t);
  return t;
}

/** A tensor of `shape` filled with 0, float32 unless `dtype` is given. */
export function zeros(shape: Shape, options: { dtype?: DType; requiresGrad?: boolean } = {}): Tensor {
  return filled('zeros', shape, 0, options);
}

/** A tensor of `shape` filled with 1, float32 unless `dtype` is given. */
export function ones(shape: Shape, options: { dtype?: DType; requiresGrad?: boolean } = {}): Tensor {
  return filled('ones', shape, 1, options);
}

/** Zeros with the shape and dtype of `t` (never requires grad). */
export function zerosLike(t: Tensor): Tensor {
  return onBackend(t.backend, () => full(t.shape, 0, { dtype: t.dtype }));
}

/** Ones with the shape and dtype of `t` (never requires grad). */
export function onesLike(t: Tensor): Tensor {
  return onBackend(t.backend, () => full(t.shape, 1, { dtype: t.dtype }));
}

/** Values start, start+step, … below stop (numpy's arange). */
export function arange(start: number, stop?: number, step = 1, options: { dtype?: DType } = {}): Tensor {
  if (stop === undefined) {
    stop = start;
    start = 0;
  }
  for (const [key, v] of [
    ['start', start],
    ['stop', stop],
  ] as const) {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new RangeError(`arange: ${key} must be a finite number, got ${show(v)}`);
  }
  if (typeof step !== 'number' || step === 0 || !Number.isFinite(step))
    throw new RangeError(`arange: step must be a non-zero finite number, got ${show(step)}`);
  const n = Math.max(0, Math.ceil((stop - start) / step));
  assertSize('arange', [n], n);
  const allInts = [start, stop, step].every(Number.isInteger);
  const dtype = options.dtype ?? (allInts ? 'int32' : 'float32');
  assertDType('arange', dtype);
  // The values are monotonic: checking the ends checks them all.
  if (dtype === 'int32' && n > 0) for (const v of [start, start + (n - 1) * step]) assertInt32('arange', v);
  const values = allocArray(dtype, n);
  for (let i = 0; i < n; i++) values[i] = start + i * step;
  return fromValues(values, [n], dtype, 'arange');
}

/** Options shared by {@link rand} and {@link randn}. */
export interface RandomOptions {
  /** Same seed, same numbers, on every backend. Without one, the global generator (see manualSeed). */
  seed?: number;
  /** float32 (default) or float64. */
  dtype?: 'float32' | 'float64';
  /** Make the result a leaf that accumulates `.grad`. */
  requiresGrad?: boolean;
}

/** Uniform on [low, high). */
export function rand(shape: Shape, options: RandomOptions & { low?: number; high?: number } = {}): Tensor {
  assertShape('rand', shape);
  const gen = options.seed === undefined ? globalGenerator() : new Generator(options.seed);
  const dtype = options.dtype ?? 'float32';
  const values = allocArray(dtype, sizeOf(shape));
  const low = options.low ?? 0;
  const span = (options.high ?? 1) - low;
  for (let i = 0; i < values.length; i++) values[i] = low + span * gen.uniform();
  const t = fromValues(values, shape, dtype, 'rand');
  if (options.requiresGrad) t.requiresGrad = true;
  return t;
}

/** Normal with `mean` and `std`. */
export function randn(shape: Shape, options: RandomOptions & { mean?: number; std?: number } = {}): Tensor {
  assertShape('randn', shape);
  const gen = options.seed === undefined ? globalGenerator() : new Generator(options.seed);
  const dtype = options.dtype ?? 'float32';
  const values = allocArray(dtype, sizeOf(shape));
  const mean = options.mean ?? 0;
  const std = options.std ?? 1;
  for (let i = 0; i < values.length; i++) values[i] = mean + std * gen.normal();
  const t = fromValues(values, shape, dtype, 'randn');
  if (options.requiresGrad) t.requiresGrad = true;
  return t;
}

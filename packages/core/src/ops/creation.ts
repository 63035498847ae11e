/** Making tensors: from nested or flat arrays, and filled, ranged or seeded-random ones. */
import { allocArray, assertDType, type DType, dtypeOfArray, type TypedArray } from '../dtype.js';
import { Generator, globalGenerator } from '../random.js';
import { currentBackend, onBackend } from '../registry.js';
import { assertShape, fmt, type Shape, sizeOf } from '../shape.js';
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
  const values = toDType(flat, dtype);
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

function toDType(flat: ArrayLike<number>, dtype: DType): TypedArray {
  if (dtypeOfArray(flat as TypedArray) === dtype && ArrayBuffer.isView(flat)) return flat as TypedArray;
  const out = allocArray(dtype, flat.length);
  if (dtype === 'bool') for (let i = 0; i < flat.length; i++) out[i] = (flat[i] as number) !== 0 ? 1 : 0;
  else out.set(flat as ArrayLike<number>);
  return out;
}

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
    probe = probe[0];
  }
  const isBool = typeof probe === 'boolean';
  const flat: number[] = [];
  const walk = (v: unknown, dim: number, path: number[]) => {
    if (dim === shape.length) {
      if (typeof v === 'number') flat.push(v);
      else if (typeof v === 'boolean') flat.push(v ? 1 : 0);
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
  // An empty array [] is a 0-size float tensor; flat data with a shape is treated as 1-D here.
  return { flat, shape, dtype: isBool ? 'bool' : 'float32' };
}

/** A tensor of `shape` filled with `value`, float32 unless `dtype` is given (PyTorch's `full`). Throws if the current backend lacks the dtype. */
export function full(shape: Shape, value: number, options: { dtype?: DType; requiresGrad?: boolean } = {}): Tensor {
  assertShape('full', shape);
  const dtype = options.dtype ?? 'float32';
  assertDType('full', dtype);
  const backend = currentBackend();
  if (!backend.dtypes.includes(dtype)) {
    throw new TypeError(`full: backend '${backend.name}' does not support ${dtype} (it supports ${backend.dtypes.join(', ')})`);
  }
  const t = runKernel('Fill', [], { shape: [...shape], value, dtype });
  if (options.requiresGrad) requireGrad(t);
  return t;
}

/** A tensor of `shape` filled with 0, float32 unless `dtype` is given. */
export function zeros(shape: Shape, options: { dtype?: DType; requiresGrad?: boolean } = {}): Tensor {
  return full(shape, 0, options);
}

/** A tensor of `shape` filled with 1, float32 unless `dtype` is given. */
export function ones(shape: Shape, options: { dtype?: DType; requiresGrad?: boolean } = {}): Tensor {
  return full(shape, 1, options);
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
  if (step === 0 || !Number.isFinite(step)) throw new RangeError(`arange: step must be a non-zero finite number, got ${step}`);
  const n = Math.max(0, Math.ceil((stop - start) / step));
  const allInts = [start, stop, step].every(Number.isInteger);
  const dtype = options.dtype ?? (allInts ? 'int32' : 'float32');
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

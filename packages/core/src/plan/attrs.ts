/**
 * The data-movement kernels' attribute checks, once: each backend's Slice, Pad, Concat and Gather
 * call these before touching memory, so a direct kernel call with bad attrs fails with the same
 * message everywhere. Each returns the output shape it has validated.
 */
import { fmt, normalizeAxis, type Shape } from '../shape.js';

/** What the checks read of a tensor: a TensorInfo, or a backend's own tensor (tfjs's). */
export interface ShapeAndDType {
  /** Dims, row-major. */
  readonly shape: Shape;
  /** Element type. */
  readonly dtype: string;
}

/** A checked axis (normalized, non-negative) and the output shape it gives. */
export interface AxisAndShape {
  /** The axis, in [0, rank). */
  axis: number;
  /** The output's shape. */
  shape: number[];
}

/** Slice's output shape (`size`), checked to lie inside x: integers, begin ≥ 0, begin + size ≤ x's dim, one per axis. */
export function sliceShape(x: ShapeAndDType, begin: readonly number[], size: readonly number[]): number[] {
  const rank = x.shape.length;
  const bad = (d: number) => {
    const [b, s] = [begin[d] as number, size[d] as number];
    return !Number.isInteger(b) || !Number.isInteger(s) || b < 0 || s < 0 || b + s > (x.shape[d] as number);
  };
  if (begin.length !== rank || size.length !== rank || x.shape.some((_, d) => bad(d))) {
    throw new RangeError(`Slice: begin [${begin.join(', ')}] and size [${size.join(', ')}] do not fit inside x ${fmt(x.shape)}`);
  }
  return [...size];
}

/** Pad's output shape, with paddings checked to give [before, after] (non-negative integers) per axis. */
export function padShape(x: ShapeAndDType, paddings: readonly (readonly number[])[]): number[] {
  const valid = (p: readonly number[] | undefined) => Array.isArray(p) && p.length === 2 && p.every((e) => Number.isInteger(e) && e >= 0);
  if (!Array.isArray(paddings) || paddings.length !== x.shape.length || !paddings.every(valid)) {
    throw new RangeError(
      `Pad: paddings ${JSON.stringify(paddings)} must give [before, after] (non-negative integers) for each axis of x ${fmt(x.shape)}`,
    );
  }
  return x.shape.map((s, d) => s + (paddings[d]?.[0] as number) + (paddings[d]?.[1] as number));
}

/** Concat's normalized axis and output shape: one dtype, at least rank 1, equal dims outside the axis. */
export function concatShape(inputs: readonly ShapeAndDType[], axisAttr: number): AxisAndShape {
  const first = inputs[0];
  if (first === undefined) throw new RangeError('Concat: needs at least one input');
  const rank = first.shape.length;
  if (rank === 0) throw new RangeError('Concat: cannot concatenate scalars (shape [])');
  const axis = normalizeAxis('Concat', axisAttr, rank);
  for (const x of inputs) {
    if (x.dtype !== first.dtype) throw new TypeError(`Concat: inputs must share one dtype, got ${inputs.map((t) => t.dtype).join(', ')}`);
    if (x.shape.length !== rank || x.shape.some((s, d) => d !== axis && s !== first.shape[d])) {
      throw new RangeError(`Concat: shapes ${inputs.map((t) => fmt(t.shape)).join(', ')} differ outside axis ${axis}`);
    }
  }
  const shape = [...first.shape];
  shape[axis] = inputs.reduce((n, x) => n + (x.shape[axis] as number), 0);
  return { axis, shape };
}

/** Gather's normalized axis and output shape, x.shape[:axis] + indices.shape + x.shape[axis+1:]; x must have rank ≥ 1. */
export function gatherShape(x: ShapeAndDType, indices: { readonly shape: Shape }, axisAttr: number): AxisAndShape {
  if (x.shape.length === 0) throw new RangeError('Gather: x must have rank >= 1, got a scalar');
  const axis = normalizeAxis('Gather', axisAttr, x.shape.length);
  return { axis, shape: [...x.shape.slice(0, axis), ...indices.shape, ...x.shape.slice(axis + 1)] };
}

/** Reshaping, permuting, broadcasting, slicing, joining and gathering: data movement with exact adjoints. */

import { aliasOf, bareAliasOf } from '../autograd/alias.js';
import { type DifferentiableFunction, defineFunction } from '../autograd/function.js';
import { summedAxes } from '../plan/reduce.js';
import { onBackend } from '../registry.js';
import { scoped } from '../scope.js';
import { assertShape, fmt, normalizeAxis, type Shape, shapesEqual, sizeOf, tryBroadcastShapes } from '../shape.js';
import { Tensor } from '../tensor.js';
import { tensor } from './creation.js';
import { runKernel } from './dispatch.js';
import { Gather } from './gather-scatter.js';
import { assertSameBackend } from './operands.js';
import { sum } from './reduce.js';

const Reshape = defineFunction({
  name: 'Reshape',
  forward(ctx, x: Tensor, shape: number[]) {
    ctx.inShape = x.shape;
    ctx.shape = shape;
    // Buffers are immutable, so a reshape is a view: no copy.
    return new Tensor(x.storage.retain(), shape, x.dtype);
  },
  backward: (ctx, dy) => [reshape(dy, ctx.inShape), null],
  jvp: (ctx, t) => reshape(t as Tensor, ctx.shape),
});

/** The same values in a new shape; one dimension may be -1 (inferred). */
export function reshape(x: Tensor, shape: Shape): Tensor {
  x.assertAlive('reshape');
  if (!Array.isArray(shape)) throw new TypeError(`reshape: shape must be an array, got ${JSON.stringify(shape)}`);
  const out = [...shape];
  const infer = out.indexOf(-1);
  if (infer >= 0) {
    const known = sizeOf(out.filter((_, i) => i !== infer));
    if (out.lastIndexOf(-1) !== infer || known === 0 || x.size % known !== 0) {
      throw new Error(`reshape: cannot reshape tensor of shape ${fmt(x.shape)} (${x.size} elements) into ${fmt(shape)}`);
    }
    out[infer] = x.size / known;
  }
  assertShape('reshape', out);
  if (sizeOf(out) !== x.size) {
    throw new Error(
      `reshape: cannot reshape tensor of shape ${fmt(x.shape)} (${x.size} elements) into ${fmt(shape)} (${sizeOf(out)} elements)`,
    );
  }
  return Reshape(x, out);
}

/** Merges dims `startDim`..`endDim` (inclusive, negatives count from the end) into one, as `torch.flatten`; a scalar becomes shape [1]. A view, no copy. */
export function flatten(x: Tensor, startDim = 0, endDim = -1): Tensor {
  if (x.rank === 0) return reshape(x, [1]);
  const s = normalizeAxis('flatten', startDim, x.rank);
  const e = normalizeAxis('flatten', endDim, x.rank);
  if (s > e) throw new RangeError(`flatten: startDim ${startDim} comes after endDim ${endDim}`);
  const shape = [...x.shape.slice(0, s), sizeOf(x.shape.slice(s, e + 1)), ...x.shape.slice(e + 1)];
  return reshape(x, shape);
}

/** Removes size-1 dims: all of them, or only those in `axis` (listed dims of other sizes are kept, as in PyTorch). A view, no copy. */
export function squeeze(x: Tensor, axis?: number | number[]): Tensor {
  const axes =
    axis === undefined
      ? x.shape.map((d, i) => (d === 1 ? i : -1)).filter((i) => i >= 0)
      : (Array.isArray(axis) ? axis : [axis]).map((a) => normalizeAxis('squeeze', a, x.rank));
  return reshape(
    x,
    x.shape.filter((d, i) => !(axes.includes(i) && d === 1)),
  );
}

/** Inserts a size-1 dim at `axis` (in the result's numbering, so -1 appends). A view, no copy. */
export function unsqueeze(x: Tensor, axis: number): Tensor {
  const a = normalizeAxis('unsqueeze', axis, x.rank + 1);
  const shape = [...x.shape];
  shape.splice(a, 0, 1);
  return reshape(x, shape);
}

const Permute: DifferentiableFunction<[Tensor, number[]], Tensor> = defineFunction({
  name: 'Permute',
  forward(ctx, x: Tensor, perm: number[]) {
    ctx.perm = perm;
    return runKernel('Transpose', [x], { perm });
  },
  backward(ctx, dy) {
    const inverse = new Array<number>(ctx.perm.length);
    ctx.perm.forEach((p: number, i: number) => {
      inverse[p] = i;
    });
    return [permute(dy, inverse), null];
  },
  jvp: (ctx, t) => Permute(t as Tensor, ctx.perm),
});

/** Reorders dimensions: output dim i is input dim dims[i]. */
export function permute(x: Tensor, dims: readonly number[]): Tensor {
  x.assertAlive('permute');
  const perm = dims.map((d) => normalizeAxis('permute', d, x.rank));
  if (perm.length !== x.rank || new Set(perm).size !== perm.length) {
    throw new Error(`permute: dims ${fmt(dims)} are not a permutation of the ${x.rank} dimensions of a tensor of shape ${fmt(x.shape)}`);
  }
  if (perm.every((p, i) => p === i)) return reshape(x, x.shape);
  return Permute(x, perm);
}

/** Swaps two dimensions (default: the last two, a matrix transpose). */
export function transpose(x: Tensor, dim0 = -2, dim1 = -1): Tensor {
  x.assertAlive('transpose');
  if (x.rank < 2 && dim0 === -2 && dim1 === -1) return reshape(x, x.shape);
  const a = normalizeAxis('transpose', dim0, x.rank);
  const b = normalizeAxis('transpose', dim1, x.rank);
  const perm = x.shape.map((_, i) => i);
  perm[a] = b;
  perm[b] = a;
  return permute(x, perm);
}

const BroadcastTo: DifferentiableFunction<[Tensor, number[]], Tensor> = defineFunction({
  name: 'BroadcastTo',
  forward(ctx, x: Tensor, shape: number[]) {
    ctx.inShape = x.shape;
    ctx.shape = shape;
    return runKernel('BroadcastTo', [x], { shape });
  },
  backward: (ctx, dy) => [sumToSize(dy, ctx.inShape), null],
  jvp: (ctx, t) => BroadcastTo(t as Tensor, ctx.shape),
});

/** x repeated along broadcast dimensions (numpy rules) to `shape`. */
export function broadcastTo(x: Tensor, shape: Shape): Tensor {
  x.assertAlive('broadcastTo');
  assertShape('broadcastTo', shape);
  const b = tryBroadcastShapes(x.shape, shape);
  if (b === null || !shapesEqual(b, shape)) throw new Error(`broadcastTo: cannot broadcast shape ${fmt(x.shape)} to ${fmt(shape)}`);
  if (shapesEqual(x.shape, shape)) return reshape(x, shape);
  if (sizeOf(x.shape) === sizeOf(shape)) return reshape(x, shape);
  return BroadcastTo(x, [...shape]);
}

/** Sums x down to `shape`, the inverse of broadcasting (PyTorch's sum_to_size). */
export function sumToSize(x: Tensor, shape: Shape): Tensor {
  x.assertAlive('sumToSize');
  assertShape('sumToSize', shape);
  const b = tryBroadcastShapes(shape, x.shape);
  if (shape.length > x.rank || b === null || !shapesEqual(b, x.shape)) {
    throw new Error(`sumToSize: shape ${fmt(x.shape)} cannot be summed to ${fmt(shape)} (${fmt(shape)} must broadcast to ${fmt(x.shape)})`);
  }
  if (shapesEqual(shape, x.shape)) return reshape(x, shape);
  return scoped(() => reshape(sum(x, summedAxes(x.shape, shape), true), shape));
}

const Slice: DifferentiableFunction<[Tensor, number[], number[]], Tensor> = defineFunction({
  name: 'Slice',
  forward(ctx, x: Tensor, begin: number[], size: number[]) {
    ctx.paddings = x.shape.map((d, i) => [begin[i] as number, d - (begin[i] as number) - (size[i] as number)]);
    ctx.begin = begin;
    ctx.size = size;
    return runKernel('Slice', [x], { begin, size });
  },
  backward: (ctx, dy) => [pad(dy, ctx.paddings), null, null],
  jvp: (ctx, t) => Slice(t as Tensor, ctx.begin, ctx.size),
});

/** x[begin[i] : begin[i] + size[i]] along each axis; size -1 (or omitted) runs to the end. Negative begins count from the end. */
export function slice(x: Tensor, begin: readonly number[], size?: readonly number[]): Tensor {
  x.assertAlive('slice');
  if (begin.length > x.rank || (size && size.length > x.rank)) {
    throw new Error(
      `slice: begin ${fmt(begin)} / size ${fmt(size ?? [])} have more entries than the rank ${x.rank} of shape ${fmt(x.shape)}`,
    );
  }
  const b: number[] = [];
  const s: number[] = [];
  for (let i = 0; i < x.rank; i++) {
    const dim = x.shape[i] as number;
    let start = begin[i] ?? 0;
    if (start < 0) start += dim;
    const want = size?.[i] ?? -1;
    const len = want === -1 ? dim - start : want;
    if (!Number.isInteger(start) || !Number.isInteger(len) || start < 0 || len < 0 || start + len > dim) {
      throw new RangeError(
        `slice: begin ${fmt(begin)} and size ${fmt(size ?? [])} are out of bounds for shape ${fmt(x.shape)} (axis ${i})`,
      );
    }
    b.push(start);
    s.push(len);
  }
  return Slice(x, b, s);
}

const Pad: DifferentiableFunction<[Tensor, [number, number][], number], Tensor> = defineFunction({
  name: 'Pad',
  forward(ctx, x: Tensor, paddings: [number, number][], value: number) {
    ctx.paddings = paddings;
    ctx.inShape = x.shape;
    return runKernel('Pad', [x], { paddings, value });
  },
  backward: (ctx, dy) => [
    slice(
      dy,
      ctx.paddings.map((p: [number, number]) => p[0]),
      ctx.inShape,
    ),
    null,
    null,
  ],
  // The padding is a constant: its tangent is zero.
  jvp: (ctx, t) => Pad(t as Tensor, ctx.paddings, 0),
});

/** x with `paddings[i] = [before, after]` elements of `value` added along axis i. */
export function pad(x: Tensor, paddings: readonly (readonly [number, number])[], value = 0): Tensor {
  x.assertAlive('pad');
  if (paddings.length !== x.rank || paddings.some((p) => p.length !== 2 || p.some((v) => !Number.isInteger(v) || v < 0))) {
    throw new Error(
      `pad: expected ${x.rank} pairs [before, after] of non-negative integers for shape ${fmt(x.shape)}, got ${JSON.stringify(paddings)}`,
    );
  }
  return Pad(
    x,
    paddings.map((p) => [p[0], p[1]] as [number, number]),
    value,
  );
}

const Concat: DifferentiableFunction<[number, ...Tensor[]], Tensor> = defineFunction({
  name: 'Concat',
  forward(ctx, axis: number, ...xs: Tensor[]) {
    ctx.axis = axis;
    ctx.shapes = xs.map((x) => x.shape);
    return runKernel('Concat', xs, { axis });
  },
  backward(ctx, dy) {
    let offset = 0;
    const grads: (Tensor | null)[] = [null];
    ctx.shapes.forEach((shape: number[], i: number) => {
      const begin = shape.map(() => 0);
      begin[ctx.axis] = offset;
      offset += shape[ctx.axis] as number;
      grads.push(ctx.needsInputGrad[i + 1] ? slice(dy, begin, shape) : null);
    });
    return grads;
  },
  // Tangents arrive as zeros for inputs without one (materialized), so they concatenate as the values do.
  jvp: (ctx, _axis, ...ts) => Concat(ctx.axis, ...(ts as Tensor[])),
});

/** Joins tensors along an existing axis. */
export function concat(tensors: readonly Tensor[], axis = 0): Tensor {
  if (!Array.isArray(tensors) || tensors.length === 0) throw new Error('concat: expected a non-empty array of tensors');
  const first = tensors[0] as Tensor;
  tensors.forEach((t, i) => {
    if (!(t instanceof Tensor)) throw new TypeError(`concat: element ${i} is not a Tensor`);
    t.assertAlive('concat');
  });
  assertSameBackend('concat', ...tensors);
  const a = normalizeAxis('concat', axis, first.rank);
  for (let i = 1; i < tensors.length; i++) {
    const t = tensors[i] as Tensor;
    if (t.rank !== first.rank || t.shape.some((d, j) => j !== a && d !== first.shape[j]) || t.dtype !== first.dtype) {
      throw new Error(
        `concat: tensor ${i} has shape ${fmt(t.shape)} ${t.dtype}, incompatible with tensor 0's ${fmt(first.shape)} ${first.dtype} along axis ${a}`,
      );
    }
  }
  if (tensors.length === 1) return reshape(first, first.shape);
  return Concat(a, ...tensors);
}

/** Joins tensors along a new axis. */
export function stack(tensors: readonly Tensor[], axis = 0): Tensor {
  if (!Array.isArray(tensors) || tensors.length === 0) throw new Error('stack: expected a non-empty array of tensors');
  const first = tensors[0] as Tensor;
  const a = normalizeAxis('stack', axis, first.rank + 1);
  tensors.forEach((t, i) => {
    if (!(t instanceof Tensor) || !shapesEqual(t.shape, first.shape)) {
      throw new Error(
        `stack: tensor ${i} has shape ${t instanceof Tensor ? fmt(t.shape) : typeof t}, expected ${fmt(first.shape)} like tensor 0`,
      );
    }
  });
  return scoped(() =>
    concat(
      tensors.map((t) => {
        const s = [...t.shape];
        s.splice(a, 0, 1);
        return reshape(t, s);
      }),
      a,
    ),
  );
}

/**
 * Picks slices of x along `axis` (numpy's take / PyTorch's index_select): the result has shape
 * x.shape[:axis] + indices.shape + x.shape[axis+1:]. Indices are int32, each in [0, size).
 */
export function gather(x: Tensor, indices: Tensor | readonly number[], axis = 0): Tensor {
  x.assertAlive('gather');
  const a = normalizeAxis('gather', axis, x.rank);
  if (x.rank === 0) throw new Error('gather: cannot gather from a scalar');
  if (!(indices instanceof Tensor)) {
    if (!Array.isArray(indices)) throw new TypeError('gather: indices must be an int32 Tensor or an array of integers');
    const dim = x.shape[a] as number;
    indices.forEach((v, i) => {
      if (!Number.isInteger(v) || v < 0 || v >= dim) {
        throw new RangeError(`gather: index ${v} at position ${i} is out of range for axis ${a} of size ${dim} (shape ${fmt(x.shape)})`);
      }
    });
    return scoped(() =>
      Gather(
        x,
        onBackend(x.backend, () => tensor(indices as number[], { dtype: 'int32' })),
        a,
      ),
    );
  }
  indices.assertAlive('gather');
  if (indices.dtype !== 'int32') throw new TypeError(`gather: indices must be int32, got ${indices.dtype}`);
  return Gather(x, indices, a);
}

/** A tensor with the same values, cut from the graph (shares the buffer). */
export function detach(x: Tensor): Tensor {
  x.assertAlive('detach');
  return bareAliasOf(x);
}

const Clone = defineFunction({
  name: 'Clone',
  forward: (_ctx, x: Tensor) => aliasOf(x, false),
  backward: (_ctx, dy) => dy,
  jvp: (_ctx, t) => t,
});

/** A copy that stays in the graph. Buffers are immutable, so no bytes are copied. */
export function clone(x: Tensor): Tensor {
  x.assertAlive('clone');
  return Clone(x);
}

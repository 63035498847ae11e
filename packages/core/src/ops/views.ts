/**
 * PyTorch's view-like vocabulary (narrow, select, unbind, chunk, split, expand, repeat,
 * indexSelect, flip, roll), each composed of slice, reshape, broadcastTo, gather and concat: their
 * gradients and tangents are those ops' own, so no new kernel or derivative rule is needed.
 */
import { scoped } from '../scope.js';
import { fmt, normalizeAxis, show } from '../shape.js';
import { Tensor } from '../tensor.js';
import { arange } from './creation.js';
import { broadcastTo, concat, gather, reshape, slice } from './shape-ops.js';

function assertTensor(op: string, x: unknown): asserts x is Tensor {
  if (!(x instanceof Tensor)) throw new TypeError(`${op}: expected a Tensor, got ${show(x)}`);
  x.assertAlive(op);
}

function assertInt(op: string, what: string, v: unknown): asserts v is number {
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new TypeError(`${op}: ${what} must be an integer, got ${show(v)}`);
}

/** Where `dim` of x runs over [start, start + length): `x.narrow(dim, start, length)` as PyTorch's (a negative start counts from the end). */
export function narrow(x: Tensor, dim: number, start: number, length: number): Tensor {
  assertTensor('narrow', x);
  const d = normalizeAxis('narrow', dim, x.rank);
  assertInt('narrow', 'start', start);
  assertInt('narrow', 'length', length);
  const n = x.shape[d] as number;
  const s = start < 0 ? start + n : start;
  if (s < 0 || length < 0 || s + length > n) {
    throw new RangeError(
      `narrow: start ${start} and length ${length} are out of range for dim ${dim} of size ${n} (shape ${fmt(x.shape)})`,
    );
  }
  const begin = x.shape.map((_, i) => (i === d ? s : 0));
  const size = x.shape.map((k, i) => (i === d ? length : k));
  return slice(x, begin, size);
}

/** The slice at `index` of `dim`, with that dim removed: `x.select(dim, index)`, PyTorch's `x[..., index, ...]`. */
export function select(x: Tensor, dim: number, index: number): Tensor {
  assertTensor('select', x);
  if (x.rank === 0) throw new Error('select: cannot select from a 0-d tensor');
  const d = normalizeAxis('select', dim, x.rank);
  assertInt('select', 'index', index);
  const n = x.shape[d] as number;
  if (index < -n || index >= n)
    throw new RangeError(`select: index ${index} is out of range for dim ${dim} of size ${n} (shape ${fmt(x.shape)})`);
  const shape = x.shape.filter((_, i) => i !== d);
  return scoped(() => reshape(narrow(x, d, index < 0 ? index + n : index, 1), shape));
}

/** Every slice along `dim`, that dim removed: `x.unbind(dim)` as PyTorch's. */
export function unbind(x: Tensor, dim = 0): Tensor[] {
  assertTensor('unbind', x);
  if (x.rank === 0) throw new Error('unbind: cannot unbind a 0-d tensor');
  const d = normalizeAxis('unbind', dim, x.rank);
  return Array.from({ length: x.shape[d] as number }, (_, i) => select(x, d, i));
}

/** Pieces of `sizes` along `d`, in order (sizes already checked to sum to the dim). */
function pieces(x: Tensor, d: number, sizes: readonly number[]): Tensor[] {
  let at = 0;
  return sizes.map((len) => {
    const piece = narrow(x, d, at, len);
    at += len;
    return piece;
  });
}

/**
 * `chunks` pieces along `dim`, as PyTorch's `chunk`: each ceil(n / chunks) long, the last one
 * shorter, so fewer than `chunks` pieces when n doesn't fill them.
 */
export function chunk(x: Tensor, chunks: number, dim = 0): Tensor[] {
  assertTensor('chunk', x);
  assertInt('chunk', 'chunks', chunks);
  if (chunks < 1) throw new RangeError(`chunk: chunks must be at least 1, got ${chunks}`);
  if (x.rank === 0) throw new Error('chunk: cannot chunk a 0-d tensor');
  const d = normalizeAxis('chunk', dim, x.rank);
  const n = x.shape[d] as number;
  const each = Math.ceil(n / chunks);
  if (each === 0) return [narrow(x, d, 0, 0)];
  const sizes: number[] = [];
  for (let at = 0; at < n; at += each) sizes.push(Math.min(each, n - at));
  return pieces(x, d, sizes);
}

/**
 * Pieces along `dim`, as PyTorch's `split`: of `splitSize` each (the last one shorter), or of the
 * given `sections`, which must sum to the dim's size.
 */
export function split(x: Tensor, splitSizeOrSections: number | readonly number[], dim = 0): Tensor[] {
  assertTensor('split', x);
  if (x.rank === 0) throw new Error('split: cannot split a 0-d tensor');
  const d = normalizeAxis('split', dim, x.rank);
  const n = x.shape[d] as number;
  if (typeof splitSizeOrSections === 'number') {
    assertInt('split', 'splitSize', splitSizeOrSections);
    if (splitSizeOrSections < 1 && n > 0) throw new RangeError(`split: splitSize must be at least 1, got ${splitSizeOrSections}`);
    const sizes: number[] = [];
    for (let at = 0; at < n; at += splitSizeOrSections) sizes.push(Math.min(splitSizeOrSections, n - at));
    return pieces(x, d, sizes.length ? sizes : [0]);
  }
  if (!Array.isArray(splitSizeOrSections))
    throw new TypeError(`split: expected a size or an array of sizes, got ${show(splitSizeOrSections)}`);
  splitSizeOrSections.forEach((s, i) => {
    if (!Number.isInteger(s) || s < 0) throw new RangeError(`split: section ${i} must be a non-negative integer, got ${show(s)}`);
  });
  const total = splitSizeOrSections.reduce((a, b) => a + b, 0);
  if (total !== n) {
    throw new RangeError(
      `split: sections ${fmt(splitSizeOrSections)} sum to ${total}, but dim ${dim} of shape ${fmt(x.shape)} has size ${n}`,
    );
  }
  return pieces(x, d, splitSizeOrSections);
}

/** x broadcast to `sizes`, where -1 keeps a dim, as PyTorch's `expand`; new dims go in front. */
export function expand(x: Tensor, sizes: readonly number[]): Tensor {
  assertTensor('expand', x);
  if (!Array.isArray(sizes) || sizes.length < x.rank) {
    throw new Error(`expand: sizes ${show(sizes)} must have at least as many entries as the rank ${x.rank} of shape ${fmt(x.shape)}`);
  }
  const lead = sizes.length - x.rank;
  const shape = sizes.map((s, i) => {
    if (s !== -1) return s;
    if (i < lead) throw new Error(`expand: -1 is not allowed for the new leading dim ${i} (sizes ${fmt(sizes)})`);
    return x.shape[i - lead] as number;
  });
  return broadcastTo(x, shape);
}

/**
 * x tiled `repeats[i]` times along each dim, as PyTorch's `repeat` (numpy's `tile`): repeats may
 * be longer than the rank, adding leading dims. The gradient sums the tiles.
 */
export function repeat(x: Tensor, repeats: readonly number[]): Tensor {
  assertTensor('repeat', x);
  if (!Array.isArray(repeats) || repeats.length < x.rank) {
    throw new Error(`repeat: repeats ${show(repeats)} must have at least as many entries as the rank ${x.rank} of shape ${fmt(x.shape)}`);
  }
  repeats.forEach((r, i) => {
    if (!Number.isInteger(r) || r < 0) throw new RangeError(`repeat: repeats[${i}] must be a non-negative integer, got ${show(r)}`);
  });
  const lead = repeats.length - x.rank;
  const dims = repeats.map((_, i) => (i < lead ? 1 : (x.shape[i - lead] as number)));
  // [d0, d1] tiled [r0, r1] is [r0, d0, r1, d1] (x broadcast along the r's), read as [r0·d0, r1·d1].
  const spread = dims.flatMap((d) => [1, d]);
  const tiled = dims.flatMap((d, i) => [repeats[i] as number, d]);
  return scoped(() =>
    reshape(
      broadcastTo(reshape(x, spread), tiled),
      dims.map((d, i) => d * (repeats[i] as number)),
    ),
  );
}

/** The entries at `index` (1-D int32, or an array of integers) along `dim`, as PyTorch's `index_select`. */
export function indexSelect(x: Tensor, dim: number, index: Tensor | readonly number[]): Tensor {
  assertTensor('indexSelect', x);
  if (index instanceof Tensor && index.rank > 1) {
    throw new Error(`indexSelect: index must be 1-D, got shape ${fmt(index.shape)}`);
  }
  return gather(x, index, normalizeAxis('indexSelect', dim, Math.max(1, x.rank)));
}

/** x reversed along each of `dims`, as PyTorch's `flip`. */
export function flip(x: Tensor, dims: readonly number[]): Tensor {
  assertTensor('flip', x);
  if (!Array.isArray(dims)) throw new TypeError(`flip: dims must be an array of dims, got ${show(dims)}`);
  const axes = dims.map((d) => normalizeAxis('flip', d, x.rank));
  if (new Set(axes).size !== axes.length) throw new Error(`flip: dims ${fmt(dims)} repeat a dim`);
  return scoped(() => {
    let y = x;
    for (const a of axes) {
      const n = x.shape[a] as number;
      if (n > 1) y = gather(y, arange(n - 1, -1, -1, { dtype: 'int32' }), a);
    }
    return y === x ? reshape(x, x.shape) : y;
  });
}

/**
 * x shifted cyclically by `shifts` along `dims`, as PyTorch's `roll`: element i moves to
 * i + shift (mod n). Without dims, the flattened tensor rolls and keeps its shape.
 */
export function roll(x: Tensor, shifts: number | readonly number[], dims?: number | readonly number[]): Tensor {
  assertTensor('roll', x);
  const s = typeof shifts === 'number' ? [shifts] : shifts;
  if (!Array.isArray(s)) throw new TypeError(`roll: shifts must be an integer or an array of integers, got ${show(shifts)}`);
  s.forEach((v) => {
    assertInt('roll', 'each shift', v);
  });
  if (dims === undefined) {
    if (s.length !== 1) throw new Error(`roll: without dims, shifts must be one integer, got ${fmt(s)}`);
    return scoped(() => reshape(roll(reshape(x, [x.size]), s, 0), x.shape));
  }
  const d = typeof dims === 'number' ? [dims] : dims;
  if (d.length !== s.length) throw new Error(`roll: shifts ${fmt(s)} and dims ${fmt(d)} must have the same length`);
  return scoped(() => {
    let y = x;
    d.forEach((dim, i) => {
      const a = normalizeAxis('roll', dim, x.rank);
      const n = x.shape[a] as number;
      const k = n === 0 ? 0 : (((s[i] as number) % n) + n) % n;
      if (k !== 0) y = concat([narrow(y, a, n - k, k), narrow(y, a, 0, n - k)], a);
    });
    return y === x ? reshape(x, x.shape) : y;
  });
}

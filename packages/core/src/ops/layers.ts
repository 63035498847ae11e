/**
 * The functional forms behind common layers: dropout (seeded through a Generator), embedding
 * lookup (with PyTorch's `paddingIdx`) and unflatten.
 */
import { aliasOf } from '../autograd/alias.js';
import { defineFunction } from '../autograd/function.js';
import { allocArray, isFloat } from '../dtype.js';
import { type Generator, globalGenerator } from '../random.js';
import { onBackend } from '../registry.js';
import { scoped } from '../scope.js';
import { fmt, normalizeAxis, show, sizeOf } from '../shape.js';
import { Tensor } from '../tensor.js';
import { ne } from './compare.js';
import { fromValues } from './creation.js';
import { gather, reshape } from './shape-ops.js';
import { where } from './where.js';

/** Options of {@link dropout}. */
export interface DropoutOptions {
  /** Drop only in training; in evaluation dropout is the identity. Default true. */
  training?: boolean;
  /** The random source; default the global generator (see `manualSeed`). */
  generator?: Generator;
}

/**
 * Zeroes each element with probability p and scales the rest by 1 / (1 − p), as PyTorch's
 * `F.dropout`; the gradient passes through the same mask. The identity when not training or p = 0.
 */
export function dropout(x: Tensor, p = 0.5, options: DropoutOptions = {}): Tensor {
  if (!(x instanceof Tensor)) throw new TypeError(`dropout: input must be a Tensor, got ${show(x)}`);
  x.assertAlive('dropout');
  if (typeof p !== 'number' || !(p >= 0 && p <= 1)) throw new RangeError(`dropout: probability p must be in [0, 1], got ${show(p)}`);
  if (!isFloat(x.dtype)) throw new TypeError(`dropout: expected a float input, got ${x.dtype}`);
  if (!(options.training ?? true) || p === 0) return reshape(x, x.shape);
  const gen = options.generator ?? globalGenerator();
  const scale = p === 1 ? 0 : 1 / (1 - p);
  const mask = allocArray(x.dtype, x.size);
  for (let i = 0; i < mask.length; i++) mask[i] = gen.uniform() < p ? 0 : scale;
  return scoped(() => x.mul(onBackend(x.backend, () => fromValues(mask, x.shape, x.dtype, 'dropout'))));
}

/**
 * y itself, whose gradient is zeroed where `keep` is false: the padding rows of an embedding get
 * no gradient, while their values and tangents pass (PyTorch's forward mode ignores paddingIdx).
 */
const PaddingRowsWithoutGradient = defineFunction({
  name: 'EmbeddingPadding',
  forward(ctx, y: Tensor, keep: Tensor) {
    ctx.keep = keep;
    return aliasOf(y, false);
  },
  backward: (ctx, dy) => [where(ctx.keep, dy, 0), null],
  jvp: (_ctx, ty) => ty,
});

/** Options of {@link embedding}. */
export interface EmbeddingOptions {
  /** Rows looked up by this index get no gradient (negative counts from the end), as PyTorch's. */
  paddingIdx?: number | null;
}

/**
 * Rows of `weight` [numEmbeddings, D] picked by the int32 `indices` (any shape): the result has
 * shape indices.shape + [D], as PyTorch's `F.embedding`. Gradients add up into the picked rows.
 */
export function embedding(indices: Tensor, weight: Tensor, options: EmbeddingOptions = {}): Tensor {
  for (const [name, t] of [
    ['indices', indices],
    ['weight', weight],
  ] as const) {
    if (!(t instanceof Tensor)) throw new TypeError(`embedding: ${name} must be a Tensor, got ${show(t)}`);
    t.assertAlive('embedding');
  }
  if (indices.dtype !== 'int32') throw new TypeError(`embedding: indices must be int32, got ${indices.dtype}`);
  if (weight.rank !== 2) throw new RangeError(`embedding: weight must have shape [numEmbeddings, embeddingDim], got ${fmt(weight.shape)}`);
  const rows = weight.shape[0] as number;
  let pad = options.paddingIdx ?? null;
  if (pad !== null) {
    if (!Number.isInteger(pad) || pad < -rows || pad >= rows) {
      throw new RangeError(
        `embedding: paddingIdx must be an integer in [${-rows}, ${rows}) for weight ${fmt(weight.shape)}, got ${show(pad)}`,
      );
    }
    if (pad < 0) pad += rows;
  }
  return scoped(() => {
    const picked = gather(weight, indices, 0);
    if (pad === null) return picked;
    return PaddingRowsWithoutGradient(picked, reshape(ne(indices, pad), [...indices.shape, 1]));
  });
}

/** Dim `dim` of x split into `sizes` (one may be -1), as PyTorch's `unflatten`. A view. */
export function unflatten(x: Tensor, dim: number, sizes: readonly number[]): Tensor {
  if (!(x instanceof Tensor)) throw new TypeError(`unflatten: input must be a Tensor, got ${show(x)}`);
  x.assertAlive('unflatten');
  const d = normalizeAxis('unflatten', dim, x.rank);
  if (!Array.isArray(sizes) || sizes.length === 0) throw new RangeError(`unflatten: sizes must be a non-empty array, got ${show(sizes)}`);
  const n = x.shape[d] as number;
  const known = sizes.filter((s) => s !== -1);
  const inferred = sizes.length - known.length;
  const product = sizeOf(known);
  if (inferred > 1 || (inferred === 0 && product !== n) || (inferred === 1 && (product === 0 || n % product !== 0))) {
    throw new RangeError(`unflatten: sizes ${fmt(sizes)} do not multiply to dim ${d} of size ${n} (shape ${fmt(x.shape)})`);
  }
  const full = sizes.map((s) => (s === -1 ? n / product : s));
  return reshape(x, [...x.shape.slice(0, d), ...full, ...x.shape.slice(d + 1)]);
}

/**
 * Resizing NCHW images as PyTorch's `F.interpolate` ('nearest', 'bilinear'). Both modes are
 * separable: each output row (column) is a fixed weighting of input rows (columns), so the resize
 * is two matmuls with [out, in] interpolation matrices, and its gradient is theirs.
 */
import { allocArray, type DType, isFloat } from '../dtype.js';
import { onBackend } from '../registry.js';
import { scoped } from '../scope.js';
import { fmt, show } from '../shape.js';
import { Tensor } from '../tensor.js';
import { fromValues } from './creation.js';
import { matmul } from './matmul.js';

/** Options of {@link interpolate}: `size` or `scaleFactor`, as PyTorch's keyword arguments. */
export interface InterpolateOptions {
  /** The output height and width (one number for both). */
  size?: number | readonly [number, number];
  /** Multiplies the input size (rounded down); the coordinates use this scale, as PyTorch's default. */
  scaleFactor?: number | readonly [number, number];
  /** 'nearest' (default) or 'bilinear'. */
  mode?: 'nearest' | 'bilinear';
  /** Bilinear only: align the corner pixels' centres instead of their edges (default false). */
  alignCorners?: boolean;
}

const f32 = Math.fround;

/** PyTorch's source-coordinate scale: 1/scaleFactor where one was given, else in/out (float32). */
function scaleOf(n: number, out: number, factor: number | undefined, alignCorners: boolean): number {
  if (alignCorners) return out > 1 ? f32((n - 1) / (out - 1)) : 0;
  return factor !== undefined ? f32(1 / factor) : f32(n / out);
}

/** The [out, n] matrix mapping n input rows to out output rows. */
function interpolationMatrix(
  n: number,
  out: number,
  factor: number | undefined,
  mode: 'nearest' | 'bilinear',
  alignCorners: boolean,
  dtype: DType,
) {
  const m = allocArray(dtype, out * n);
  const scale = scaleOf(n, out, factor, alignCorners);
  for (let o = 0; o < out; o++) {
    if (mode === 'nearest') {
      const src = out === n ? o : Math.min(Math.floor(f32(o * scale)), n - 1);
      m[o * n + src] = 1;
      continue;
    }
    const src = alignCorners ? f32(o * scale) : Math.max(f32(f32(scale * (o + 0.5)) - 0.5), 0);
    const i0 = Math.min(Math.floor(src), n - 1);
    const i1 = i0 < n - 1 ? i0 + 1 : i0;
    const w1 = f32(src - i0);
    m[o * n + i0] = (m[o * n + i0] as number) + f32(1 - w1);
    m[o * n + i1] = (m[o * n + i1] as number) + w1;
  }
  return m;
}

/**
 * x [N, C, H, W] resized to `size`, or by `scaleFactor`, as PyTorch's
 * `F.interpolate` with mode 'nearest' or 'bilinear'.
 */
export function interpolate(x: Tensor, options: InterpolateOptions): Tensor {
  const op = 'interpolate';
  if (!(x instanceof Tensor)) throw new TypeError(`${op}: input must be a Tensor, got ${show(x)}`);
  x.assertAlive(op);
  // (PyTorch reads a 3-d input as [N, C, L], a 1-d resize: not an unbatched image.)
  if (x.rank !== 4) throw new RangeError(`${op}: expected input of shape [N, C, H, W], got ${fmt(x.shape)}`);
  if (!isFloat(x.dtype)) throw new TypeError(`${op}: expected a float input, got ${x.dtype}`);
  const mode = options.mode ?? 'nearest';
  if (mode !== 'nearest' && mode !== 'bilinear') throw new RangeError(`${op}: mode must be 'nearest' or 'bilinear', got ${show(mode)}`);
  const alignCorners = options.alignCorners ?? false;
  if (alignCorners && mode === 'nearest') throw new RangeError(`${op}: alignCorners applies to mode 'bilinear' only`);
  if ((options.size === undefined) === (options.scaleFactor === undefined)) {
    throw new TypeError(`${op}: give exactly one of size and scaleFactor`);
  }
  const plane = [x.shape[x.rank - 2] as number, x.shape[x.rank - 1] as number];
  const pair = (v: number | readonly number[]) => (typeof v === 'number' ? [v, v] : [...v]);
  let out: number[];
  let factors: (number | undefined)[] = [undefined, undefined];
  if (options.size !== undefined) {
    out = pair(options.size);
    if (out.length !== 2 || out.some((s) => !Number.isInteger(s) || s < 1))
      throw new RangeError(`${op}: size must be positive integers [h, w], got ${show(options.size)}`);
  } else {
    factors = pair(options.scaleFactor as number);
    if (factors.length !== 2 || factors.some((f) => typeof f !== 'number' || !(f > 0) || !Number.isFinite(f))) {
      throw new RangeError(`${op}: scaleFactor must be positive numbers, got ${show(options.scaleFactor)}`);
    }
    out = plane.map((n, d) => Math.floor(n * (factors[d] as number)));
    if (out.some((s) => s < 1)) throw new RangeError(`${op}: scaleFactor ${show(options.scaleFactor)} makes ${fmt(plane)} empty`);
  }
  const [h, w] = plane as [number, number];
  const [oh, ow] = out as [number, number];
  // With alignCorners, PyTorch's scale comes from the sizes even where a factor was given.
  const factor = (d: number) => (alignCorners ? undefined : factors[d]);
  return scoped(() => {
    const [rows, cols] = onBackend(x.backend, () => [
      fromValues(interpolationMatrix(h, oh, factor(0), mode, alignCorners, x.dtype), [oh, h], x.dtype, op),
      fromValues(interpolationMatrix(w, ow, factor(1), mode, alignCorners, x.dtype), [ow, w], x.dtype, op),
    ]);
    return matmul(matmul(rows, x), cols, { transposeB: true });
  });
}

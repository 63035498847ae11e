/**
 * In-place ops, PyTorch's trailing-underscore forms (`x.add_(y)`). Each computes the out-of-place
 * op on an alias of the tensor's current value and rebinds the tensor to the result: its values,
 * its place in the graph (PyTorch's history rebase: gradients flow through the in-place op to what
 * came before) and a bumped version, so a node that saved the old value refuses to use it at
 * backward. A buffer something else holds is never written, so the old value the graph needs stays
 * intact and views made before the op (reshape, detach) keep the old values (see storage.ts); a
 * buffer only the tensor holds is written in place by backends that accept it (donation.ts).
 */
import { aliasOf } from '../autograd/alias.js';
import { forwardAdActive, moveTangents } from '../autograd/forward-ad.js';
import { defineFunction } from '../autograd/function.js';
import { isGradEnabled, isInferenceMode } from '../autograd/grad-mode.js';
import { isFloat } from '../dtype.js';
import { onBackend } from '../registry.js';
import { beginScope, endScope } from '../scope.js';
import { fmt, shapesEqual, show } from '../shape.js';
import { Tensor, type TensorLike } from '../tensor.js';
import { type AlphaOptions, add, sub } from './add-scaled.js';
import { cast } from './cast.js';
import { clamp } from './clamp.js';
import { full, zerosLike } from './creation.js';
import { withDonation } from './donation.js';
import { div, mul, neg, pow } from './elementwise.js';
import { broadcastTo } from './shape-ops.js';
import { where } from './where.js';

/**
 * Replaces `target`'s value with `compute(current value)`, which must keep its shape and dtype.
 * `op` names the user's op in errors (`add_`). An op whose `compute` reads the current value
 * with exactly one kernel passes its other `operands`: then, when nothing records the op, the
 * kernel may write into the tensor's own buffer.
 */
export function inPlace(op: string, target: Tensor, compute: (current: Tensor) => Tensor, operands?: readonly unknown[]): Tensor {
  if (!(target instanceof Tensor)) throw new TypeError(`${op}: expected a Tensor to modify`);
  target.assertAlive(op);
  if (target.isInference && !isInferenceMode()) {
    throw new Error(
      `${op}: tensor #${target.id} (shape ${fmt(target.shape)}) was made inside inferenceMode and can't be modified in place outside it; clone it first`,
    );
  }
  if (isGradEnabled() && target.isLeaf && target.requiresGrad) {
    throw new Error(
      `${op}: tensor #${target.id} (shape ${fmt(target.shape)}) is a leaf that requires grad and can't be modified in place while gradients are recorded; ` +
        'wrap the update in noGrad(() => …), or modify a clone',
    );
  }
  const scope = beginScope();
  let result: Tensor;
  try {
    // The alias is what the op reads and saves: the tensor itself is about to change.
    const donate = operands !== undefined && mayDonate(target, operands);
    const current = aliasOf(target, true);
    result = onBackend(target.backend, donate ? () => withDonation(current, () => compute(current)) : () => compute(current));
    if (!shapesEqual(result.shape, target.shape) || result.dtype !== target.dtype) {
      throw new Error(
        `${op}: the result has shape ${fmt(result.shape)} and dtype ${result.dtype}, but the tensor modified in place has ${fmt(target.shape)} ${target.dtype}; ` +
          'an in-place op can broadcast its other operands, not the tensor itself, and keeps its dtype',
      );
    }
  } catch (err) {
    endScope(scope);
    throw namedFor(op, err);
  }
  rebind(target, result);
  endScope(scope);
  return target;
}

/**
 * `err` as the user's in-place op reports it: the out-of-place op it runs names itself (`add:`),
 * but the user called `add_`. Built-in error classes only, rebuilt with the same class and the
 * original as the cause; anything else passes through unchanged.
 */
function namedFor(op: string, err: unknown): unknown {
  const base = `${op.slice(0, -1)}:`;
  if (!(err instanceof Error) || !op.endsWith('_') || !err.message.startsWith(base)) return err;
  const Kind = [TypeError, RangeError, Error].find((k) => err.constructor === k);
  return Kind ? new Kind(`${op}:${err.message.slice(base.length)}`, { cause: err }) : err;
}

/**
 * Whether the old value may be overwritten: the tensor is its buffer's only holder (no views, no
 * saved tensors) and neither a graph node nor a forward-mode tangent will read it after the kernel.
 */
function mayDonate(target: Tensor, operands: readonly unknown[]): boolean {
  if (target.storage.refCount !== 1 || forwardAdActive()) return false;
  if (!isGradEnabled()) return true;
  if (target.requiresGrad) return false;
  for (const o of operands) if (o instanceof Tensor && o.requiresGrad) return false;
  return true;
}

/**
 * Moves `result`'s value onto `target` and bumps its version; while gradients are recorded, also
 * its place in the graph. Under noGrad the tensor keeps its place, as in PyTorch (the version
 * check protects what the graph saved).
 */
function rebind(target: Tensor, result: Tensor): void {
  result.storage.retain();
  target.storage.release();
  target.storage = result.storage;
  if (!target.isInference) target.version++;
  if (forwardAdActive()) moveTangents(result, target);
  if (!isGradEnabled()) return;
  const oldNode = target.gradFn;
  const retained = target.retainsGrad;
  if (oldNode && retained && oldNode.retainedOutputs.get(target.outputIndex) === target) oldNode.retainedOutputs.delete(target.outputIndex);
  result.gradFn?.retain();
  target.gradFn = result.gradFn;
  target.outputIndex = result.outputIndex;
  oldNode?.release();
  if (retained && target.gradFn) target.gradFn.retainedOutputs.set(target.outputIndex, target);
}

/** A constant of `current`'s shape whose gradient to `current` is zero: fill_ and zero_ keep the graph connected, as PyTorch's. */
const FillLike = defineFunction({
  name: 'Fill_',
  forward: (_ctx, current: Tensor, value: number) => full(current.shape, value, { dtype: current.dtype }),
  backward: (_ctx, dy: Tensor) => [zerosLike(dy), null],
  jvp: () => null,
});

/** `src` broadcast to `current`'s shape and cast to its dtype; the gradient goes to `src` (summed to its shape), none to the old value. */
const CopyInto = defineFunction({
  name: 'Copy_',
  forward: (ctx, current: Tensor, src: Tensor) => {
    ctx.dtype = current.dtype;
    ctx.shape = current.shape;
    const b = broadcastTo(src, current.shape);
    return b.dtype === current.dtype ? b.clone() : cast(b, current.dtype);
  },
  backward: (ctx, dy: Tensor) => [zerosLike(dy), ctx.needsInputGrad[1] ? dy : null],
  materializeGrads: false,
  jvp(ctx, _tCurrent, tSrc) {
    if (tSrc === null || !isFloat(ctx.dtype)) return null;
    const b = broadcastTo(tSrc, ctx.shape);
    return b.dtype === ctx.dtype ? b : cast(b, ctx.dtype);
  },
});

/** `x.add_(y)`: x += y in place (y broadcast to x's shape); with `alpha`, x += alpha·y (torch's add_). */
export const add_ = (x: Tensor, y: TensorLike, options?: AlphaOptions): Tensor => inPlace('add_', x, (c) => add(c, y, options), [y]);
/** `x.sub_(y)`: x -= y in place; with `alpha`, x -= alpha·y. */
export const sub_ = (x: Tensor, y: TensorLike, options?: AlphaOptions): Tensor => inPlace('sub_', x, (c) => sub(c, y, options), [y]);
/** `x.mul_(y)`: x *= y in place. */
export const mul_ = (x: Tensor, y: TensorLike): Tensor => inPlace('mul_', x, (c) => mul(c, y), [y]);
/** `x.div_(y)`: x /= y in place (x must be float: true division). */
export const div_ = (x: Tensor, y: TensorLike): Tensor => inPlace('div_', x, (c) => div(c, y), [y]);
/** `x.pow_(y)`: x **= y in place. */
export const pow_ = (x: Tensor, y: TensorLike): Tensor => inPlace('pow_', x, (c) => pow(c, y), [y]);
/** `x.neg_()`: x = -x in place. */
export const neg_ = (x: Tensor): Tensor => inPlace('neg_', x, (c) => neg(c), []);
/** `x.clamp_(min, max)`: clamp in place. */
export const clamp_ = (x: Tensor, min?: number | null, max?: number | null): Tensor => inPlace('clamp_', x, (c) => clamp(c, min, max), []);
/** `x.fill_(value)`: every element set to `value` in place; the gradient to the old value is zero. */
export const fill_ = (x: Tensor, value: number): Tensor => inPlace('fill_', x, (c) => FillLike(c, value));
/** `x.zero_()`: every element set to 0 in place. */
export const zero_ = (x: Tensor): Tensor => inPlace('zero_', x, (c) => FillLike(c, 0));
/** `x.copy_(src)`: x's values replaced by `src`'s (broadcast to x's shape, cast to x's dtype); the gradient flows to `src`. */
export const copy_ = (x: Tensor, src: Tensor): Tensor => {
  if (!(src instanceof Tensor)) throw new TypeError('copy_: the source must be a Tensor');
  src.assertAlive('copy_');
  return inPlace('copy_', x, (c) => CopyInto(c, src));
};

/** `x.maskedFill(mask, value)`: `value` where the bool `mask` (broadcast to x) is true, x elsewhere, as `torch.masked_fill`. */
export function maskedFill(x: Tensor, mask: Tensor, value: number | Tensor): Tensor {
  if (!(x instanceof Tensor)) throw new TypeError('maskedFill: expected a Tensor');
  x.assertAlive('maskedFill');
  if (typeof value !== 'number' && !(value instanceof Tensor)) {
    throw new TypeError(`maskedFill: the value must be a number or a 0-d tensor, got ${show(value)}`);
  }
  if (value instanceof Tensor && value.rank !== 0) {
    throw new Error(`maskedFill: the value must be a number or a 0-d tensor, got shape ${fmt(value.shape)}`);
  }
  // The value takes x's dtype, as PyTorch's: a bool mask filled with 0 stays bool.
  if (typeof value === 'number')
    return where(
      mask,
      onBackend(x.backend, () => full([], value, { dtype: x.dtype })),
      x,
    );
  return where(mask, value.dtype === x.dtype ? value : cast(value, x.dtype), x);
}

/** `x.maskedFill_(mask, value)`: maskedFill in place. */
export const maskedFill_ = (x: Tensor, mask: Tensor, value: number | Tensor): Tensor =>
  inPlace('maskedFill_', x, (c) => maskedFill(c, mask, value), [mask, value]);

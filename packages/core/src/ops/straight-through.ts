import { aliasOf } from '../autograd/alias.js';
import { defineFunction } from '../autograd/function.js';
import { fmt, shapesEqual, tryBroadcastShapes } from '../shape.js';
import { Tensor } from '../tensor.js';

const StraightThrough = defineFunction({
  name: 'StraightThrough',
  // The value is xForward's buffer itself, never xBackward + (xForward - xBackward), so an Inf or
  // NaN in xBackward cannot leak into it.
  forward: (_ctx, xForward: Tensor, _xBackward: Tensor) => aliasOf(xForward, false),
  // All of the gradient goes to xBackward, summed to its shape by the Function mechanism.
  backward: (_ctx, dy) => [null, dy],
  // Forward mode follows the same linearization: the tangent is xBackward's (broadcast), so jvp
  // and vjp agree as they do for the slow form xBackward + (xForward - xBackward).detach().
  jvp: (_ctx, _tForward, tBackward) => tBackward,
});

/**
 * The value of `xForward` with the gradient routed to `xBackward` (summed to its shape): the fast
 * form of `xBackward + (xForward - xBackward).detach()`.
 */
export function straightThrough(xForward: Tensor, xBackward: Tensor): Tensor {
  if (!(xForward instanceof Tensor) || !(xBackward instanceof Tensor))
    throw new TypeError('straightThrough: both arguments must be Tensors');
  xForward.assertAlive('straightThrough');
  xBackward.assertAlive('straightThrough');
  const b = tryBroadcastShapes(xBackward.shape, xForward.shape);
  if (b === null || !shapesEqual(b, xForward.shape)) {
    throw new Error(
      `straightThrough: xBackward's shape ${fmt(xBackward.shape)} does not broadcast to xForward's shape ${fmt(xForward.shape)}`,
    );
  }
  return StraightThrough(xForward, xBackward);
}

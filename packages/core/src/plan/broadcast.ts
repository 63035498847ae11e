import { broadcastStrides, type Shape, shapesEqual, sizeOf } from '../shape.js';
import { collapseDims, type IterationPlan } from './collapse.js';

/**
 * The walk of an elementwise kernel: the output shape with each operand's broadcast strides,
 * collapsed. Same-shape operands are one dim; a scalar operand has stride 0 everywhere; [N,K] +
 * [K] stays rows of K. The output itself is contiguous, so it never blocks a merge.
 */
export function planBroadcast(outShape: Shape, shapes: readonly Shape[]): IterationPlan {
  // The common case, every operand the output's shape: one dim, stride 1 each, without the walk.
  if (shapes.every((s) => shapesEqual(s, outShape))) {
    const size = sizeOf(outShape);
    return { size, dims: [size], strides: shapes.map(() => [1]) };
  }
  return collapseDims(
    outShape,
    shapes.map((s) => broadcastStrides(s, outShape)),
  );
}

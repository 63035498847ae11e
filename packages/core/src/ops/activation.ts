/**
 * Activations run as a kernel pair: `Activation` (forward kind) and `ActivationGrad` (derivative
 * kind, fused `dx = dy * g(saved)`), so a pass reads and writes each element once. Forward and
 * derivative kinds are independent: that is how a surrogate gradient is declared.
 */
import { type DifferentiableFunction, defineFunction } from '../autograd/function.js';
import { isGradEnabled } from '../autograd/grad-mode.js';
import { isFloat } from '../dtype.js';
import { scoped } from '../scope.js';
import type { Tensor } from '../tensor.js';
import { cast } from './cast.js';
import { runKernel } from './dispatch.js';

export type ActivationParams = Record<string, number>;

export interface ActivationSpec {
  /** Function name, shown in errors. */
  name: string;
  /** `Activation` kernel kind for the forward pass. */
  forward: string;
  /** `ActivationGrad` kernel kind for the backward pass. */
  derivative: string;
  /** What the derivative is computed from: the input or the output. */
  saves: 'x' | 'y';
  /**
   * The derivative as differentiable tensor ops on the saved tensor; used instead of the fused
   * kernel when the backward pass is itself recorded (createGraph), so higher derivatives work.
   */
  derivativeOps(saved: Tensor, params: ActivationParams): Tensor;
}

/** Builds the differentiable function for one activation spec. */
export function defineActivation(spec: ActivationSpec): DifferentiableFunction<[Tensor, ActivationParams], Tensor> {
  const fn = defineFunction({
    name: spec.name,
    forward(ctx, x: Tensor, params: ActivationParams) {
      const y = runKernel('Activation', [x], { kind: spec.forward, params });
      ctx.saveForBackward(spec.saves === 'x' ? x : y);
      ctx.params = params;
      return y;
    },
    backward(ctx, dy) {
      const [saved] = ctx.savedTensors as [Tensor];
      const dx = isGradEnabled()
        ? dy.mul(spec.derivativeOps(saved, ctx.params))
        : runKernel('ActivationGrad', [dy, saved], { kind: spec.derivative, params: ctx.params });
      return [dx, null];
    },
  });
  return fn;
}

/** Calls an activation on float input (int and bool inputs compute in float32). */
export function applyActivation(fn: (x: Tensor, p: ActivationParams) => Tensor, op: string, x: Tensor, params: ActivationParams): Tensor {
  x.assertAlive(op);
  for (const [k, v] of Object.entries(params)) {
    if (typeof v !== 'number' || Number.isNaN(v)) throw new TypeError(`${op}: option ${k} must be a number, got ${String(v)}`);
  }
  return isFloat(x.dtype) ? fn(x, params) : scoped(() => fn(cast(x, 'float32'), params));
}

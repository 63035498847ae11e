/**
 * One differentiable Function per activation: the forward kind runs as one `Activation` kernel
 * (which also packs the sign mask when the derivative needs only that), the derivative as one
 * fused `ActivationGrad` kernel, dx = dy · g(saved). Each pass reads and writes each element once.
 */

import { carriesTangents } from '../autograd/forward-ad.js';
import { type DifferentiableFunction, defineFunction } from '../autograd/function.js';
import { isGradEnabled } from '../autograd/grad-mode.js';
import { isFloat } from '../dtype.js';
import { cast } from '../ops/cast.js';
import { onesLike } from '../ops/creation.js';
import { runKernel } from '../ops/dispatch.js';
import { scoped } from '../scope.js';
import type { Tensor } from '../tensor.js';
import { derivativeKind, forwardKind } from './kinds.js';
import { evalExprTensor } from './tensor-eval.js';

/** An activation's numeric parameters by name (e.g. `{ slope: 0.01 }`), the variables its expressions read besides x, y and m. */
export type ActivationParams = Readonly<Record<string, number>>;

/** Which registered kinds {@link defineActivationFunction} joins: a forward kind for the value and a derivative kind for the gradient. */
export interface ActivationPair {
  /** Function name, shown in errors. */
  name: string;
  /** Name of a registered forward kind (see listForwardKinds). */
  forward: string;
  /** Name of a registered derivative kind (see listDerivativeKinds). */
  derivative: string;
}

/** Builds the differentiable function pairing a forward kind with a derivative kind. */
export function defineActivationFunction(pair: ActivationPair): DifferentiableFunction<[Tensor, ActivationParams], Tensor> {
  const fwd = forwardKind(pair.forward);
  const der = derivativeKind(pair.derivative);
  return defineFunction({
    name: pair.name,
    forward(ctx, x: Tensor, params: ActivationParams) {
      ctx.params = params;
      // Inference (no gradient needed) skips the mask entirely.
      if (der.from === 'mask' && (ctx.needsInputGrad[0] || ctx.needsInputTangent[0])) {
        const [y, mask] = runKernel<Tensor[]>('Activation', [x], {
          kind: fwd.name,
          params,
          mask: der.name,
          forwardKind: fwd,
          maskKind: der,
        }) as [Tensor, Tensor];
        ctx.saveForBackward(mask);
        return y;
      }
      const y = runKernel('Activation', [x], { kind: fwd.name, params, forwardKind: fwd });
      if (der.from === 'x') ctx.saveForBackward(x);
      else if (der.from === 'y') ctx.saveForBackward(y);
      return y;
    },
    backward(ctx, dy) {
      const params: ActivationParams = ctx.params;
      if (der.from === 'none') return [dy.mul(evalExprTensor(der.expr, params) as number), null];
      const [saved] = ctx.savedTensors as [Tensor];
      if (!isGradEnabled() && !carriesTangents(dy, saved))
        return [runKernel<Tensor>('ActivationGrad', [dy, saved], { kind: der.name, params, derivativeKind: der }), null];
      // Recording the backward (createGraph), or carrying tangents (forward over reverse): build g
      // from differentiable ops so higher derivatives exist. A mask-based g is piecewise constant (its own derivative is 0): the kernel gives it.
      const g =
        der.from === 'mask'
          ? runKernel<Tensor>('ActivationGrad', [onesLike(dy), saved], { kind: der.name, params, derivativeKind: der })
          : evalExprTensor(der.expr, { ...params, [der.from]: saved });
      return [dy.mul(g), null];
    },
    // The Jacobian is diagonal: the tangent is t · g, with g the same derivative kind backward
    // uses. For a surrogate that is the surrogate derivative, not the forward's (zero) one, so
    // jvp and vjp describe one linearization and jacfwd equals jacrev.
    jvp(ctx, t) {
      const params: ActivationParams = ctx.params;
      const dt = t as Tensor;
      if (der.from === 'none') return dt.mul(evalExprTensor(der.expr, params) as number);
      const [saved] = ctx.savedTensors as [Tensor];
      if (!isGradEnabled() && !carriesTangents(dt, saved))
        return runKernel<Tensor>('ActivationGrad', [dt, saved], { kind: der.name, params, derivativeKind: der });
      const g =
        der.from === 'mask'
          ? runKernel<Tensor>('ActivationGrad', [onesLike(dt), saved], { kind: der.name, params, derivativeKind: der })
          : evalExprTensor(der.expr, { ...params, [der.from]: saved });
      return dt.mul(g);
    },
  });
}

/** Runs an activation on float input with validated parameters (int and bool inputs compute in float32). */
export function applyActivation(
  fn: (x: Tensor, p: ActivationParams) => Tensor,
  op: string,
  x: Tensor,
  params: ActivationParams,
  required: readonly string[],
): Tensor {
  if (!x || typeof (x as Tensor).assertAlive !== 'function') throw new TypeError(`${op}: expected a Tensor`);
  x.assertAlive(op);
  for (const name of required) {
    const v = params[name];
    if (typeof v !== 'number' || Number.isNaN(v)) throw new TypeError(`${op}: option '${name}' must be a number, got ${String(v)}`);
  }
  return isFloat(x.dtype) ? fn(x, params) : scoped(() => fn(cast(x, 'float32'), params));
}

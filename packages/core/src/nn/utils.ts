/** `nn.utils`: gradient clipping, as `torch.nn.utils.clip_grad_norm_` and `clip_grad_value_`. */
import { noGrad } from '../autograd/grad-mode.js';
import { zeros } from '../ops/creation.js';
import { stack } from '../ops/shape-ops.js';
import { scoped } from '../scope.js';
import { show } from '../shape.js';
import { Tensor } from '../tensor.js';

function gradsOf(op: string, parameters: Iterable<Tensor> | Tensor): Tensor[] {
  const params = parameters instanceof Tensor ? [parameters] : [...parameters];
  params.forEach((p, i) => {
    if (!(p instanceof Tensor)) throw new TypeError(`${op}: parameter ${i} is not a Tensor, got ${show(p)}`);
    p.assertAlive(op);
  });
  return params.filter((p) => p.grad !== null).map((p) => p.grad as Tensor);
}

/**
 * Scales the gradients in place so that their total `normType`-norm (as one vector) is at most
 * maxNorm, and returns that total norm before clipping (a scalar tensor). With errorIfNonfinite,
 * a NaN or infinite total norm is an error (read back synchronously: not on webgpu).
 */
export function clipGradNorm_(
  parameters: Iterable<Tensor> | Tensor,
  maxNorm: number,
  normType = 2,
  options: { errorIfNonfinite?: boolean } = {},
): Tensor {
  if (typeof maxNorm !== 'number' || !(maxNorm >= 0))
    throw new RangeError(`clipGradNorm_: maxNorm must be a number ≥ 0, got ${show(maxNorm)}`);
  if (typeof normType !== 'number' || !(normType > 0))
    throw new RangeError(`clipGradNorm_: normType must be a positive number or Infinity, got ${show(normType)}`);
  const grads = gradsOf('clipGradNorm_', parameters);
  return noGrad(() =>
    scoped(() => {
      if (grads.length === 0) return zeros([]);
      const norms = grads.map((g) => g.norm(normType));
      const total = norms.length === 1 ? (norms[0] as Tensor) : stack(norms).norm(normType);
      if (options.errorIfNonfinite) {
        const v = total.dataSync()[0] as number;
        if (!Number.isFinite(v)) {
          throw new Error(`clipGradNorm_: the total norm of the gradients is ${v}; pass errorIfNonfinite: false to clip anyway`);
        }
      }
      // min(1, maxNorm / (total + 1e-6)), as PyTorch.
      const coef = total.add(1e-6).reciprocal().mul(maxNorm).clamp(undefined, 1);
      for (const g of grads) g.assign(g.mul(coef));
      return total;
    }),
  );
}

/** Clamps every gradient entry to [−clipValue, clipValue] in place. */
export function clipGradValue_(parameters: Iterable<Tensor> | Tensor, clipValue: number): void {
  if (typeof clipValue !== 'number' || !(clipValue >= 0))
    throw new RangeError(`clipGradValue_: clipValue must be a number ≥ 0, got ${show(clipValue)}`);
  const grads = gradsOf('clipGradValue_', parameters);
  noGrad(() => {
    for (const g of grads) {
      const clamped = g.clamp(-clipValue, clipValue);
      g.assign(clamped);
      clamped.dispose();
    }
  });
}

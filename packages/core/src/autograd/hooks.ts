/**
 * Tensor hooks, as PyTorch's `register_hook` and `register_post_accumulate_grad_hook`: a hook sees
 * a tensor's whole gradient of one backward pass (all contributions summed) before it flows on,
 * and may return a replacement. Hooks on a non-leaf live on the node that made it (by output
 * index), so they run wherever its gradient is complete; hooks on a leaf run before the gradient is
 * accumulated into `.grad` (or returned by `gradients()`).
 */
import { fmt, shapesEqual } from '../shape.js';
import { Tensor } from '../tensor.js';
import type { GradHook, HookList } from './hook-list.js';

/** Applies `hooks` in order to `grad` (the gradient of `owner`), checking what each returns; disposes replaced gradients. */
export function runGradHooks(hooks: HookList<GradHook>, grad: Tensor, owner: string): Tensor {
  let g = grad;
  for (const hook of hooks.list()) {
    const r = hook(g);
    if (r === undefined || r === null || r === g) continue;
    if (!(r instanceof Tensor))
      throw new TypeError(`registerHook: the hook on ${owner} returned ${typeof r}; expected a Tensor or nothing`);
    r.assertAlive('registerHook');
    if (!shapesEqual(r.shape, g.shape) || r.dtype !== g.dtype || r.backend !== g.backend) {
      throw new Error(
        `registerHook: the hook on ${owner} returned a gradient of shape ${fmt(r.shape)} ${r.dtype}, expected ${fmt(g.shape)} ${g.dtype} on '${g.backend.name}' like the gradient it was given`,
      );
    }
    if (g !== grad) g.dispose();
    g = r;
  }
  return g;
}

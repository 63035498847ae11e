import type { RemovableHandle } from '../autograd/hook-list.js';
import { Tensor } from '../tensor.js';
import { type ForwardHook, type ForwardPreHook, type FullBackwardHook, forwardWithHooks, ModuleHooks } from './module-hooks.js';

/**
 * A layer or model: owns parameters (leaf tensors that require grad) and submodules, found by
 * walking its fields, as PyTorch's nn.Module registers attributes.
 */
export abstract class Module {
  /** Training mode (true) or evaluation mode (false), set by `train()`/`eval()`; layers whose behaviour differs read it. */
  training = true;
  private moduleHooks: ModuleHooks | null = null;

  constructor() {
    // forward is called directly (there is no __call__): wrap the subclass's forward once, so the
    // hooks run around every call and cost one check when there are none.
    const forward = this.forward;
    Object.defineProperty(this, 'forward', {
      value: (x: Tensor): Tensor => {
        const hooks = this.moduleHooks;
        return hooks === null || hooks.empty ? forward.call(this, x) : forwardWithHooks(this, hooks, (t) => forward.call(this, t), x);
      },
      writable: true,
      configurable: true,
      enumerable: false,
    });
  }

  /** Computes the module's output for input `x`. */
  abstract forward(x: Tensor): Tensor;

  private hooks(): ModuleHooks {
    this.moduleHooks ??= new ModuleHooks();
    return this.moduleHooks;
  }

  /** Registers `hook(module, [input])` to run before forward; it may return replacement inputs (PyTorch's `register_forward_pre_hook`). */
  registerForwardPreHook(hook: ForwardPreHook<this>): RemovableHandle {
    if (typeof hook !== 'function') throw new TypeError('registerForwardPreHook: expected a function');
    return this.hooks().pre.add(hook as ForwardPreHook);
  }

  /**
   * Registers `hook(module, [input], output)` to run after forward; it may return a replacement
   * output (PyTorch's `register_forward_hook`). The way to record activations, e.g. for sparsity.
   */
  registerForwardHook(hook: ForwardHook<this>): RemovableHandle {
    if (typeof hook !== 'function') throw new TypeError('registerForwardHook: expected a function');
    return this.hooks().post.add(hook as ForwardHook);
  }

  /**
   * Registers `hook(module, [gradInput], [gradOutput])` to run when the gradient of the module's
   * input is computed (PyTorch's `register_full_backward_hook`); it may return `[replacement]`.
   * gradInput is `[null]` when the input needs no gradient (the hook then runs with the output's).
   */
  registerFullBackwardHook(hook: FullBackwardHook<this>): RemovableHandle {
    if (typeof hook !== 'function') throw new TypeError('registerFullBackwardHook: expected a function');
    return this.hooks().backward.add(hook as FullBackwardHook);
  }

  /** Every parameter of this module and its submodules, each once, in field order. */
  parameters(): Tensor[] {
    const out = new Set<Tensor>();
    const visit = (v: unknown) => {
      if (v instanceof Tensor) {
        if (v.requiresGrad && v.isLeaf) out.add(v);
      } else if (v instanceof Module) {
        for (const p of v.parameters()) out.add(p);
      } else if (Array.isArray(v)) v.forEach(visit);
    };
    for (const v of Object.values(this)) visit(v);
    return [...out];
  }

  /** Named parameters, for saving and loading weights ("0.weight", "layers.1.bias", …). */
  namedParameters(prefix = ''): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    const visit = (name: string, v: unknown) => {
      if (v instanceof Tensor) {
        if (v.requiresGrad && v.isLeaf) out.push([name, v]);
      } else if (v instanceof Module) out.push(...v.namedParameters(`${name}.`));
      else if (Array.isArray(v)) {
        for (let i = 0; i < v.length; i++) visit(`${name}.${i}`, v[i]);
      }
    };
    for (const [k, v] of Object.entries(this)) visit(`${prefix}${k}`, v);
    return out;
  }

  /** Sets training mode on this module and every submodule (PyTorch's `train`); returns this for chaining. */
  train(mode = true): this {
    this.training = mode;
    for (const v of Object.values(this)) {
      if (v instanceof Module) v.train(mode);
      else if (Array.isArray(v)) for (const m of v) if (m instanceof Module) m.train(mode);
    }
    return this;
  }

  /** Sets evaluation mode on this module and every submodule, as `train(false)`; returns this. */
  eval(): this {
    return this.train(false);
  }

  /** Sets every parameter's `.grad` to null. */
  zeroGrad(): void {
    for (const p of this.parameters()) p.grad = null;
  }

  /** Frees the parameters. */
  dispose(): void {
    for (const p of this.parameters()) p.dispose();
  }
}

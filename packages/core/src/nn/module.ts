import type { RemovableHandle } from '../autograd/hook-list.js';
import { Tensor } from '../tensor.js';
import { type LoadStateDictResult, loadInto } from './load-state-dict.js';
import { type ForwardHook, type ForwardPreHook, type FullBackwardHook, forwardWithHooks, ModuleHooks } from './module-hooks.js';

/** A module of any forward signature: what walks over submodules see. */
// biome-ignore lint/suspicious/noExplicitAny: any module, whatever its forward takes and returns
export type AnyModule = Module<any, any>;

/**
 * A layer or model: owns parameters (leaf tensors that require grad) and submodules, found by
 * walking its fields, as PyTorch's nn.Module registers attributes. `In` and `Out` are its
 * forward's arguments and result: one tensor each for layers; a spiking neuron takes its input and
 * membrane and returns its spikes and membrane.
 */
export abstract class Module<In extends unknown[] = [Tensor], Out = Tensor> {
  /** Training mode (true) or evaluation mode (false), set by `train()`/`eval()`; layers whose behaviour differs read it. */
  training = true;
  private moduleHooks: ModuleHooks | null = null;

  constructor() {
    // forward is called directly (there is no __call__): wrap the subclass's forward once, so the
    // hooks run around every call and cost one check when there are none.
    const forward = this.forward;
    Object.defineProperty(this, 'forward', {
      value: (...args: In): Out => {
        const hooks = this.moduleHooks;
        if (hooks === null || hooks.empty) return forward.apply(this, args);
        return forwardWithHooks(this, hooks, (...a) => forward.apply(this, a as In), args) as Out;
      },
      writable: true,
      configurable: true,
      enumerable: false,
    });
  }

  /** Computes the module's output for its inputs (for a layer, one tensor `x`). */
  abstract forward(...inputs: In): Out;

  private hooks(): ModuleHooks {
    this.moduleHooks ??= new ModuleHooks();
    return this.moduleHooks;
  }

  /** Registers `hook(module, [input])` to run before forward; it may return replacement inputs (PyTorch's `register_forward_pre_hook`). */
  registerForwardPreHook(hook: ForwardPreHook<this, In>): RemovableHandle {
    if (typeof hook !== 'function') throw new TypeError('registerForwardPreHook: expected a function');
    return this.hooks().pre.add(hook as unknown as ForwardPreHook<AnyModule, unknown[]>);
  }

  /**
   * Registers `hook(module, [input], output)` to run after forward; it may return a replacement
   * output (PyTorch's `register_forward_hook`). The way to record activations, e.g. for sparsity.
   */
  registerForwardHook(hook: ForwardHook<this, In, Out>): RemovableHandle {
    if (typeof hook !== 'function') throw new TypeError('registerForwardHook: expected a function');
    return this.hooks().post.add(hook as unknown as ForwardHook<AnyModule, unknown[], unknown>);
  }

  /**
   * Registers `hook(module, [gradInput], [gradOutput])` to run when the gradient of the module's
   * input is computed (PyTorch's `register_full_backward_hook`); it may return `[replacement]`.
   * gradInput is `[null]` when the input needs no gradient (the hook then runs with the output's).
   */
  registerFullBackwardHook(hook: FullBackwardHook<this>): RemovableHandle {
    if (typeof hook !== 'function') throw new TypeError('registerFullBackwardHook: expected a function');
    return this.hooks().backward.add(hook as unknown as FullBackwardHook<AnyModule>);
  }

  /**
   * This module's named members, as PyTorch names them: its fields, an array field's items as
   * `field.i`. Containers that hold their children in a collection (Sequential, ModuleList,
   * ModuleDict) override it to name them `0`, `1`, … or by key.
   */
  protected namedMembers(): [string, unknown][] {
    const out: [string, unknown][] = [];
    for (const [k, v] of Object.entries(this)) {
      if (Array.isArray(v)) v.forEach((item, i) => void out.push([`${k}.${i}`, item]));
      else out.push([k, v]);
    }
    return out;
  }

  /**
   * Makes `tensor` a buffer named `name`: state that is not a parameter (batch norm's running
   * statistics), saved in `stateDict` unless `persistent` is false, as PyTorch's `register_buffer`.
   * The tensor becomes the field `name`; later assignments to the field keep it a buffer.
   */
  registerBuffer(name: string, tensor: Tensor | null, persistent = true): void {
    if (typeof name !== 'string' || name === '' || name.includes('.')) {
      throw new TypeError(`registerBuffer: name must be a non-empty string without '.', got ${JSON.stringify(name)}`);
    }
    if (tensor !== null && !(tensor instanceof Tensor)) throw new TypeError(`registerBuffer: '${name}' must be a Tensor or null`);
    bufferNames(this).set(name, persistent);
    (this as unknown as Record<string, unknown>)[name] = tensor;
  }

  /** Direct submodules with their names (PyTorch's `named_children`). */
  namedChildren(): [string, AnyModule][] {
    const seen = new Set<AnyModule>();
    const out: [string, AnyModule][] = [];
    for (const [name, v] of this.namedMembers()) {
      if (v instanceof Module && !seen.has(v)) {
        seen.add(v);
        out.push([name, v]);
      }
    }
    return out;
  }

  /** Direct submodules (PyTorch's `children`). */
  children(): AnyModule[] {
    return this.namedChildren().map(([, m]) => m);
  }

  /** This module (named `prefix`, '' by default) and every submodule, depth first, each once (PyTorch's `named_modules`). */
  namedModules(prefix = ''): [string, AnyModule][] {
    const seen = new Set<AnyModule>();
    const out: [string, AnyModule][] = [];
    const visit = (name: string, m: AnyModule) => {
      if (seen.has(m)) return;
      seen.add(m);
      out.push([name, m]);
      for (const [child, c] of m.namedChildren()) visit(name === '' ? child : `${name}.${child}`, c);
    };
    visit(prefix, this);
    return out;
  }

  /** This module and every submodule (PyTorch's `modules`). */
  modules(): AnyModule[] {
    return this.namedModules().map(([, m]) => m);
  }

  /** Calls `fn` on every submodule, then on this module (PyTorch's `apply`, e.g. to initialize weights); returns this. */
  apply(fn: (module: AnyModule) => void): this {
    for (const child of this.children()) child.apply(fn);
    fn(this);
    return this;
  }

  /** Tensors of this module alone (not its submodules) that `keep` accepts, by member name. */
  private ownTensors(keep: (name: string, t: Tensor) => boolean): [string, Tensor][] {
    return this.namedMembers().filter((e): e is [string, Tensor] => e[1] instanceof Tensor && keep(e[0], e[1]));
  }

  private isParameter(name: string, t: Tensor): boolean {
    return t.requiresGrad && t.isLeaf && !bufferNames(this).has(name);
  }

  /** Named parameters ('0.weight', 'features.3.bias', …: PyTorch's names), each once, in field order. */
  namedParameters(prefix = ''): [string, Tensor][] {
    return this.collect(prefix, (m, name, t) => m.isParameter(name, t));
  }

  /** Every parameter of this module and its submodules, each once, in field order. */
  parameters(): Tensor[] {
    return this.namedParameters().map(([, t]) => t);
  }

  /** Named buffers (`bn1.running_mean`, …), each once (PyTorch's `named_buffers`). */
  namedBuffers(prefix = ''): [string, Tensor][] {
    return this.collect(prefix, (m, name) => bufferNames(m).has(name));
  }

  /** Every buffer of this module and its submodules. */
  buffers(): Tensor[] {
    return this.namedBuffers().map(([, t]) => t);
  }

  private collect(prefix: string, keep: (m: AnyModule, name: string, t: Tensor) => boolean): [string, Tensor][] {
    const seen = new Set<Tensor>();
    const out: [string, Tensor][] = [];
    for (const [path, m] of this.namedModules()) {
      for (const [name, t] of m.ownTensors((n, t) => keep(m, n, t))) {
        if (seen.has(t)) continue;
        seen.add(t);
        out.push([`${prefix}${path === '' ? '' : `${path}.`}${name}`, t]);
      }
    }
    return out;
  }

  /**
   * The parameters and persistent buffers by PyTorch's names (`features.0.weight`,
   * `bn1.running_mean`, `bn1.num_batches_tracked`): the module's own tensors, not copies, so
   * don't dispose them. Save it with `saveSafetensors`.
   */
  stateDict(): Record<string, Tensor> {
    const out: Record<string, Tensor> = {};
    for (const [path, m] of this.namedModules()) {
      const persistent = bufferNames(m);
      for (const [name, t] of m.ownTensors((n, t) => m.isParameter(n, t) || persistent.get(n) === true)) {
        out[path === '' ? name : `${path}.${name}`] = t;
      }
    }
    return out;
  }

  /**
   * Copies `stateDict`'s values into this module's parameters and buffers, matched by name. With
   * `strict` (the default) its keys must be exactly those of `stateDict()`; otherwise missing and
   * unexpected keys are returned, as PyTorch's. Every entry is checked (shapes, dtypes) before
   * any value is copied, so a failed load changes nothing.
   */
  loadStateDict(stateDict: Readonly<Record<string, Tensor>>, options: { strict?: boolean } = {}): LoadStateDictResult {
    return loadInto(this.stateDict(), stateDict, options.strict ?? true);
  }
  /** Sets training mode on this module and every submodule (PyTorch's `train`); returns this for chaining. */
  train(mode = true): this {
    for (const m of this.modules()) m.training = mode;
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

  /** Frees the parameters and buffers. */
  dispose(): void {
    for (const t of [...this.parameters(), ...this.buffers()]) if (!t.isDisposed) t.dispose();
  }
}

const BUFFERS = new WeakMap<AnyModule, Map<string, boolean>>();

/** A module's buffer names, each with whether it is persistent (kept outside the module's fields, so walks never see it). */
function bufferNames(m: AnyModule): Map<string, boolean> {
  let names = BUFFERS.get(m);
  if (!names) BUFFERS.set(m, (names = new Map()));
  return names;
}

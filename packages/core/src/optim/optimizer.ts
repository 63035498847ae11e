import { noGrad } from '../autograd/grad-mode.js';
import { beginScope, endScope, untrack } from '../scope.js';
import { Tensor } from '../tensor.js';

/**
 * Base of the optimizers: updates each parameter in place (`assign`, which bumps its version so a
 * graph that saved the old value refuses to use it) and keeps per-parameter state outside any tidy.
 */
export abstract class Optimizer {
  /** The parameters it updates: leaf tensors that require grad, in the order given. */
  readonly params: Tensor[];
  /** Per-parameter state tensors (momentum buffers, moment estimates), kept alive across steps. */
  protected readonly state = new Map<Tensor, Record<string, Tensor>>();
  /** Number of `step()` calls so far (Adam's bias corrections use it). */
  stepCount = 0;

  constructor(
    params: Iterable<Tensor>,
    /** Optimizer name, shown in errors. */
    readonly name: string,
  ) {
    this.params = [...params];
    this.params.forEach((p, i) => {
      if (!(p instanceof Tensor)) throw new TypeError(`${name}: parameter ${i} is not a Tensor`);
      if (!p.requiresGrad || !p.isLeaf)
        throw new Error(`${name}: parameter ${i} (shape [${p.shape.join(', ')}]) must be a leaf tensor that requires grad`);
    });
    if (this.params.length === 0) throw new Error(`${name}: got an empty parameter list`);
  }

  /** Applies one update to every parameter that has a gradient. */
  step(): void {
    this.stepCount++;
    noGrad(() => {
      for (const p of this.params) {
        if (p.isDisposed || p.grad === null) continue;
        const scope = beginScope();
        try {
          const next = this.update(p, p.grad, this.stateOf(p));
          p.assign(next);
        } finally {
          endScope(scope);
        }
      }
    });
  }

  /** Sets every parameter's gradient to null (freeing it). */
  zeroGrad(): void {
    for (const p of this.params) if (!p.isDisposed) p.grad = null;
  }

  /** Frees the optimizer's state. */
  dispose(): void {
    for (const s of this.state.values()) for (const t of Object.values(s)) t.dispose();
    this.state.clear();
  }

  /** The new value of p; may replace entries of `state` via setState. */
  protected abstract update(p: Tensor, grad: Tensor, state: Record<string, Tensor>): Tensor;

  /** The state record of parameter `p`, created empty on first use. */
  protected stateOf(p: Tensor): Record<string, Tensor> {
    let s = this.state.get(p);
    if (!s) this.state.set(p, (s = {}));
    return s;
  }

  /** Stores a state tensor so it outlives the step's scope (and any tidy), freeing the one it replaces. */
  protected setState(state: Record<string, Tensor>, key: string, value: Tensor): Tensor {
    const old = state[key];
    untrack(value);
    state[key] = value;
    if (old && old !== value) old.dispose();
    return value;
  }
}

export function checkHyper(name: string, key: string, v: number, min = 0): void {
  if (typeof v !== 'number' || !(v >= min) || !Number.isFinite(v))
    throw new RangeError(`${name}: ${key} must be a finite number ≥ ${min}, got ${v}`);
}

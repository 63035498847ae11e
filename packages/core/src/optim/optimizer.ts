import { noGrad } from '../autograd/grad-mode.js';
import { beginScope, endScope, untrack } from '../scope.js';
import { fmt } from '../shape.js';
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
    if (params === null || typeof params !== 'object' || typeof (params as Iterable<Tensor>)[Symbol.iterator] !== 'function') {
      throw new TypeError(`${name}: expected an iterable of parameters (e.g. model.parameters()), got ${typeof params}`);
    }
    this.params = [...params];
    const seen = new Map<Tensor, number>();
    this.params.forEach((p, i) => {
      if (!(p instanceof Tensor)) throw new TypeError(`${name}: parameter ${i} is not a Tensor`);
      if (p.isDisposed) throw new Error(`${name}: parameter ${i} (tensor #${p.id}, shape ${fmt(p.shape)}) was disposed`);
      if (!p.requiresGrad || !p.isLeaf)
        throw new Error(`${name}: parameter ${i} (shape ${fmt(p.shape)}) must be a leaf tensor that requires grad`);
      const first = seen.get(p);
      if (first !== undefined) {
        throw new Error(
          `${name}: parameter ${i} (tensor #${p.id}, shape ${fmt(p.shape)}) appears twice, also as parameter ${first}; it would be stepped twice per step(), so pass each parameter once`,
        );
      }
      seen.set(p, i);
    });
    if (this.params.length === 0) throw new Error(`${name}: got an empty parameter list`);
  }

  /**
   * Applies one update to every parameter that has a gradient, all or nothing: every parameter
   * and gradient is checked first, and the new values are computed before any is assigned, so a
   * failure leaves the parameters, the state and `stepCount` as they were.
   */
  step(): void {
    this.validate();
    const updates: { p: Tensor; next: Tensor }[] = [];
    const stateBefore = new Map([...this.state].map(([p, s]) => [p, { ...s }]));
    const scope = beginScope();
    try {
      this.stepCount++;
      noGrad(() => {
        for (const p of this.params) {
          if (p.grad === null) continue;
          updates.push({ p, next: this.update(p, p.grad, this.stateOf(p)) });
        }
      });
    } catch (err) {
      this.stepCount--;
      this.restoreState(stateBefore);
      endScope(scope);
      throw err;
    }
    noGrad(() => {
      for (const { p, next } of updates) p.assign(next);
    });
    this.commitState(stateBefore);
    endScope(scope);
  }

  /** Every parameter alive, every gradient live, of its parameter's shape, dtype and backend. */
  private validate(): void {
    this.params.forEach((p, i) => {
      if (p.isDisposed) {
        throw new Error(
          `${this.name}.step: parameter ${i} (tensor #${p.id}, shape ${fmt(p.shape)}) was disposed; make a new optimizer for the live parameters`,
        );
      }
      const g = p.grad;
      if (g === null) return;
      g.assertAlive(`${this.name}.step: the gradient of parameter ${i}`);
      if (g.backend !== p.backend) {
        throw new Error(
          `${this.name}.step: the gradient of parameter ${i} ${fmt(p.shape)} is on backend '${g.backend.name}', but the parameter is on '${p.backend.name}'`,
        );
      }
    });
  }

  /** Puts back the state records as they were before a failed step, freeing what it made. */
  private restoreState(before: Map<Tensor, Record<string, Tensor>>): void {
    for (const [p, s] of this.state) {
      const old = before.get(p) ?? {};
      for (const [k, t] of Object.entries(s)) if (old[k] !== t) t.dispose();
      if (before.has(p)) this.state.set(p, old);
      else this.state.delete(p);
    }
  }

  /** After a successful step: frees the state tensors the step replaced. */
  private commitState(before: Map<Tensor, Record<string, Tensor>>): void {
    for (const [p, old] of before) {
      const now = this.state.get(p) ?? {};
      for (const [k, t] of Object.entries(old)) if (now[k] !== t) t.dispose();
    }
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

  /**
   * Stores a state tensor so it outlives the step's scope (and any tidy). The one it replaces is
   * freed when the step succeeds (and kept if it fails, so a failed step changes nothing).
   */
  protected setState(state: Record<string, Tensor>, key: string, value: Tensor): Tensor {
    untrack(value);
    state[key] = value;
    return value;
  }
}

export function checkHyper(name: string, key: string, v: number, min = 0): void {
  if (typeof v !== 'number' || !(v >= min) || !Number.isFinite(v))
    throw new RangeError(`${name}: ${key} must be a finite number ≥ ${min}, got ${v}`);
}

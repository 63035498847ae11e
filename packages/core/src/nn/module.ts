import { Tensor } from '../tensor.js';

/**
 * A layer or model: owns parameters (leaf tensors that require grad) and submodules, found by
 * walking its fields, as PyTorch's nn.Module registers attributes.
 */
export abstract class Module {
  /** Training mode (true) or evaluation mode (false), set by `train()`/`eval()`; layers whose behaviour differs read it. */
  training = true;

  /** Computes the module's output for input `x`. */
  abstract forward(x: Tensor): Tensor;

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

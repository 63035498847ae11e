/**
 * Checks analytical gradients against central differences, as torch.autograd.gradcheck: use
 * float64 inputs (cpu) and PyTorch's default tolerances.
 */
import { allocArray, type TypedArray } from '../dtype.js';
import { fromValues } from '../ops/creation.js';
import { Generator } from '../random.js';
import { beginScope, endScope } from '../scope.js';
import { fmt } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { gradients } from './backward.js';
import { enableGrad, noGrad } from './grad-mode.js';
import { jvp } from './jvp.js';

/** Tolerances of {@link gradcheck}, with PyTorch's defaults. */
export interface GradcheckOptions {
  /** Finite-difference step (default 1e-6). */
  eps?: number;
  /** Absolute tolerance (default 1e-5). */
  atol?: number;
  /** Relative tolerance (default 1e-3). */
  rtol?: number;
  /** Throw with the details on failure (default) rather than return false. */
  raiseException?: boolean;
  /**
   * Also check forward mode: each Jacobian column by `jvp` against the same central differences
   * (PyTorch's `check_forward_ad`; default false, as there). Every op in fn then needs a jvp rule.
   */
  checkForwardAd?: boolean;
  /** Skip the backward (reverse-mode) check, e.g. to check only forward mode (PyTorch's `check_backward_ad`; default true). */
  checkBackwardAd?: boolean;
}

/** A function checked by {@link gradcheck}: tensors in, one tensor or several out. */
export type MultiFn = (...inputs: Tensor[]) => Tensor | Tensor[];

/**
 * Compares the analytical Jacobian of `fn` (by backward, and by forward mode with `checkForwardAd`)
 * with central differences for each input that requires grad, as `torch.autograd.gradcheck`. An element passes when
 * |analytical - numerical| <= atol + rtol * |numerical|. Use float64 inputs.
 * @returns true when every element passes; on a mismatch it throws listing them, or returns false
 * with `raiseException: false`.
 */
export function gradcheck(fn: MultiFn, inputs: Tensor[], options: GradcheckOptions = {}): boolean {
  const eps = options.eps ?? 1e-6;
  const atol = options.atol ?? 1e-5;
  const rtol = options.rtol ?? 1e-3;
  const scope = beginScope();
  try {
    const diffIdx = inputs.map((t, i) => (t.requiresGrad ? i : -1)).filter((i) => i >= 0);
    if (diffIdx.length === 0) throw new Error('gradcheck: no input requires grad');
    for (const t of inputs) {
      if (!t.backend.readSync) {
        throw new Error(
          `gradcheck: backend '${t.backend.name}' can't read synchronously; run gradcheck on the cpu backend with float64 inputs (the conformance kit checks other backends by float32 finite differences)`,
        );
      }
    }
    const hostInputs = inputs.map((t) => t.dataSync());
    const outputs = () => {
      const out = fn(...inputs);
      return Array.isArray(out) ? out : [out];
    };
    const outs = enableGrad(outputs);
    const failures: string[] = [];
    for (const i of diffIdx) {
      const x = inputs[i] as Tensor;
      const n = x.size;
      const numeric = outs.map((o) => new Float64Array(o.size * n));
      // Numerical Jacobian column by column: perturb one input element both ways.
      for (let k = 0; k < n; k++) {
        const evalAt = (delta: number) => {
          const values = (hostInputs[i] as TypedArray).slice() as TypedArray;
          values[k] = (values[k] as number) + delta;
          const perturbed = fromValues(values, x.shape, x.dtype, 'gradcheck');
          perturbed.requiresGrad = true;
          const args = inputs.map((t, j) => (j === i ? perturbed : t));
          return noGrad(() => {
            const out = fn(...args);
            return (Array.isArray(out) ? out : [out]).map((o) => o.dataSync());
          });
        };
        const plus = evalAt(eps);
        const minus = evalAt(-eps);
        outs.forEach((o, oi) => {
          const p = plus[oi] as TypedArray;
          const m = minus[oi] as TypedArray;
          for (let j = 0; j < o.size; j++) (numeric[oi] as Float64Array)[j * n + k] = ((p[j] as number) - (m[j] as number)) / (2 * eps);
        });
      }
      const compare = (mode: string, oi: number, j: number, k: number, a: number) => {
        const num = (numeric[oi] as Float64Array)[j * n + k] as number;
        const ok = Math.abs(a - num) <= atol + rtol * Math.abs(num) || (Number.isNaN(a) && Number.isNaN(num));
        if (!ok && failures.length < 20) {
          failures.push(`${mode}input ${i} ${fmt(x.shape)} element ${k}, output ${oi} element ${j}: analytical ${a}, numerical ${num}`);
        }
      };
      // Forward mode, column by column: the tangent of each output for a one-hot input tangent.
      if (options.checkForwardAd) {
        for (let k = 0; k < n; k++) {
          const onehot = allocArray(x.dtype, n);
          onehot[k] = 1;
          const [, tangents] = jvp(
            (xd: Tensor) => {
              const out = fn(...inputs.map((t, j) => (j === i ? xd : t)));
              return Array.isArray(out) ? out : [out];
            },
            [x],
            [fromValues(onehot, x.shape, x.dtype, 'gradcheck')],
          );
          tangents.forEach((t, oi) => {
            const col = t.dataSync();
            for (let j = 0; j < col.length; j++) compare('forward mode: ', oi, j, k, col[j] as number);
          });
        }
      }
      if (options.checkBackwardAd === false) continue;
      // Analytical Jacobian row by row: backward from each output element.
      outs.forEach((o, oi) => {
        if (!o.requiresGrad) return;
        for (let j = 0; j < o.size; j++) {
          const cot = allocArray(o.dtype, o.size);
          cot[j] = 1;
          const seed = fromValues(cot, o.shape, o.dtype, 'gradcheck');
          const [g] = gradients(o, [x], { gradOutputs: [seed], retainGraph: true, allowUnused: true });
          const row = g ? g.dataSync() : allocArray(x.dtype, n);
          for (let k = 0; k < n; k++) compare('', oi, j, k, row[k] as number);
        }
      });
    }
    if (failures.length) {
      const float32 = diffIdx.some((i) => (inputs[i] as Tensor).dtype === 'float32');
      const hint = float32
        ? '\n  The inputs are float32: its rounding (about 6e-8 relative) swamps finite differences at these defaults, which are for float64. ' +
          "Use float64 inputs (tensor(data, { dtype: 'float64' }) on cpu), or on a float32-only backend pass looser options such as { eps: 1e-3, atol: 1e-2, rtol: 1e-2 }."
        : '';
      const msg = `gradcheck: Jacobian mismatch (eps ${eps}, atol ${atol}, rtol ${rtol}):\n  ${failures.join('\n  ')}${hint}`;
      if (options.raiseException ?? true) throw new Error(msg);
      return false;
    }
    return true;
  } finally {
    endScope(scope);
  }
}

/** Checks second derivatives: gradcheck of the vector-Jacobian product of fn (PyTorch's gradgradcheck). */
export function gradgradcheck(fn: MultiFn, inputs: Tensor[], options: GradcheckOptions & { seed?: number } = {}): boolean {
  const scope = beginScope();
  try {
    const probe = enableGrad(() => fn(...inputs));
    const outs = Array.isArray(probe) ? probe : [probe];
    const gen = new Generator(options.seed ?? 0);
    const cotangents = outs.map((o) => {
      const v = allocArray(o.dtype, o.size);
      for (let j = 0; j < v.length; j++) v[j] = gen.normal();
      const t = fromValues(v, o.shape, o.dtype, 'gradgradcheck');
      t.requiresGrad = true;
      return t;
    });
    const diff = inputs.filter((t) => t.requiresGrad);
    const vjp = (...args: Tensor[]) => {
      const xs = args.slice(0, inputs.length);
      const vs = args.slice(inputs.length);
      // gradcheck evaluates this under noGrad for its differences; the inner gradient needs a graph.
      const out = enableGrad(() => fn(...xs));
      const list = Array.isArray(out) ? out : [out];
      const gs = enableGrad(() =>
        gradients(
          list,
          xs.filter((t) => t.requiresGrad),
          { gradOutputs: vs, createGraph: true, allowUnused: true },
        ),
      );
      return gs.map((g, j) => g ?? (diff[j] as Tensor).mul(0));
    };
    return gradcheck(vjp, [...inputs, ...cotangents], options);
  } finally {
    endScope(scope);
  }
}

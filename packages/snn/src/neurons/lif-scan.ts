/**
 * A Leaky layer over all T steps as one Function: forward is one LifScan kernel (membranes and
 * spikes in one pass), backward (BPTT) the surrogate's derivative over all steps, one reverse
 * LinearScan kernel, and reductions for β, the threshold and the graded spikes factor.
 *
 *   U_t = β·U_{t−1} + I_t − R_t·thr,   R_t = H(U_{t−1} − thr) detached   ('subtract')
 *   S_t = H(U_t − thr)·graded,          ∂S_t/∂U_t = graded·σ'(U_t − thr)   (σ' the surrogate's)
 *   Ū_t = gU_t + graded·gS_t·σ'(U_t − thr) + a_t·Ū_{t+1},   a_t = ∂U_{t+1}/∂U_t = β  (β·(1 − R_{t+1}) for 'zero')
 *   ∂L/∂I_t = Ū_t,   ∂L/∂β = Σ_t Ū_t·U_{t−1} (·(1 − R_t) for 'zero')
 *   ∂L/∂thr = −Σ_t graded·gS_t·σ'_t − Σ_t R_t·Ū_t (the second for 'subtract'),   ∂L/∂graded = Σ_t gS_t·H_t
 *
 * It saves only its membranes: spikes, resets and σ' are recomputed from them. A backend without
 * the kernels (core's FusedKernels) gets the same loops composed of core ops. First derivatives only.
 */
import {
  type ActivationParams,
  activationEntries,
  concat,
  defineFunction,
  derivativeKind,
  evalExprTensor,
  FusedKernels,
  forwardKind,
  type HeavisideOptions,
  hasKernel,
  isGradEnabled,
  type LifScanAttrs,
  type LinearScanAttrs,
  runKernel,
  stack,
  type Tensor,
  zeros,
} from '@surrograd/core';

/** H(U − thr) as the layer's spike convention has it, as a float tensor (no gradient). */
export function spiked(u: Tensor, thr: Tensor, atZero: boolean): Tensor {
  const shifted = u.sub(thr);
  return (atZero ? shifted.ge(0) : shifted.gt(0)).cast(u.dtype);
}

/** LifScan composed of core ops, a step at a time (for backends without the kernel). */
function lifScanComposed(cur: Tensor, beta: Tensor, thr: Tensor, graded: Tensor, attrs: LifScanAttrs): [Tensor, Tensor] {
  const steps = cur.shape[0] as number;
  const out: Tensor[] = [];
  let prev = zeros(cur.shape.slice(1), { dtype: cur.dtype });
  for (let t = 0; t < steps; t++) {
    const input = cur.select(0, t);
    const r = spiked(prev, thr, attrs.spikeAtZero);
    if (attrs.reset === 'subtract') prev = beta.mul(prev).add(input).sub(r.mul(thr));
    else if (attrs.reset === 'zero') prev = beta.mul(r.neg().add(1).mul(prev)).add(input);
    else prev = beta.mul(prev).add(input);
    out.push(prev);
  }
  const u = steps === 0 ? cur.mul(0) : stack(out);
  return [u, spiked(u, thr, attrs.spikeAtZero).mul(graded)];
}

/** LinearScan composed of core ops (for backends without the kernel). */
function linearScanComposed(x0: Tensor, a: Tensor, attrs: LinearScanAttrs, addend?: Tensor): Tensor {
  const x = addend ? x0.add(addend) : x0;
  const steps = x.shape[0] as number;
  const perStep = a.rank === x.rank && a.shape[0] === steps && steps > 1;
  const out: Tensor[] = new Array(steps);
  let carry: Tensor | null = null;
  for (let k = 0; k < steps; k++) {
    const t = attrs.reverse ? steps - 1 - k : k;
    const at = perStep ? a.select(0, t) : a;
    carry = carry === null ? x.select(0, t) : at.mul(carry).add(x.select(0, t));
    out[t] = carry;
  }
  return steps === 0 ? x.mul(0) : stack(out);
}

function lifScan(cur: Tensor, beta: Tensor, thr: Tensor, graded: Tensor, attrs: LifScanAttrs): [Tensor, Tensor] {
  return hasKernel(FusedKernels.LifScan, cur.backend.name)
    ? (runKernel<Tensor[]>(FusedKernels.LifScan, [cur, beta, thr, graded], attrs) as [Tensor, Tensor])
    : lifScanComposed(cur, beta, thr, graded, attrs);
}

/**
 * dy·σ'(x) for the heaviside surrogate `surrogate`, through the ActivationGrad kernel as core's
 * activation backward runs it (from x, from the spike, from a 1-bit mask, or a constant).
 */
function surrogateGrad(dy: Tensor, x: Tensor, surrogate: HeavisideOptions): Tensor {
  const { surrogate: kind = 'fastSigmoid', ...options } = surrogate;
  const entry = activationEntries().find((e) => e.name === `heaviside/${kind}`);
  if (!entry) throw new Error(`Leaky.sequence: no heaviside surrogate '${kind}'`);
  const params = { ...entry.defaults, ...options } as ActivationParams;
  const der = derivativeKind(entry.derivative);
  const fwd = forwardKind(entry.forward);
  const grad = (saved: Tensor) => runKernel<Tensor>('ActivationGrad', [dy, saved], { kind: der.name, params, derivativeKind: der });
  switch (der.from) {
    case 'none':
      return dy.mul(evalExprTensor(der.expr, params) as number);
    case 'x':
      return grad(x);
    case 'y':
      return grad(runKernel<Tensor>('Activation', [x], { kind: fwd.name, params, forwardKind: fwd }));
    default: {
      const [, mask] = runKernel<Tensor[]>('Activation', [x], {
        kind: fwd.name,
        params,
        mask: der.name,
        forwardKind: fwd,
        maskKind: der,
      }) as [Tensor, Tensor];
      return grad(mask);
    }
  }
}

/** The reverse-or-forward scan of x (+ addend, summed in the same pass). */
function linearScan(x: Tensor, a: Tensor, attrs: LinearScanAttrs, addend?: Tensor): Tensor {
  return hasKernel(FusedKernels.LinearScan, x.backend.name)
    ? runKernel<Tensor>(FusedKernels.LinearScan, addend ? [x, a, addend] : [x, a], attrs)
    : linearScanComposed(x, a, attrs, addend);
}

/** Whether `t` is a single 1, read only from a backend that reads synchronously (cpu, wasm, tfjs). */
function isOne(t: Tensor): boolean {
  return t.size === 1 && t.backend.readSync !== undefined && t.dataSync()[0] === 1;
}

/** `full` [T, ...N] summed down to `shape` (one value, or one step's N): a parameter's gradient. */
function sumTo(full: Tensor, shape: readonly number[]): Tensor {
  if (shape.reduce((p, d) => p * d, 1) === 1) return full.sum().reshape([...shape]);
  return full.sum(0).reshape([...shape]);
}

/**
 * y [T, ...N] with y_t = a·y_{t−1} + x_t from zero, a constant over time (one value or one step's):
 * a synaptic current over all steps. Its vjp is the same scan in reverse; ∂L/∂a = Σ_t x̄_t·y_{t−1}.
 */
export const DecayScanFn = defineFunction({
  name: 'DecayScan',
  materializeGrads: false,
  forward(ctx, x: Tensor, a: Tensor) {
    const y = linearScan(x, a, { reverse: false });
    ctx.saveForBackward(y, a);
    return y;
  },
  backward(ctx, gy: Tensor | null) {
    if (isGradEnabled())
      throw new Error('Synaptic.sequence: its backward has no second derivative (createGraph); use the stepwise forward');
    if (!gy) return [null, null];
    const [y, a] = ctx.savedTensors as [Tensor, Tensor];
    const total = linearScan(gy, a, { reverse: true });
    let dA: Tensor | null = null;
    if (ctx.needsInputGrad[1]) {
      const steps = y.shape[0] as number;
      const head = zeros([1, ...y.shape.slice(1)], { dtype: y.dtype });
      const prev = steps > 1 ? concat([head, y.narrow(0, 0, steps - 1)]) : head.expand([...y.shape]);
      dA = sumTo(total.mul(prev), a.shape);
    }
    return [ctx.needsInputGrad[0] ? total : null, dA];
  },
});

/** Attrs of {@link LeakySequenceFn}: the scan's, and the surrogate of the spikes. */
export interface LeakySequenceAttrs extends LifScanAttrs {
  /** The heaviside surrogate, as `heaviside` takes it. */
  surrogate: HeavisideOptions;
}

/** [S, U] [T, ...N] from currents I [T, ...N]; β, thr and graded have one element or one step's shape. */
export const LeakySequenceFn = defineFunction({
  name: 'LeakySequence',
  // An output without a gradient (spikes or membranes unused) comes as null, never as T·N zeros.
  materializeGrads: false,
  forward(ctx, cur: Tensor, beta: Tensor, thr: Tensor, graded: Tensor, attrs: LeakySequenceAttrs) {
    const scan: LifScanAttrs = { reset: attrs.reset, spikeAtZero: attrs.spikeAtZero };
    const [u, s] = lifScan(cur, beta, thr, graded, scan);
    ctx.saveForBackward(u, beta, thr, graded);
    ctx.attrs = attrs;
    return [s, u];
  },
  backward(ctx, gS: Tensor | null, gU: Tensor | null) {
    if (isGradEnabled()) {
      throw new Error(
        'Leaky.sequence: its backward has no second derivative (createGraph); use the stepwise forward for higher derivatives',
      );
    }
    const [u, beta, thr, graded] = ctx.savedTensors as [Tensor, Tensor, Tensor, Tensor];
    const attrs = ctx.attrs as LeakySequenceAttrs;
    const steps = u.shape[0] as number;
    const needs = ctx.needsInputGrad;
    // gS·graded·σ'(U − thr): the spikes' part of each step's membrane gradient. Temporaries of
    // T·N values are freed as soon as they are used: the peak is what backward needs at once.
    let fromSpikes: Tensor | null = null;
    if (gS) {
      const shifted = u.sub(thr);
      fromSpikes = surrogateGrad(gS, shifted, attrs.surrogate);
      shifted.dispose();
      // In place: the buffer is this function's own, so no second T·N buffer is made. A factor of
      // exactly 1 (the default), read where reading is free, is not applied at all.
      if (!isOne(graded)) fromSpikes.mul_(graded);
    }
    // The two gradients of each step's membrane are summed inside the scan's pass.
    const direct = fromSpikes ?? gU ?? u.mul(0);
    const addend = fromSpikes && gU ? gU : undefined;
    // R_{t+1} = H(U_t − thr): whether each step's membrane resets the next.
    const resetsNext = attrs.reset === 'zero' || needs[1] || needs[2] ? spiked(u, thr, attrs.spikeAtZero) : null;
    const a = attrs.reset === 'zero' ? beta.mul((resetsNext as Tensor).neg().add(1)) : beta;
    const total = linearScan(direct, a, { reverse: true }, addend);
    if (direct !== fromSpikes && direct !== gU) direct.dispose();
    if (fromSpikes && !needs[2]) {
      fromSpikes.dispose();
      fromSpikes = null;
    }
    let dBeta: Tensor | null = null;
    let dThr: Tensor | null = null;
    if (needs[1] || needs[2]) {
      // U_{t−1} and R_t, aligned with step t (U_{−1} = 0, R_0 = 0).
      const head = zeros([1, ...u.shape.slice(1)], { dtype: u.dtype });
      const prevU = steps > 1 ? concat([head, u.narrow(0, 0, steps - 1)]) : head.expand([...u.shape]);
      const resets = steps > 1 ? concat([head, (resetsNext as Tensor).narrow(0, 0, steps - 1)]) : head.expand([...u.shape]);
      if (needs[1]) dBeta = sumTo(total.mul(attrs.reset === 'zero' ? resets.neg().add(1).mul(prevU) : prevU), beta.shape);
      if (needs[2]) {
        const viaReset = attrs.reset === 'subtract' ? resets.mul(total) : null;
        const viaSpikes = fromSpikes;
        const both = viaReset && viaSpikes ? viaReset.add(viaSpikes) : (viaReset ?? viaSpikes);
        dThr = both ? sumTo(both, thr.shape).neg() : thr.mul(0);
      }
    }
    const dGraded = needs[3] ? (gS ? sumTo(gS.mul(spiked(u, thr, attrs.spikeAtZero)), graded.shape) : graded.mul(0)) : null;
    return [needs[0] ? total : null, dBeta, dThr, dGraded, null];
  },
});

/**
 * First and second derivative checks that run on every backend: core's gradcheck/gradgradcheck
 * (float64, PyTorch's tolerances) where the backend stores float64 and reads synchronously;
 * otherwise float32 central differences read with `await data()`, with loose tolerances.
 */
import { currentBackend, enableGrad, gradcheck, gradgradcheck, gradients, type Tensor, tensor, tidy } from '@surrograd/core';
import { expect } from 'vitest';
import { finiteDifferenceCheck } from './finite-difference.js';

type Fn = (...xs: Tensor[]) => Tensor;

/** sum(y · w) with fixed weights that differ per element, so no output position can hide. */
function weightedSum(y: Tensor): Tensor {
  return tidy(() => {
    const w = Array.from({ length: y.size }, (_, i) => 1 + (i % 7) / 7);
    return y.mul(tensor(w, { shape: y.shape, dtype: y.dtype })).sum();
  });
}

export function fastExactChecks(float64: boolean): boolean {
  return float64 && currentBackend().readSync !== undefined;
}

export async function checkFirstDerivatives(fn: Fn, xs: Tensor[], float64: boolean): Promise<void> {
  if (fastExactChecks(float64)) {
    expect(gradcheck(fn, xs)).toBe(true);
    return;
  }
  await finiteDifferenceCheck((...v) => weightedSum(fn(...v)), xs);
}

export async function checkSecondDerivatives(fn: Fn, xs: Tensor[], float64: boolean): Promise<void> {
  if (fastExactChecks(float64)) {
    expect(gradgradcheck(fn, xs)).toBe(true);
    return;
  }
  // d/dx of sum(w₂ · ∂(sum(w · f))/∂x): the derivative of a recorded backward pass.
  const vjp: Fn = (...v) =>
    tidy(() =>
      enableGrad(() => {
        // The differences pass plain tensors; the inner gradient still needs leaves to differentiate.
        const leaves = v.map((t) => {
          if (t.requiresGrad) return t;
          const leaf = t.detach();
          leaf.requiresGrad = true;
          return leaf;
        });
        const gs = gradients(weightedSum(fn(...leaves)), leaves, { createGraph: true, allowUnused: true });
        return gs.map((g, i) => (g ? weightedSum(g) : (leaves[i] as Tensor).mul(0).sum())).reduce((a, b) => a.add(b));
      }),
    );
  // A small step: the activations' test points lie a few thousandths from their kinks.
  await finiteDifferenceCheck(vjp, xs, { eps: 1e-3, rtol: 5e-2, atol: 2e-2 });
}

/**
 * A float32 finite-difference gradient check, for backends without float64 (where core's
 * gradcheck, which wants float64, cannot run). Central differences with a large step, so the
 * tolerance is loose: it catches wrong gradients, not last-bit ones.
 */
import { noGrad, type Tensor, tensor } from '@surrograd/core';

export interface FiniteDifferenceOptions {
  eps: number;
  rtol: number;
  atol: number;
}

const DEFAULTS: FiniteDifferenceOptions = { eps: 1e-2, rtol: 2e-2, atol: 1e-2 };

async function scalar(t: Tensor): Promise<number> {
  const v = (await t.data())[0] as number;
  t.dispose();
  return v;
}

export async function finiteDifferenceCheck(
  fn: (...xs: Tensor[]) => Tensor,
  inputs: Tensor[],
  options: Partial<FiniteDifferenceOptions> = {},
): Promise<void> {
  const { eps, rtol, atol } = { ...DEFAULTS, ...options };
  const values = await Promise.all(inputs.map(async (x) => Float32Array.from((await x.data()) as Float32Array)));
  const leaves = inputs.map((x, i) => tensor(values[i] as Float32Array, { shape: x.shape, requiresGrad: true }));
  const out = fn(...leaves);
  // An output that does not depend differentiably on the inputs has gradient zero (e.g. the
  // derivative of a piecewise-constant derivative).
  if (out.requiresGrad) out.backward();
  out.dispose();
  try {
    for (let i = 0; i < leaves.length; i++) {
      const leaf = leaves[i] as Tensor;
      const analytic = leaf.grad ? ((await leaf.grad.data()) as Float32Array) : new Float32Array(leaf.shape.reduce((a, b) => a * b, 1));
      const base = values[i] as Float32Array;
      for (let j = 0; j < base.length; j++) {
        const at = async (delta: number) => {
          const moved = Float32Array.from(base);
          moved[j] = (moved[j] as number) + delta;
          const args = leaves.map((l, k) => (k === i ? tensor(moved, { shape: l.shape }) : l.detach()));
          const v = await scalar(noGrad(() => fn(...args)));
          for (const a of args) a.dispose();
          return v;
        };
        const numeric = ((await at(eps)) - (await at(-eps))) / (2 * eps);
        const a = analytic[j] as number;
        if (!(Math.abs(a - numeric) <= atol + rtol * Math.abs(numeric))) {
          throw new Error(`input ${i}, element ${j}: analytic gradient ${a}, finite difference ${numeric} (eps ${eps})`);
        }
      }
    }
  } finally {
    for (const l of leaves) l.dispose();
  }
}

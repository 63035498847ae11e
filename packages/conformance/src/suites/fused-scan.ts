/**
 * The optional time-loop kernels of spiking neurons (core's FusedKernels LifScan and
 * LinearScan), on backends that register them: against direct loops in plain JS over each reset
 * mechanism, both spike conventions, operands of one value, one per position and one per step,
 * one step and none; float32 results to the last bit where the loops do the same float32 operations.
 */
import { FusedKernels, getKernel, type LifScanAttrs, runKernel, type Tensor, tensor } from '@surrograd/core';
import { describe, expect } from 'vitest';
import { test } from '../declare.js';
import type { KitContext } from '../options.js';
import { expectSameMemory, snapshot } from '../snapshot.js';

const f = Math.fround;
const values = (n: number, seed: number, scale = 1, shift = 0) =>
  Array.from({ length: n }, (_, i) => f(Math.sin(i * 1.3 + seed) * scale + shift));

/** U_t and S_t from the equations of LifScan, in float32. */
function lifLoops(
  cur: number[],
  beta: number[],
  thr: number[],
  graded: number[],
  steps: number,
  n: number,
  a: LifScanAttrs,
): [number[], number[]] {
  const out: number[] = [];
  const spikes: number[] = [];
  const pick = (v: number[], i: number) => (v.length === 1 ? (v[0] as number) : (v[i] as number));
  for (let t = 0; t < steps; t++) {
    for (let i = 0; i < n; i++) {
      const prev = t === 0 ? 0 : (out[(t - 1) * n + i] as number);
      const [b, th] = [pick(beta, i), pick(thr, i)];
      const sh = f(prev - th);
      const r = a.spikeAtZero ? sh >= 0 : sh > 0;
      const x = cur[t * n + i] as number;
      if (a.reset === 'subtract') out.push(f(f(f(b * prev) + x) - (r ? th : 0)));
      else if (a.reset === 'zero') out.push(f(f(b * (r ? 0 : prev)) + x));
      else out.push(f(f(b * prev) + x));
      const over = f((out[t * n + i] as number) - th);
      spikes.push((a.spikeAtZero ? over >= 0 : over > 0) ? pick(graded, i) : 0);
    }
  }
  return [out, spikes];
}

/** y_t = a_t·y_{t∓1} + (x_t + addend_t) in float32. */
function scanLoops(x: number[], a: number[], steps: number, n: number, reverse: boolean, addend?: number[]): number[] {
  const y = new Array<number>(x.length).fill(0);
  const at = (t: number, i: number) => (a.length === 1 ? (a[0] as number) : a.length === n ? (a[i] as number) : (a[t * n + i] as number));
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < steps; k++) {
      const t = reverse ? steps - 1 - k : k;
      const carry = k === 0 ? null : (y[(reverse ? t + 1 : t - 1) * n + i] as number);
      const xt = addend ? f((x[t * n + i] as number) + (addend[t * n + i] as number)) : (x[t * n + i] as number);
      y[t * n + i] = carry === null ? xt : f(f(at(t, i) * carry) + xt);
    }
  }
  return y;
}

const SHAPES: [number, number[]][] = [
  [7, [3, 5]],
  [1, [4]],
  [0, [2, 3]],
  [9, [2, 2, 3]],
];

export function fusedScanSuite(kit: KitContext): void {
  if (getKernel(FusedKernels.LifScan, kit.backend) === undefined || getKernel(FusedKernels.LinearScan, kit.backend) === undefined) return;
  describe('fused scan kernels', () => {
    for (const [steps, step] of SHAPES) {
      const n = step.reduce((p, d) => p * d, 1);
      for (const reset of ['subtract', 'zero', 'none'] as const) {
        for (const spikeAtZero of [false, true]) {
          test(kit, `fused/lifScan/T=${steps} [${step}] ${reset}${spikeAtZero ? ' at zero' : ''}`, async () => {
            const before = snapshot();
            // Currents near the threshold, thresholds that include exact hits (U − thr = 0).
            const cur = values(steps * n, 1, 0.9, 0.45);
            for (const [betaVals, thrVals, graded] of [
              [[f(0.9)], [1], [1]],
              [values(n, 2, 0.2, 0.7), values(n, 3, 0.3, 0.8), values(n, 7, 0.5, 1)],
            ] as [number[], number[], number[]][]) {
              const tensors = [tensor(cur, { shape: [steps, ...step] }), tensor(betaVals), tensor(thrVals), tensor(graded)];
              const [u, spk] = runKernel<Tensor[]>(FusedKernels.LifScan, tensors, { reset, spikeAtZero }) as [Tensor, Tensor];
              expect([u.shape, spk.shape]).toEqual([
                [steps, ...step],
                [steps, ...step],
              ]);
              const [wantU, wantS] = lifLoops(cur, betaVals, thrVals, graded, steps, n, { reset, spikeAtZero });
              expect(Array.from(await u.data())).toEqual(wantU);
              expect(Array.from(await spk.data())).toEqual(wantS);
              for (const t of [...tensors, u, spk]) t.dispose();
            }
            expectSameMemory(`fused/lifScan/${reset}`, before, snapshot());
          });
        }
      }
      for (const reverse of [false, true]) {
        test(kit, `fused/linearScan/T=${steps} [${step}]${reverse ? ' reverse' : ''}`, async () => {
          const before = snapshot();
          const x = values(steps * n, 4);
          for (const a of [[f(0.8)], values(n, 5, 0.5, 0.5), values(steps * n, 6, 0.5, 0.5)]) {
            if (a.length === steps * n && a.length === n) continue;
            const tensors = [tensor(x, { shape: [steps, ...step] }), tensor(a)];
            const y = runKernel<Tensor>(FusedKernels.LinearScan, tensors, { reverse });
            expect(Array.from(await y.data())).toEqual(scanLoops(x, a, steps, n, reverse));
            // With an addend summed into x in the same pass.
            const add = values(steps * n, 9, 0.7);
            const addT = tensor(add, { shape: [steps, ...step] });
            const y2 = runKernel<Tensor>(FusedKernels.LinearScan, [...tensors, addT], { reverse });
            expect(Array.from(await y2.data())).toEqual(scanLoops(x, a, steps, n, reverse, add));
            for (const t of [...tensors, y, addT, y2]) t.dispose();
          }
          expectSameMemory(`fused/linearScan`, before, snapshot());
        });
      }
    }
  });
}

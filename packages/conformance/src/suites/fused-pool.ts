/**
 * The optional MaxPool2d kernel (core's FusedKernels), on backends that register it: values and
 * first-maximum indices against a direct loop in plain JS, over windows that reach every edge
 * (padding, ceil mode's partial last window, dilation, the common 2×2), with ties, -Infinity and
 * NaN (the first NaN wins) — then the gradient through maxPool2d, which adds dy at those indices.
 */
import { FusedKernels, getKernel, grad, hasKernel, type MaxPool2dAttrs, maxPool2d, runKernel, type Tensor, tensor } from '@surrograd/core';
import { describe, expect } from 'vitest';
import { test } from '../declare.js';
import type { KitContext } from '../options.js';
import { expectSameMemory, snapshot } from '../snapshot.js';

type Shape4 = [number, number, number, number];

interface Case {
  name: string;
  x: Shape4;
  kernel: [number, number];
  /** maxPool2d's options, and the same window as kernel attrs. */
  options: { stride?: [number, number]; padding?: [number, number]; dilation?: [number, number]; ceilMode?: boolean };
  values: (i: number) => number;
}

// Ties every few elements (values on a coarse grid), some -Infinity and NaN.
const gridValues = (i: number) => Math.round(Math.sin(i * 2.3) * 3) / 2;
const withSpecials = (i: number) => (i % 11 === 3 ? Number.NaN : i % 7 === 2 ? Number.NEGATIVE_INFINITY : gridValues(i));

const CASES: Case[] = [
  { name: '2x2, ties', x: [2, 3, 6, 8], kernel: [2, 2], options: {}, values: gridValues },
  { name: '2x2, NaN and -Infinity', x: [1, 2, 6, 6], kernel: [2, 2], options: {}, values: withSpecials },
  { name: '3x3, stride 2, padding 1', x: [2, 2, 7, 6], kernel: [3, 3], options: { stride: [2, 2], padding: [1, 1] }, values: withSpecials },
  { name: '3x2, ceil mode', x: [1, 3, 7, 5], kernel: [3, 2], options: { stride: [2, 2], ceilMode: true }, values: gridValues },
  {
    name: 'dilation [2, 1], padding [1, 0]',
    x: [1, 2, 8, 5],
    kernel: [3, 2],
    options: { stride: [1, 2], padding: [1, 0], dilation: [2, 1] },
    values: withSpecials,
  },
  { name: 'all -Infinity', x: [1, 1, 4, 4], kernel: [2, 2], options: { padding: [1, 1] }, values: () => Number.NEGATIVE_INFINITY },
];

function outSize(n: number, k: number, s: number, p: number, d: number, ceil: boolean): number {
  const span = n + 2 * p - d * (k - 1) - 1;
  let out = Math.floor((ceil ? span + s - 1 : span) / s) + 1;
  if (ceil && (out - 1) * s >= n + p) out--; // PyTorch: the last window starts inside the input or left padding
  return out;
}

/** Values and flat indices of each window's first maximum (a NaN winning), over the plane's elements only. */
function direct(c: Case, xv: number[]): { y: number[]; at: number[]; shape: Shape4; attrs: MaxPool2dAttrs } {
  const [n, ch, h, w] = c.x;
  const [kh, kw] = c.kernel;
  const [sh, sw] = c.options.stride ?? c.kernel;
  const [ph, pw] = c.options.padding ?? [0, 0];
  const [dh, dw] = c.options.dilation ?? [1, 1];
  const ceil = c.options.ceilMode ?? false;
  const [oh, ow] = [outSize(h, kh, sh, ph, dh, ceil), outSize(w, kw, sw, pw, dw, ceil)];
  const y: number[] = [];
  const at: number[] = [];
  for (let p = 0; p < n * ch; p++)
    for (let oy = 0; oy < oh; oy++)
      for (let ox = 0; ox < ow; ox++) {
        let best = Number.NaN;
        let bi = -1;
        for (let i = 0; i < kh && !(bi >= 0 && Number.isNaN(best)); i++)
          for (let j = 0; j < kw; j++) {
            const [iy, ix] = [oy * sh - ph + i * dh, ox * sw - pw + j * dw];
            if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
            const k = (p * h + iy) * w + ix;
            const v = xv[k] as number;
            if (bi < 0 || v > best || Number.isNaN(v)) {
              [best, bi] = [v, k];
              if (Number.isNaN(v)) break;
            }
          }
        y.push(best);
        at.push(bi);
      }
  // ceil mode: bottom/right padding grows to cover the partial window.
  const extra = (o: number, n2: number, k: number, s: number, p: number, d: number) =>
    Math.max(0, (o - 1) * s + d * (k - 1) + 1 - n2 - 2 * p);
  const attrs: MaxPool2dAttrs = {
    kernel: [kh, kw],
    stride: [sh, sw],
    padding: [
      [ph, ph + extra(oh, h, kh, sh, ph, dh)],
      [pw, pw + extra(ow, w, kw, sw, pw, dw)],
    ],
    dilation: [dh, dw],
    output: [oh, ow],
  };
  return { y, at, shape: [n, ch, oh, ow], attrs };
}

const same = (a: number, b: number) => (Number.isNaN(b) ? Number.isNaN(a) : a === b);

export function fusedPoolSuite(kit: KitContext): void {
  if (getKernel(FusedKernels.MaxPool2d, kit.backend) === undefined) return;
  describe('fused pool kernels', () => {
    for (const c of CASES) {
      test(kit, `fused/maxPool2d/${c.name}`, async () => {
        expect(hasKernel(FusedKernels.MaxPool2d, kit.backend)).toBe(true);
        const before = snapshot();
        const xv = Array.from({ length: c.x.reduce((a, b) => a * b, 1) }, (_, i) => c.values(i));
        const want = direct(c, xv);
        const x = tensor(xv, { shape: c.x });
        const [y, at] = runKernel<Tensor[]>(FusedKernels.MaxPool2d, [x], want.attrs) as [Tensor, Tensor];
        expect([y.shape, at.shape, at.dtype]).toEqual([want.shape, want.shape, 'int32']);
        const [gy, gat] = [Array.from(await y.data()), Array.from(await at.data())];
        for (let i = 0; i < want.y.length; i++) {
          if (!same(gy[i] as number, want.y[i] as number) || gat[i] !== want.at[i]) {
            throw new Error(`MaxPool2d ${c.name}: window ${i} gives ${gy[i]} at ${gat[i]}, direct loops ${want.y[i]} at ${want.at[i]}`);
          }
        }
        // The gradient through the op: dy added at each window's index.
        const dyv = want.y.map((_, i) => (i % 5) + 1);
        const dy = tensor(dyv, { shape: want.shape });
        const dx = grad((t: Tensor) => maxPool2d(t, c.kernel, c.options).mul(dy).sum())(x);
        const wantDx = new Array(xv.length).fill(0);
        want.at.forEach((k, i) => {
          wantDx[k] += dyv[i] as number;
        });
        expect(Array.from(await dx.data())).toEqual(wantDx);
        for (const t of [x, y, at, dy, dx]) t.dispose();
        expectSameMemory(`fused/maxPool2d/${c.name}`, before, snapshot());
      });
    }
  });
}

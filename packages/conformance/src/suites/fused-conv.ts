/**
 * The optional conv kernels (core's FusedKernels Conv2d, Conv2dBackpropInput,
 * Conv2dBackpropFilter), on backends that register them: each against direct loops in plain JS
 * over geometries that reach every edge (asymmetric padding wider than the kernel's overhang,
 * strides and dilations that skip input columns, groups, 1×1 kernels, an empty batch), and the
 * memory left as it was.
 */
import { type Conv2dAttrs, FusedKernels, getKernel, hasKernel, runKernel, type Tensor, tensor } from '@surrograd/core';
import { describe, expect } from 'vitest';
import { test } from '../declare.js';
import type { KitContext } from '../options.js';
import { expectSameMemory, snapshot } from '../snapshot.js';

type Shape4 = [number, number, number, number];

interface Case {
  name: string;
  x: Shape4;
  w: Shape4;
  attrs: Conv2dAttrs;
}

const attrs = (
  stride: [number, number],
  padding: [[number, number], [number, number]],
  dilation: [number, number],
  groups = 1,
): Conv2dAttrs => ({
  stride,
  padding,
  dilation,
  groups,
});

const CASES: Case[] = [
  {
    name: '3x3, padding 1',
    x: [2, 3, 5, 6],
    w: [4, 3, 3, 3],
    attrs: attrs(
      [1, 1],
      [
        [1, 1],
        [1, 1],
      ],
      [1, 1],
    ),
  },
  {
    name: 'stride [2,3], asymmetric padding',
    x: [1, 2, 7, 8],
    w: [3, 2, 3, 2],
    attrs: attrs(
      [2, 3],
      [
        [0, 2],
        [3, 1],
      ],
      [1, 1],
    ),
  },
  {
    name: 'dilation [2,1], groups 2',
    x: [2, 4, 6, 5],
    w: [6, 2, 2, 3],
    attrs: attrs(
      [1, 2],
      [
        [1, 0],
        [0, 1],
      ],
      [2, 1],
      2,
    ),
  },
  {
    name: '1x1, depthwise',
    x: [1, 3, 4, 4],
    w: [3, 1, 1, 1],
    attrs: attrs(
      [1, 1],
      [
        [0, 0],
        [0, 0],
      ],
      [1, 1],
      3,
    ),
  },
  {
    name: 'kernel as large as the padded input',
    x: [1, 1, 3, 3],
    w: [2, 1, 5, 5],
    attrs: attrs(
      [1, 1],
      [
        [1, 1],
        [1, 1],
      ],
      [1, 1],
    ),
  },
  {
    name: 'empty batch',
    x: [0, 2, 4, 4],
    w: [3, 2, 3, 3],
    attrs: attrs(
      [1, 1],
      [
        [1, 1],
        [1, 1],
      ],
      [1, 1],
    ),
  },
];

const out = (n: number, k: number, s: number, p: [number, number], d: number) => Math.floor((n + p[0] + p[1] - d * (k - 1) - 1) / s) + 1;

/** Calls f(n, o, oy, ox, c, ki, kj, xIndex, wIndex, yIndex) for every multiply-add of the conv. */
function eachTerm(c: Case, f: (xi: number, wi: number, yi: number) => void): Shape4 {
  const [n, cin, h, w] = c.x;
  const [o, cg, kh, kw] = c.w;
  const { stride, padding, dilation, groups } = c.attrs;
  const oh = out(h, kh, stride[0], padding[0], dilation[0]);
  const ow = out(w, kw, stride[1], padding[1], dilation[1]);
  const og = o / groups;
  for (let b = 0; b < n; b++)
    for (let oc = 0; oc < o; oc++)
      for (let ci = 0; ci < cg; ci++) {
        const ic = Math.floor(oc / og) * cg + ci;
        for (let y = 0; y < oh; y++)
          for (let x = 0; x < ow; x++)
            for (let i = 0; i < kh; i++)
              for (let j = 0; j < kw; j++) {
                const iy = y * stride[0] - padding[0][0] + i * dilation[0];
                const ix = x * stride[1] - padding[1][0] + j * dilation[1];
                if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
                f(((b * cin + ic) * h + iy) * w + ix, ((oc * cg + ci) * kh + i) * kw + j, ((b * o + oc) * oh + y) * ow + x);
              }
      }
  return [n, o, oh, ow];
}

const filled = (shape: readonly number[], seed: number) =>
  Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => Math.round(Math.sin(i * 1.7 + seed) * 100) / 100);

function expectClose(label: string, got: ArrayLike<number>, want: ArrayLike<number>): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const [a, e] = [got[i] as number, want[i] as number];
    if (!(Math.abs(a - e) <= 1e-4 + 1e-4 * Math.abs(e))) throw new Error(`${label}: [${i}] is ${a}, direct loops give ${e}`);
  }
}

export function fusedConvSuite(kit: KitContext): void {
  const names = [FusedKernels.Conv2d, FusedKernels.Conv2dBackpropInput, FusedKernels.Conv2dBackpropFilter];
  // Registered is known now; available (hasKernel) only once the backend runs: the tfjs backend
  // registers all three, and on tfjs-wasm, which lacks tf's Conv2DBackpropFilter, core composes that one.
  if (!names.some((name) => getKernel(name, kit.backend) !== undefined)) return;
  describe('fused conv kernels', () => {
    for (const c of CASES) {
      test(kit, `fused/conv2d/${c.name}`, async () => {
        const before = snapshot();
        const xv = filled(c.x, 1);
        const wv = filled(c.w, 2);
        const yShape = eachTerm(c, () => {});
        const dyv = filled(yShape, 3);
        const y = new Array(yShape.reduce((a, b) => a * b, 1)).fill(0);
        const dx = new Array(xv.length).fill(0);
        const dw = new Array(wv.length).fill(0);
        eachTerm(c, (xi, wi, yi) => {
          y[yi] += (xv[xi] as number) * (wv[wi] as number);
          dx[xi] += (wv[wi] as number) * (dyv[yi] as number);
          dw[wi] += (xv[xi] as number) * (dyv[yi] as number);
        });
        const [x, w, dy] = [tensor(xv, { shape: c.x }), tensor(wv, { shape: c.w }), tensor(dyv, { shape: yShape })];
        const runs: [string, Tensor[], Record<string, unknown>, readonly number[], number[]][] = [
          [FusedKernels.Conv2d, [x, w], c.attrs, yShape, y],
          [FusedKernels.Conv2dBackpropInput, [dy, w], { ...c.attrs, inputShape: c.x }, c.x, dx],
          [FusedKernels.Conv2dBackpropFilter, [x, dy], { ...c.attrs, filterShape: c.w }, c.w, dw],
        ];
        const available = runs.filter(([name]) => hasKernel(name, kit.backend));
        expect(available.length > 0).toBe(true);
        const outs: Tensor[] = [];
        for (const [name, inputs, attrs, shape, want] of available) {
          const out = runKernel<Tensor>(name, inputs, attrs);
          outs.push(out);
          expect(out.shape).toEqual(shape);
          expectClose(name, await out.data(), want);
        }
        for (const t of [x, w, dy, ...outs]) t.dispose();
        expectSameMemory(`fused/conv2d/${c.name}`, before, snapshot());
      });
    }
  });
}

/**
 * The tf-backed conv kernels, each run directly on every tfjs backend that has its tf kernel, against
 * core's composition of the same gradient (what runs where a kernel is unavailable). The kit checks
 * only the kernels in use; tfjs-cpu's Conv2DBackpropFilter is slower than the composition and so is
 * never in use, but a third party may switch it on: it must still be right.
 */
import {
  conv2d,
  convTranspose2d,
  FusedKernels,
  grad,
  hasKernel,
  memory,
  randn,
  runKernel,
  setBackend,
  type Tensor,
  tidy,
  unregisterKernel,
} from '@surrograd/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerTfjsFusedKernels } from '../src/kernels/index.js';
import '../src/index.js';
import { TF_BACKENDS, tf, useTfBackend } from './support/tfjs.js';

const CASES = [
  { name: 'plain', x: [2, 3, 7, 6], w: [4, 3, 3, 3], opts: {} },
  { name: 'stride 2, dilation 2, padding 2', x: [2, 2, 9, 8], w: [3, 2, 3, 2], opts: { stride: 2, dilation: 2, padding: 2 } },
  {
    name: 'groups 2, stride [1, 2], padding [1, 0]',
    x: [1, 4, 6, 7],
    w: [6, 2, 3, 3],
    opts: { groups: 2, stride: [1, 2] as [number, number], padding: [1, 0] as [number, number] },
  },
  {
    name: 'depthwise, dilation [2, 1]',
    x: [2, 3, 8, 5],
    w: [3, 1, 2, 3],
    opts: { groups: 3, dilation: [2, 1] as [number, number], padding: 1 },
  },
];

type Pair = [number, number];
const FUSED = [FusedKernels.Conv2d, FusedKernels.Conv2dBackpropInput, FusedKernels.Conv2dBackpropFilter];
const pair = (v: number | Pair | undefined, d: number): Pair => (v === undefined ? [d, d] : typeof v === 'number' ? [v, v] : v);

async function expectClose(label: string, got: Tensor, want: Tensor): Promise<void> {
  expect(got.shape, label).toEqual(want.shape);
  const [g, w] = [await got.data(), await want.data()];
  for (let i = 0; i < w.length; i++) {
    if (!(Math.abs((g[i] as number) - (w[i] as number)) <= 1e-4 + 1e-4 * Math.abs(w[i] as number))) {
      throw new Error(`${label}: [${i}] is ${g[i]}, the composition gives ${w[i]}`);
    }
  }
}

for (const tfBackend of TF_BACKENDS) {
  describe(`tf conv kernels on tfjs-${tfBackend}`, () => {
    beforeAll(async () => {
      await useTfBackend(tfBackend);
      await setBackend('tfjs');
    });

    it('are in use exactly where tf has the kernel and it beats the composition', () => {
      expect(hasKernel(FusedKernels.Conv2d, 'tfjs')).toBe(true);
      expect(hasKernel(FusedKernels.Conv2dBackpropInput, 'tfjs')).toBe(true);
      // tfjs-wasm lacks Conv2DBackpropFilter; tfjs-cpu's is slower than im2col + matMul.
      expect(hasKernel(FusedKernels.Conv2dBackpropFilter, 'tfjs')).toBe(false);
    });

    for (const c of CASES) {
      it(`match the composition: ${c.name}`, async () => {
        const before = memory().numTensors;
        const x = randn(c.x);
        const w = randn(c.w);
        // The reference: core's composition, with our kernels out of the registry meanwhile.
        for (const name of FUSED) unregisterKernel(name, 'tfjs');
        let y: Tensor, dy: Tensor, gx: Tensor, gw: Tensor;
        try {
          y = conv2d(x, w, null, c.opts);
          dy = randn(y.shape);
          [gx, gw] = grad((a: Tensor, b: Tensor) => conv2d(a, b, null, c.opts).mul(dy).sum(), { argnums: [0, 1] })(x, w) as [
            Tensor,
            Tensor,
          ];
        } finally {
          registerTfjsFusedKernels();
        }
        const [ph, pw] = pair(c.opts.padding, 0);
        const attrs = {
          stride: pair(c.opts.stride, 1),
          padding: [
            [ph, ph],
            [pw, pw],
          ] as [Pair, Pair],
          dilation: pair(c.opts.dilation, 1),
          groups: c.opts.groups ?? 1,
        };
        const outs = tidy(() => {
          const k = [
            runKernel<Tensor>(FusedKernels.Conv2d, [x, w], attrs),
            runKernel<Tensor>(FusedKernels.Conv2dBackpropInput, [dy, w], { ...attrs, inputShape: c.x }),
          ];
          // tfjs-wasm has no Conv2DBackpropFilter at all: nothing to run there.
          if (tf.getKernel('Conv2DBackpropFilter', tf.getBackend()))
            k.push(runKernel<Tensor>(FusedKernels.Conv2dBackpropFilter, [x, dy], { ...attrs, filterShape: c.w }));
          return k;
        });
        await expectClose('Conv2d', outs[0] as Tensor, y);
        await expectClose('Conv2dBackpropInput', outs[1] as Tensor, gx);
        if (outs[2]) await expectClose('Conv2dBackpropFilter', outs[2], gw);
        expect(outs.length).toBe(tfBackend === 'cpu' ? 3 : 2);
        for (const t of [x, w, y, dy, gx, gw, ...outs]) t.dispose();
        expect(memory().numTensors).toBe(before);
      });
    }

    it('take a dy smaller than the conv of the input gives (outputPadding past the stride)', async () => {
      const before = memory().numTensors;
      // convTranspose2d(x [1,2,4,4], dilation 2, outputPadding 1) makes a 9×9 plane whose conv has
      // 5×5 positions: its gradients run the kernels with dy of 4×4.
      const attrs = {
        stride: [1, 1],
        padding: [
          [0, 0],
          [0, 0],
        ],
        dilation: [2, 2],
        groups: 1,
      } as const;
      const [x, w, g] = [randn([1, 2, 4, 4]), randn([2, 3, 3, 3]), randn([1, 3, 9, 9])];
      for (const name of FUSED) unregisterKernel(name, 'tfjs');
      let want: Tensor[];
      try {
        want = grad((a: Tensor, b: Tensor) => convTranspose2d(a, b, null, { dilation: 2, outputPadding: 1 }).mul(g).sum(), {
          argnums: [0, 1],
        })(x, w) as Tensor[];
      } finally {
        registerTfjsFusedKernels();
      }
      const dx = runKernel<Tensor>(FusedKernels.Conv2dBackpropInput, [x, w], { ...attrs, inputShape: [1, 3, 9, 9] });
      expect(dx.shape).toEqual([1, 3, 9, 9]);
      const outs = [dx];
      if (tf.getKernel('Conv2DBackpropFilter', tf.getBackend())) {
        const dw = runKernel<Tensor>(FusedKernels.Conv2dBackpropFilter, [g, x], { ...attrs, filterShape: [2, 3, 3, 3] });
        await expectClose('Conv2dBackpropFilter', dw, want[1] as Tensor);
        outs.push(dw);
      }
      const y = convTranspose2d(x, w, null, { dilation: 2, outputPadding: 1 });
      const viaKernels = grad((a: Tensor) => convTranspose2d(a, w, null, { dilation: 2, outputPadding: 1 }).mul(g).sum())(x);
      await expectClose('the input gradient through Conv2d', viaKernels, want[0] as Tensor);
      for (const t of [x, w, g, dx, y, viaKernels, ...want, ...outs]) t.dispose();
      expect(memory().numTensors).toBe(before);
    });
  });
}

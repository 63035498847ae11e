/** The two ways docs/adding-an-activation-kernel.md shows, run as written, checked against cpu. */
import {
  type ActivationAttrs,
  currentBackend,
  defineActivation,
  type KernelFn,
  registerDerivativeKind,
  registerForwardKind,
  registerKernel,
  setBackend,
  type TensorInfo,
  tensor,
} from '@surrograd/core';
import { afterAll, expect, it } from 'vitest';
import { elementwise, mathHelpers, type WebGpuBackend, webgpuKernels } from '../src/index.js';
import { expectSameAsCpu, host } from './support/differential.js';

const xs = [-3, -1, -0.5, 0, 0.25, 2, 40, Number.NaN, Number.NEGATIVE_INFINITY];

// Way 1: describe the activation once in core's table; every backend compiles it.
registerForwardKind('softsign', { expr: 'x / (1 + abs(x))' });
registerDerivativeKind('softsign', { from: 'x', expr: '1 / ((1 + abs(x)) * (1 + abs(x)))' });
const softsign = defineActivation({
  name: 'softsign',
  title: 'Softsign',
  forward: 'softsign',
  derivative: 'softsign',
  defaults: {},
  forwardText: 'x / (1 + |x|)',
  derivativeText: '1 / (1 + |x|)²',
  atZero: 'derivative 1 at 0',
  source: 'PyTorch torch.nn.Softsign',
  surrogate: false,
});

it('a kind added to the table runs on webgpu as on cpu, forward and backward', async () => {
  await expectSameAsCpu('Activation', [host(xs)], { kind: 'softsign', params: {} }, { rtol: 1e-6 });
  await expectSameAsCpu('ActivationGrad', [host(xs.map(() => 1.5)), host(xs)], { kind: 'softsign', params: {} }, { rtol: 1e-6 });
  await setBackend('webgpu');
  const x = tensor([-1, 0, 3], { requiresGrad: true });
  softsign(x).sum().backward();
  expect(Array.from(await x.grad!.data())).toEqual([0.25, 1, 1 / 16]);
  x.dispose();
});

// Way 2: a hand-written WGSL kernel for one kind, everything else to the generated kernels.
const generated = webgpuKernels.Activation;
const activation: KernelFn<WebGpuBackend, ActivationAttrs & { mask?: string }> = (args) => {
  if (args.attrs.kind !== 'softsign' || args.attrs.mask !== undefined) return generated(args);
  const [x] = args.inputs as [TensorInfo];
  return elementwise(args.backend, {
    key: 'Activation:softsign:handwritten',
    operands: [{ data: args.backend.dataOf(x, 'Activation'), shape: x.shape, type: 'f32' }],
    outShape: x.shape,
    outDType: 'float32',
    outType: 'f32',
    helpers: mathHelpers(['bits']),
    expr: 'v0 / (1.0 + f_abs(v0))',
  });
};

afterAll(() => registerKernel({ name: 'Activation', backend: 'webgpu', fn: generated }));

it('a hand-written kernel registered over the generated one', async () => {
  registerKernel({ name: 'Activation', backend: 'webgpu', fn: activation });
  await setBackend('webgpu');
  const before = currentBackend().memory().pipelines;
  await expectSameAsCpu('Activation', [host(xs)], { kind: 'softsign', params: {} }, { rtol: 1e-6 });
  const after = currentBackend().memory().pipelines;
  expect(after).toBe((before as number) + 1);
  // Other kinds still go to the generated kernels.
  await expectSameAsCpu('Activation', [host(xs)], { kind: 'tanh', params: {} }, { rtol: 1e-6 });
});

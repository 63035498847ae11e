/** The built-in activations, each one entry: forward kind, derivative kind, what it saves. */
import type { Tensor } from '../tensor.js';
import { type ActivationParams, applyActivation, defineActivation } from './activation.js';
import { where } from './where.js';

const positive = (x: Tensor) => x.gt(0).cast(x.dtype);

const ReLU = defineActivation({
  name: 'ReLU',
  forward: 'relu',
  derivative: 'relu',
  saves: 'x',
  derivativeOps: positive,
});

const LeakyReLU = defineActivation({
  name: 'LeakyReLU',
  forward: 'leakyRelu',
  derivative: 'leakyRelu',
  saves: 'x',
  derivativeOps: (x, p) => where(x.gt(0), 1, p.slope as number).cast(x.dtype),
});

const Sigmoid = defineActivation({
  name: 'Sigmoid',
  forward: 'sigmoid',
  derivative: 'sigmoid',
  saves: 'y',
  derivativeOps: (y) => y.mul(y.neg().add(1)),
});

const Tanh = defineActivation({
  name: 'Tanh',
  forward: 'tanh',
  derivative: 'tanh',
  saves: 'y',
  derivativeOps: (y) => y.mul(y).neg().add(1),
});

/** The seed thread's answer: forward ReLU, backward LeakyReLU's derivative (x > 0 ? 1 : slope). */
const ReLUWithLeakyGrad = defineActivation({
  name: 'ReLUWithLeakyGrad',
  forward: 'relu',
  derivative: 'leakyRelu',
  saves: 'x',
  derivativeOps: (x, p) => where(x.gt(0), 1, p.slope as number).cast(x.dtype),
});

export interface SlopeOptions {
  /** Gradient (and, for leakyRelu, value) factor for x ≤ 0. */
  slope?: number;
}

const NO_PARAMS: ActivationParams = {};

export const relu = (x: Tensor): Tensor => applyActivation(ReLU, 'relu', x, NO_PARAMS);
export const sigmoid = (x: Tensor): Tensor => applyActivation(Sigmoid, 'sigmoid', x, NO_PARAMS);
export const tanh = (x: Tensor): Tensor => applyActivation(Tanh, 'tanh', x, NO_PARAMS);

/** x > 0 ? x : slope * x; derivative x > 0 ? 1 : slope (PyTorch's). Default slope 0.01. */
export const leakyRelu = (x: Tensor, options: SlopeOptions = {}): Tensor =>
  applyActivation(LeakyReLU, 'leakyRelu', x, { slope: options.slope ?? 0.01 });

/** Forward ReLU; backward x > 0 ? 1 : slope (default 0.01): sparsity with non-saturating gradients. */
export const reluWithLeakyGrad = (x: Tensor, options: SlopeOptions = {}): Tensor =>
  applyActivation(ReLUWithLeakyGrad, 'reluWithLeakyGrad', x, { slope: options.slope ?? 0.01 });

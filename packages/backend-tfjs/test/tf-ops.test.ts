import { activationEntries, derivativeKind, evalExpr, forwardKind, registerDerivativeKind } from '@surrograd/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tfActivationByName, tfActivationNames, tfOps } from '../src/ops/index.js';
import { expectClose } from './support/close.js';
import { threadCases, valuesOf } from './support/goldens.js';
import { TF_BACKENDS, tf, useTfBackend } from './support/tfjs.js';

// Inputs around every kind's breakpoints (0, ±1 windows, saturation), avoiding exact ties at them.
const GRID = [-30, -4.2, -2, -1.3, -0.999, -0.7, -0.31, -0.02, -1e-4, 0, 1e-4, 0.03, 0.25, 0.49, 0.51, 0.998, 1.2, 1.5, 2.5, 3.7, 21, 40];

/** Core's float64 reference of an entry's forward and surrogate derivative at one point. */
function reference(name: string, x: number): { y: number; g: number } {
  const entry = activationEntries().find((e) => e.name === name);
  if (!entry) throw new Error(`no entry ${name}`);
  const fwd = forwardKind(entry.forward);
  const der = derivativeKind(entry.derivative);
  const p = entry.defaults;
  const y = Math.fround(evalExpr(fwd.expr, { ...p, x }));
  const env: Record<string, number> = { ...p };
  if (der.from === 'x') env.x = x;
  if (der.from === 'y') env.y = y;
  if (der.from === 'mask') env.m = +(evalExpr(der.predicate as never, { ...p, x }) !== 0);
  return { y, g: evalExpr(der.expr, env) };
}

describe.each(TF_BACKENDS)('tfOps on tfjs-backend-%s', (backend) => {
  beforeAll(() => useTfBackend(backend));

  it('covers every activation of the library', () => {
    const names = tfActivationNames();
    expect(names.length).toBeGreaterThan(15);
    for (const name of names) {
      const [group] = name.split('/') as [string];
      expect(typeof tfOps[group], `tfOps.${group} (for ${name})`).toBe('function');
    }
  });

  it.each(activationEntries().map((e) => e.name))('%s: forward and gradient match the reference', (name) => {
    const x = tf.tensor1d(GRID);
    const op = tfActivationByName(name);
    const [y, g] = [op(x), tf.grad((v: tf.Tensor) => tf.sum(op(v)))(x)];
    const want = GRID.map((v) => reference(name, v));
    expectClose(
      `${name} forward`,
      y.dataSync(),
      want.map((w) => w.y),
    );
    expectClose(
      `${name} gradient`,
      g.dataSync(),
      want.map((w) => w.g),
      1e-4,
      1e-5,
    );
    tf.dispose([x, y, g]);
  });

  it("reluWithLeakyGrad: tf.grad gives PyTorch's leaky derivative, the value is relu's", () => {
    const cases = threadCases().filter((c) => c.program === 'LeakyReLU');
    expect(cases.length).toBeGreaterThan(0);
    for (const c of cases) {
      const [input] = c.inputs;
      const slope = c.args[0] as number;
      const x = tf.tensor(valuesOf(input!), input!.shape);
      const cot = tf.tensor(valuesOf(c.cotangent), c.cotangent.shape);
      const f = (v: tf.Tensor) => tf.sum(tf.mul(tfOps.reluWithLeakyGrad(v, { slope }), cot));
      const g = tf.grad(f)(x);
      expectClose(`${c.name} grad`, g.dataSync(), valuesOf(c.grads[0]!));
      const y = tfOps.reluWithLeakyGrad(x, { slope });
      expectClose(
        `${c.name} value`,
        y.dataSync(),
        valuesOf(input!).map((v) => Math.max(v, 0)),
      );
      // leakyRelu's value is PyTorch's leaky_relu output.
      const leaky = tfOps.leakyRelu(x, { slope });
      expectClose(`${c.name} leakyRelu value`, leaky.dataSync(), valuesOf(c.out));
      tf.dispose([x, cot, g, y, leaky]);
    }
  });

  it("the thread's NSReLU (x < 0 ? 0.1 : 1) from a derivative kind registered in core", () => {
    registerDerivativeKind('nsReluTest', { from: 'x', expr: 'select(x < 0, slope, 1)', params: ['slope'] });
    const nsRelu = tfOps.surrogate({ forward: 'relu', backward: 'nsReluTest', params: { slope: 0.1 } });
    for (const c of threadCases().filter((k) => k.program === 'NSReLU')) {
      const [input] = c.inputs;
      const x = tf.tensor(valuesOf(input!), input!.shape);
      const cot = tf.tensor(valuesOf(c.cotangent), c.cotangent.shape);
      const g = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(nsRelu(v), cot)))(x);
      expectClose(`${c.name} grad`, g.dataSync(), valuesOf(c.grads[0]!));
      const y = nsRelu(x);
      expectClose(`${c.name} value`, y.dataSync(), valuesOf(c.out));
      tf.dispose([x, cot, g, y]);
    }
  });

  it('tf.variableGrads and an optimizer train through a surrogate activation', () => {
    const w = tf.variable(
      tf.tensor2d([
        [0.5, -1],
        [-0.25, 0.75],
      ]),
    );
    const x = tf.tensor2d([
      [1, 2],
      [-1, 0.5],
      [0.3, -0.8],
    ]);
    const target = tf.tensor2d([
      [1, 0],
      [0, 1],
      [0.5, 0.5],
    ]);
    const loss = () => tf.mean(tf.square(tf.sub(tfOps.reluWithLeakyGrad(tf.matMul(x, w), { slope: 0.1 }), target))) as tf.Scalar;
    const { value, grads } = tf.variableGrads(loss);
    // d/dW of mean((relu(xW) - t)²) with relu' replaced by x > 0 ? 1 : 0.1.
    const h = tf.matMul(x, w);
    const r = tf.relu(h);
    const factor = tf.where(tf.greater(h, 0), tf.onesLike(h), tf.fill(h.shape, 0.1));
    const want = tf.matMul(x, tf.mul(tf.mul(tf.sub(r, target), factor), 2 / 6), true, false);
    expectClose('dL/dW', (grads[w.name] as tf.Tensor).dataSync(), want.dataSync());
    tf.dispose([value, h, r, factor, want, ...Object.values(grads)]);

    const optimizer = tf.train.sgd(0.5);
    const first = (optimizer.minimize(loss, true) as tf.Scalar).dataSync()[0] as number;
    const numTensors = tf.memory().numTensors;
    let last = first;
    for (let i = 0; i < 30; i++) {
      const l = optimizer.minimize(loss, true) as tf.Scalar;
      last = l.dataSync()[0] as number;
      l.dispose();
    }
    expect(last).toBeLessThan(first / 2);
    // Nothing from our op survives a step: saved tensors are freed by backprop, temporaries by tidy.
    expect(tf.memory().numTensors).toBe(numTensors);
    optimizer.dispose();
    tf.dispose([w, x, target]);
  });

  it('grouped ops choose their entry as core does', () => {
    const x = tf.tensor1d([-1.5, -0.5, 0.5, 2.5]);
    const spikes = tfOps.heaviside(x, { surrogate: 'atan', alpha: 2 });
    expect(Array.from(spikes.dataSync())).toEqual([0, 0, 1, 1]);
    const atanGrad = tf.grad((v: tf.Tensor) => tf.sum(tfOps.heaviside(v, { surrogate: 'atan', alpha: 2 })))(x);
    expectClose(
      'atan surrogate',
      atanGrad.dataSync(),
      [-1.5, -0.5, 0.5, 2.5].map((v) => 1 / (1 + (Math.PI * v) ** 2)),
    );
    const rounded = tfOps.roundSTE(x);
    // Half to even; round(-0.5)'s zero sign is the tfjs backend's (tfjs-cpu gives +0, -wasm -0).
    expect(Array.from(rounded.dataSync(), (v) => v + 0)).toEqual([-2, 0, 0, 2]);
    const clipped = tf.grad((v: tf.Tensor) => tf.sum(tfOps.roundSTE(v, { clip: [-1, 1] })))(x);
    expect(Array.from(clipped.dataSync())).toEqual([0, 1, 1, 0]);
    const gelu = tfOps.gelu(x, { approximate: 'tanh' });
    const geluExact = tfOps.gelu(x);
    expect(gelu.dataSync()[3]).not.toBe(geluExact.dataSync()[3]);
    tf.dispose([x, spikes, atanGrad, rounded, clipped, gelu, geluExact]);
  });

  it('casts int input to float32 and rejects bad options by name', () => {
    const xi = tf.tensor1d([-2, 3], 'int32');
    const y = tfOps.relu(xi);
    expect(y.dtype).toBe('float32');
    expect(Array.from(y.dataSync())).toEqual([0, 3]);
    expect(() => tfOps.reluWithLeakyGrad(xi, { slop: 0.1 })).toThrow(/unknown option 'slop'; options are slope/);
    expect(() => tfOps.leakyRelu(xi, { slope: Number.NaN })).toThrow(/option 'slope' must be a number/);
    expect(() => tfOps.heaviside(xi, { surrogate: 'nope' as never })).toThrow(/no activation named 'heaviside\/nope'/);
    tf.dispose([xi, y]);
  });
});

afterAll(() => tf.disposeVariables());

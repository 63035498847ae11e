/**
 * Forward-mode AD on this backend: every op of ops.json and every activation of activations.json
 * by `jvp` against torch.autograd.forward_ad; programs with custom Function jvps, reverse over
 * forward, Jacobians (jacfwd and jacrev) and Hessians against PyTorch; the composites of the
 * gradcheck suite by gradcheck's forward mode (float64) or a float32 central difference along the
 * tangent; a Function without jvp named in the error; memory flat over many jvp calls.
 */
import {
  activationFunction,
  defineFunction,
  gelu,
  grad,
  gradcheck,
  heaviside,
  hessian,
  jacfwd,
  jacrev,
  jvp,
  memory,
  noGrad,
  randn,
  type Tensor,
  tensor,
  tidy,
} from '@surrograd/core';
import { describe, expect } from 'vitest';
import { withBag } from '../bag.js';
import { expectTensorClose, mismatch } from '../compare.js';
import { test } from '../declare.js';
import { expectedOf, goldenTensor, goldenValues, isGoldenTensor } from '../decode.js';
import { type ActivationCase, type ForwardAdCase, loadActivationCases, loadForwardAd, loadOpCases, type OpCase } from '../goldens.js';
import type { KitContext } from '../options.js';
import { forwardAdProgram } from '../programs/forward-ad.js';
import { type OpArg, runOp } from '../run-op.js';
import { CHECKS, type Check, makeInputs } from './gradcheck.js';
import { nanInputs } from './ops.js';

async function runOpCase(kit: KitContext, c: OpCase): Promise<void> {
  await withBag(async (bag) => {
    const tangents = c.tangents as (OpCase['inputs'][number] | null)[];
    const args: OpArg[] = c.inputs.map((g) => (isGoldenTensor(g) ? bag.add(goldenTensor(g)) : (g as number)));
    const dualAt = tangents.map((t, i) => (t ? i : -1)).filter((i) => i >= 0);
    const primals = dualAt.map((i) => args[i] as Tensor);
    const ts = dualAt.map((i) => bag.add(goldenTensor(tangents[i] as never)));
    const [out, tangent] = jvp(
      (...xs: Tensor[]) => {
        const call = [...args];
        dualAt.forEach((i, j) => {
          call[i] = xs[j] as Tensor;
        });
        return runOp(c.op, call, c.kwargs);
      },
      primals,
      ts,
    );
    bag.add(out);
    bag.add(tangent);
    await expectTensorClose('out', out, expectedOf(c.out), kit.tolerance, { signedZeros: c.signedZeros ?? false });
    await expectTensorClose('jvp', tangent, expectedOf(c.jvp as never), kit.tolerance, {
      ignore: c.lenientGradsAtNaN ? nanInputs(c) : undefined,
    });
  });
}

function runActivation(c: ActivationCase, x: Tensor): Tensor {
  const o = Object.fromEntries(Object.entries(c.options).filter(([, v]) => typeof v === 'number')) as Record<string, number>;
  if (c.name === 'gelu') return gelu(x, { approximate: (c.options.approximate as 'tanh' | undefined) ?? 'none' });
  if (c.name === 'heaviside') return heaviside(x, { surrogate: c.options.surrogate as 'fastSigmoid', ...o });
  return activationFunction(c.name)(x, o);
}

async function runActivationCase(kit: KitContext, c: ActivationCase): Promise<void> {
  await withBag(async (bag) => {
    const x = bag.add(goldenTensor(c.input));
    const [y, t] = jvp((v: Tensor) => runActivation(c, v), [x], [bag.add(goldenTensor(c.tangent))]);
    bag.add(y);
    bag.add(t);
    const xs = goldenValues(c.input);
    const want = goldenValues(c.jvp);
    // As for gradients: not at NaN inputs, nor where PyTorch's float32 overflows at huge inputs.
    const ignore = (i: number) => Number.isNaN(xs[i] as number) || (Math.abs(xs[i] as number) >= 1e20 && Number.isNaN(want[i] as number));
    await expectTensorClose('jvp', t, expectedOf(c.jvp), kit.tolerance, { ignore });
  });
}

async function runProgramCase(kit: KitContext, c: ForwardAdCase, data: Tensor[]): Promise<void> {
  await withBag(async (bag) => {
    const f = forwardAdProgram(c.program, data);
    const primals = c.primals.map((g) => bag.add(goldenTensor(g)));
    if (c.kind === 'jvp') {
      // A primal without a tangent is passed as a constant.
      const dualAt = c.tangents.map((t, i) => (t ? i : -1)).filter((i) => i >= 0);
      const [out, t] = jvp(
        (...xs: Tensor[]) => {
          const call = [...primals];
          dualAt.forEach((i, j) => {
            call[i] = xs[j] as Tensor;
          });
          return f(...call);
        },
        dualAt.map((i) => primals[i] as Tensor),
        dualAt.map((i) => bag.add(goldenTensor(c.tangents[i] as never))),
      );
      bag.add(out);
      bag.add(t);
      await expectTensorClose('out', out, expectedOf(c.out), kit.tolerance);
      await expectTensorClose('jvp', t, expectedOf(c.jvp), kit.tolerance);
    } else if (c.kind === 'reverseOverForward') {
      const x = primals[0] as Tensor;
      x.requiresGrad = true;
      const tangent = bag.add(goldenTensor(c.tangents[0] as never));
      const loss = tidy(() => {
        const [, t] = jvp(f, [x], [tangent]);
        return t.mul(goldenTensor(c.cotangent)).sum();
      });
      loss.backward();
      loss.dispose();
      await expectTensorClose('grad of the tangent', x.grad as Tensor, expectedOf(c.grad), kit.tolerance);
    } else if (c.kind === 'hessian') {
      const h = bag.add(hessian(f)(...primals));
      await expectTensorClose('hessian', h, expectedOf(c.matrices[0] as never), kit.tolerance);
    } else {
      const many = Array.isArray(c.argnums);
      for (const [mode, transform] of [
        ['jacfwd', jacfwd],
        ['jacrev', jacrev],
      ] as const) {
        const got = transform(f, { argnums: c.argnums })(...primals) as Tensor | Tensor[];
        const list = many ? (got as Tensor[]) : [got as Tensor];
        bag.addAll(list);
        for (let i = 0; i < list.length; i++) {
          await expectTensorClose(`${mode} for argument ${i}`, list[i] as Tensor, expectedOf(c.matrices[i] as never), kit.tolerance);
        }
      }
    }
  });
}

/** float32 check of forward mode: J·v against a central difference of f along v (loose, as the float32 gradient check). */
async function finiteDifferenceJvp(check: Check): Promise<void> {
  await withBag(async (bag) => {
    const inputs = bag.addAll(makeInputs(check, 'float32'));
    const tangents = inputs.map((x, i) => bag.add(randn(x.shape, { seed: 70 + i })));
    const [, t] = jvp(check.fn, inputs, tangents);
    bag.add(t);
    const eps = 1e-2;
    const at = async (sign: number) =>
      (
        await bag
          .add(noGrad(() => check.fn(...inputs.map((x, i) => bag.add(x.detach().add((tangents[i] as Tensor).mul(sign * eps)))))))
          .data()
      )[0] as number;
    const numeric = ((await at(1)) - (await at(-1))) / (2 * eps);
    const got = (await t.data())[0] as number;
    const why = mismatch([got], [numeric], { rtol: 2e-2, atol: 1e-2 });
    if (why) throw new Error(`jvp ${got} vs central difference ${numeric}: ${why}`);
  });
}

async function runGradcheck(kit: KitContext, check: Check): Promise<void> {
  await finiteDifferenceJvp(check);
  if (!kit.float64) return;
  await withBag(async (bag) => {
    const inputs = bag.addAll(makeInputs(check, 'float64'));
    if (gradcheck(check.fn, inputs, { checkForwardAd: true, checkBackwardAd: false }) !== true) {
      throw new Error('gradcheck (forward mode, float64) returned false');
    }
  });
}

/** A Function with no jvp: forward mode through it must say so, by name, and change nothing. */
const NoJvp = defineFunction({
  name: 'NoJvp',
  forward: (_ctx, x: Tensor) => x.mul(2),
  backward: (_ctx, dy: Tensor) => dy.mul(2),
});

export function forwardAdSuite(kit: KitContext): void {
  describe('forward-mode AD (jvp, jacfwd, jacrev, hessian)', () => {
    for (const c of loadOpCases()) {
      if (c.jvp) test(kit, `forward-ad/ops/${c.name}`, () => runOpCase(kit, c));
    }
    for (const c of loadActivationCases()) {
      const id = `forward-ad/activations/${c.kind === 'pytorch' ? 'pytorch' : 'straight-through'}/${c.name}(${JSON.stringify(c.options)})`;
      test(kit, id, () => runActivationCase(kit, c));
    }
    for (const c of loadForwardAd().cases) {
      test(kit, `forward-ad/${c.kind}/${c.name}`, () =>
        withBag(async (bag) => {
          const data = bag.addAll(loadForwardAd().data.mlpLoss.map((g) => goldenTensor(g)));
          await runProgramCase(kit, c, data);
        }),
      );
    }
    for (const [name, check] of Object.entries(CHECKS)) test(kit, `forward-ad/gradcheck/${name}`, () => runGradcheck(kit, check));

    test(kit, 'forward-ad/nested: jacfwd of jacfwd equals hessian', async () => {
      await withBag(async (bag) => {
        const x = bag.add(tensor([0.3, -1.2, 0.8]));
        const f = (v: Tensor) => v.tanh().mul(v.exp()).sum();
        const inner = jacfwd(f);
        const h1 = bag.add(jacfwd((v: Tensor) => inner(v))(x));
        const h2 = bag.add(hessian(f)(x));
        const h3 = bag.add(jacrev((v: Tensor) => jacrev(f)(v))(x));
        await expectTensorClose('jacfwd(jacfwd)', h1, { shape: [3, 3], dtype: 'float32', values: await h2.data() }, kit.tolerance);
        await expectTensorClose('jacrev(jacrev)', h3, { shape: [3, 3], dtype: 'float32', values: await h2.data() }, kit.tolerance);
      });
    });

    test(kit, 'forward-ad/a Function without jvp is named, and nothing leaks', async () => {
      const x = tensor([1, 2, 3]);
      const v = tensor([1, 0, 0]);
      const before = memory().numTensors;
      expect(() => jvp((a: Tensor) => NoJvp(a.exp()), [x], [v])).toThrow(
        'NoJvp: forward-mode AD (jvp, jacfwd, hessian) reached this Function',
      );
      expect(memory().numTensors).toBe(before);
      // The library is still usable, and NoJvp still works outside jvp.
      const y = NoJvp(x);
      expect(Array.from(await y.data())).toEqual([2, 4, 6]);
      y.dispose();
      x.dispose();
      v.dispose();
    });

    test(kit, 'forward-ad/reverse over jvp over backward through a freed saved output is an error', async () => {
      const x = tensor([0.5, 1], { requiresGrad: true });
      const v = tensor([1, 2]);
      // d/dx Σ jvp(tanh', x, v): tanh saves its output, which the inner tidy frees before backward.
      const third = (inner: (w: Tensor) => Tensor) =>
        grad((xx: Tensor) => (jvp((u: Tensor) => grad(inner)(u), [xx], [v])[1] as Tensor).sum())(x);
      const before = memory().numTensors;
      expect(() => third((w) => tidy(() => w.tanh().sum()))).toThrow(
        /^Tanh: saved output 0 \(shape \[2\]\) was disposed before this backward, which records a graph through its forward-mode tangent/,
      );
      expect(memory().numTensors).toBe(before);
      // Kept alive, the same program gives -2v(1 - y²)(1 - 3y²), y = tanh x.
      const g = third((w) => w.tanh().sum());
      const want = [0.5, 1].map((a, i) => {
        const y = Math.tanh(a);
        return -2 * [1, 2][i] * (1 - y * y) * (1 - 3 * y * y);
      });
      await expectTensorClose('third derivative', g, { shape: [2], dtype: 'float32', values: want }, kit.tolerance);
      for (const t of [g, x, v]) t.dispose();
    });

    test(kit, 'forward-ad/bad input: tangents that do not match their primals', async () => {
      const x = tensor([1, 2, 3]);
      const v = tensor([1, 0]);
      const before = memory().numTensors;
      expect(() => jvp((a: Tensor) => a.exp(), [x], [v])).toThrow('jvp: tangent 0 has shape [2] float32, but primal 0 has [3] float32');
      expect(() => jvp((a: Tensor) => a.exp(), [x], [])).toThrow('jvp: expected as many tangents as primals');
      expect(memory().numTensors).toBe(before);
      x.dispose();
      v.dispose();
    });

    test(kit, 'forward-ad/memory is flat over 200 jvp calls and 20 hessian, jacrev and jacfwd calls', async () => {
      const x = tensor([0.5, -0.25, 2]);
      const v = tensor([1, 2, 3]);
      const w = tensor([0.1, 0.2, 0.3]);
      w.requiresGrad = true;
      const step = () => {
        const [y, t] = jvp((a: Tensor) => a.mul(w).sigmoid().relu().sum(), [x], [v]);
        y.dispose();
        t.dispose();
      };
      const second = () => {
        hessian((a: Tensor) => a.mul(w).tanh().sum())(x).dispose();
        jacrev((a: Tensor) => a.sigmoid().mul(w))(x).dispose();
        jacfwd((a: Tensor) => a.sigmoid().mul(w))(x).dispose();
      };
      step();
      second();
      const before = memory().numTensors;
      for (let i = 0; i < 200; i++) step();
      for (let i = 0; i < 20; i++) second();
      expect(memory().numTensors).toBe(before);
      x.dispose();
      v.dispose();
      w.dispose();
    });
  });
}

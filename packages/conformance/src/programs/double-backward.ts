/** The functions of double-backward.json; `cube` is a custom Function with a differentiable backward. */
import { defineFunction, type Tensor } from '@surrograd/core';

/** x³, whose backward 3·x²·dy is made of tensor ops, so it can itself be differentiated. */
export const Cube = defineFunction({
  name: 'Cube',
  forward(ctx, x: Tensor) {
    ctx.saveForBackward(x);
    return x.mul(x).mul(x);
  },
  backward(ctx, dy: Tensor) {
    const [x] = ctx.savedTensors as [Tensor];
    return x.mul(x).mul(3).mul(dy);
  },
  // Forward mode: the same derivative times the tangent.
  jvp(ctx, t) {
    const [x] = ctx.savedTensors as [Tensor];
    return x
      .mul(x)
      .mul(3)
      .mul(t as Tensor);
  },
});

type Fn = (...xs: Tensor[]) => Tensor;
const first = (xs: Tensor[]): Tensor => xs[0] as Tensor;
const second = (xs: Tensor[]): Tensor => xs[1] as Tensor;

export const DOUBLE_BACKWARD_FUNCTIONS: Record<string, Fn> = {
  cube: (...xs) => Cube(first(xs)),
  tanh: (...xs) => first(xs).tanh(),
  sigmoid: (...xs) => first(xs).sigmoid(),
  exp: (...xs) => first(xs).exp(),
  log: (...xs) => first(xs).log(),
  sqrt: (...xs) => first(xs).sqrt(),
  mulSelf: (...xs) => first(xs).mul(first(xs)),
  mul: (...xs) => first(xs).mul(second(xs)),
  div: (...xs) => first(xs).div(second(xs)),
  powNumber3: (...xs) => first(xs).pow(3),
  relu: (...xs) => first(xs).relu(),
  logSumExp: (...xs) => first(xs).logSumExp(-1),
  softmax: (...xs) => first(xs).softmax(-1),
  matmul: (...xs) => first(xs).matmul(second(xs)),
  mlpLayer: (...xs) => first(xs).matmul(second(xs)).tanh().sum(-1),
};

export function doubleBackwardFunction(name: string): Fn {
  const fn = DOUBLE_BACKWARD_FUNCTIONS[name];
  if (!fn) throw new Error(`the conformance kit has no double-backward function '${name}'`);
  return fn;
}

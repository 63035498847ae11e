/**
 * Learnable surrogate parameters. A spike's value does not depend on its surrogate's α, so the
 * gradient to α has to come from the same pretence that gives x its gradient: in backward the
 * spike is the surrogate's primitive σ(x; α), the smooth step whose derivative the surrogate is.
 * Then dL/dx = dy·∂σ/∂x (the surrogate, as always) and dL/dα = Σ dy·∂σ/∂α — SpikingJelly's
 * `spiking=False` primitive differentiated in α. σ is fixed by σ(−∞) = 0, so only surrogates whose
 * derivative integrates to a finite total can learn.
 */
import { straightThrough } from '../ops/straight-through.js';
import { fmt, tryBroadcastShapes } from '../shape.js';
import { isTensor, type Tensor } from '../tensor.js';
import { type Expr, parseExpr } from './expr.js';
import { evalExprTensor, type Value } from './tensor-eval.js';

/** σ(x; params) with σ(−∞) = 0, by derivative kind; d/dx of each is that kind's expression. */
const PRIMITIVE_TEXT: Readonly<Record<string, string>> = {
  atan: '0.5 + atan2(pi / 2 * alpha * x, 1) / pi',
  sigmoidSurrogate: 'sigmoid(slope * x)',
  fastSigmoid: 'x / (1 + slope * abs(x)) + 1 / slope',
  triangular:
    'scale * (min(max(x, -width), width) - min(max(x, -width), width) * abs(min(max(x, -width), width)) / (2 * width) + width / 2)',
  piecewiseQuadratic: 'select(abs(x) > 1 / alpha, x > 0, alpha * x - alpha * alpha / 2 * x * abs(x) + 0.5)',
  piecewiseExp: 'select(x < 0, exp(alpha * x) / 2, 1 - exp(-(alpha * x)) / 2)',
  slayer: 'select(x < 0, scale / 2 * exp(x / tau), scale - scale / 2 * exp(-(x / tau)))',
  softSign: '(alpha * x / (1 + abs(alpha * x)) + 1) / 2',
  erfSurrogate: '(1 + erf(alpha * x)) / 2',
  superSpike: 'alpha * (x / (1 + abs(x)) + 1)',
  rect: 'min(max(alpha * x, -0.5), 0.5) + 0.5',
  boxcar: 'height * (min(max(x, -width / 2), width / 2) + width / 2)',
  spyxArctan: '(atan2(k * pi * x, 1) + pi / 2) / (k * pi * pi)',
  heaviTanh: '(tanh(k * x) + 1) / k',
  heaviErfc: '(erf(k * x) + 1) / k',
  heaviCirc: 'alpha * (x / sqrt(alpha * alpha + x * x) + 1)',
};

const parsed = new Map<string, Expr>();

/** The primitive σ of a derivative kind, or undefined where its parameters can't be learnt. */
export function surrogatePrimitive(derivative: string): Expr | undefined {
  const text = PRIMITIVE_TEXT[derivative];
  if (text === undefined) return undefined;
  let e = parsed.get(derivative);
  if (!e) {
    e = parseExpr(text);
    parsed.set(derivative, e);
  }
  return e;
}

/** The derivative kinds whose parameters can be learnt (passed to `heaviside` as tensors). */
export function learnableSurrogateKinds(): readonly string[] {
  return Object.keys(PRIMITIVE_TEXT);
}

/**
 * The spike `spikes` (already computed, no gradient) with backward through σ(x; params), where
 * tensor params receive gradients. `op` names the user's call in errors.
 */
export function learnableSpike(
  op: string,
  derivative: string,
  spikes: Tensor,
  x: Tensor,
  params: Readonly<Record<string, number | Tensor>>,
): Tensor {
  const primitive = surrogatePrimitive(derivative);
  if (!primitive) throw new TypeError(`${op}: this surrogate's parameters can't be learnt (its derivative has no bounded primitive)`);
  for (const [name, v] of Object.entries(params)) {
    if (!isTensor(v)) continue;
    v.assertAlive(op);
    if (v.dtype !== x.dtype) throw new TypeError(`${op}: option '${name}' is a ${v.dtype} tensor; it must be ${x.dtype}, as the input`);
    const b = tryBroadcastShapes(v.shape, x.shape);
    if (b === null || fmt(b) !== fmt(x.shape))
      throw new RangeError(`${op}: option '${name}' has shape ${fmt(v.shape)}, which does not broadcast to the input's ${fmt(x.shape)}`);
  }
  const sigma = evalExprTensor(primitive, { ...params, x } as Record<string, Value>) as Tensor;
  return straightThrough(spikes, sigma);
}

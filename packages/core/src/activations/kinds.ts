/**
 * Forward kinds and derivative kinds, by name: each is one expression, compiled by every backend.
 * A forward kind reads x; a derivative kind reads the saved input x, the output y, a 1-bit mask m
 * of a predicate on x (for derivatives that depend only on where x lies), or nothing.
 * Registering a kind here is all a backend that compiles expressions (cpu, webgpu) needs.
 */
import type { ActivationAttrs, ActivationGradAttrs } from '../kernels.js';
import { type Expr, exprVars, parseExpr } from './expr.js';

/** What a derivative kind's backward reads: the input x, the output y, the 1-bit mask m of its predicate on x (bit-packed, 32 per int32 word), or nothing (a constant derivative). */
export type SavedFrom = 'x' | 'y' | 'mask' | 'none';

/** How to declare a forward kind to {@link registerForwardKind}. */
export interface ForwardKindSpec {
  /** y as an expression of x and the parameters. */
  expr: string;
  /** Names of the numeric parameters the expression reads besides x. */
  params?: readonly string[];
}

/** How to declare a derivative kind to {@link registerDerivativeKind}. */
export interface DerivativeKindSpec {
  /** What backward reads. */
  from: SavedFrom;
  /** dy/dx (or the surrogate used in its place) as an expression of x, y or m, and the parameters. */
  expr: string;
  /** For from 'mask': the predicate on x whose bit the forward pass saves. */
  predicate?: string;
  /** Names of the numeric parameters the expression and predicate read. */
  params?: readonly string[];
}

/** A registered forward kind: its expression, parsed and checked to read only x and its parameters. */
export interface ForwardKind {
  /** The name kernels receive as `kind`. */
  readonly name: string;
  /** The expression as written. */
  readonly text: string;
  /** The parsed expression: y in terms of x and the parameters. */
  readonly expr: Expr;
  /** Parameter names it reads. */
  readonly params: readonly string[];
}

/** A registered derivative kind: its expression (and predicate, for mask kinds), parsed and checked to read only what `from` saves and its parameters. */
export interface DerivativeKind {
  /** The name kernels receive as `kind` (and, for mask kinds, as the forward's `mask`). */
  readonly name: string;
  /** What backward reads. */
  readonly from: SavedFrom;
  /** The expression as written. */
  readonly text: string;
  /** The parsed expression: the local derivative in terms of x, y or m and the parameters. */
  readonly expr: Expr;
  /** For mask kinds: the predicate on x as written. */
  readonly predicateText?: string;
  /** For mask kinds: the parsed predicate whose bit the forward kernel saves. */
  readonly predicate?: Expr;
  /** Parameter names it reads. */
  readonly params: readonly string[];
}

const forwardKinds = new Map<string, ForwardKind>();
const derivativeKinds = new Map<string, DerivativeKind>();

function checkVars(what: string, e: Expr, allowed: readonly string[]): void {
  for (const v of exprVars(e)) {
    if (!allowed.includes(v)) throw new Error(`${what}: unknown variable '${v}' (allowed: ${allowed.join(', ')})`);
  }
}

/** Adds (or replaces) a forward kind. */
export function registerForwardKind(name: string, spec: ForwardKindSpec): ForwardKind {
  const params = spec.params ?? [];
  const expr = parseExpr(spec.expr);
  checkVars(`forward kind '${name}'`, expr, ['x', ...params]);
  const kind = { name, text: spec.expr, expr, params };
  forwardKinds.set(name, kind);
  return kind;
}

const READS: Record<SavedFrom, string[]> = { x: ['x'], y: ['y'], mask: ['m'], none: [] };

/** Adds (or replaces) a derivative kind. */
export function registerDerivativeKind(name: string, spec: DerivativeKindSpec): DerivativeKind {
  const params = spec.params ?? [];
  const expr = parseExpr(spec.expr);
  checkVars(`derivative kind '${name}'`, expr, [...READS[spec.from], ...params]);
  let predicate: Expr | undefined;
  if (spec.from === 'mask') {
    if (!spec.predicate) throw new Error(`derivative kind '${name}': from 'mask' needs a predicate on x`);
    predicate = parseExpr(spec.predicate);
    checkVars(`derivative kind '${name}' predicate`, predicate, ['x', ...params]);
  }
  const kind: DerivativeKind = { name, from: spec.from, text: spec.expr, expr, predicateText: spec.predicate, predicate, params };
  derivativeKinds.set(name, kind);
  return kind;
}

/** The forward kind registered as `name`; throws an error listing the known kinds if there is none. */
export function forwardKind(name: string): ForwardKind {
  const k = forwardKinds.get(name);
  if (!k) throw new Error(`Activation: unknown forward kind '${name}'; known kinds: ${[...forwardKinds.keys()].join(', ')}`);
  return k;
}

/** The derivative kind registered as `name`; throws an error listing the known kinds if there is none. */
export function derivativeKind(name: string): DerivativeKind {
  const k = derivativeKinds.get(name);
  if (!k) throw new Error(`ActivationGrad: unknown derivative kind '${name}'; known kinds: ${[...derivativeKinds.keys()].join(', ')}`);
  return k;
}

/** What a kernel call's attrs name, resolved: the object core passed, or the kind registered under the name. */
function resolve<K extends { name: string }>(kernel: string, name: string, given: K | undefined, lookup: (name: string) => K): K {
  if (given === undefined) return lookup(name);
  if (given.name !== name) throw new Error(`${kernel}: attrs name kind '${name}' but carry kind '${given.name}'`);
  return given;
}

/** The kinds of an `Activation` call, resolved. */
export interface ActivationKinds {
  /** The forward kind: y = f(x). */
  forward: ForwardKind;
  /** The derivative kind whose predicate bits the call also writes, or null for no mask. */
  mask: DerivativeKind | null;
}

/**
 * The kinds an `Activation` call names: the objects core's activation Functions pass (no lookup,
 * and the very kinds the Function was built with), or for a direct call the kinds registered
 * under the names. The mask's kind is checked to read a mask.
 */
export function activationKinds(attrs: ActivationAttrs): ActivationKinds {
  const forward = resolve('Activation', attrs.kind, attrs.forwardKind, forwardKind);
  if (attrs.mask === undefined || attrs.mask === null) return { forward, mask: null };
  const mask = resolve('Activation', attrs.mask, attrs.maskKind, derivativeKind);
  if (mask.from !== 'mask') throw new Error(`Activation: derivative kind '${mask.name}' reads '${mask.from}', not a mask`);
  return { forward, mask };
}

/** The derivative kind an `ActivationGrad` call names, resolved as {@link activationKinds} does. */
export function activationGradKind(attrs: ActivationGradAttrs): DerivativeKind {
  return resolve('ActivationGrad', attrs.kind, attrs.derivativeKind, derivativeKind);
}

/** Every registered forward kind, in registration order: what a backend compiling the table must implement. */
export function listForwardKinds(): ForwardKind[] {
  return [...forwardKinds.values()];
}

/** Every registered derivative kind, in registration order: what a backend compiling the table must implement. */
export function listDerivativeKinds(): DerivativeKind[] {
  return [...derivativeKinds.values()];
}

// ---- the built-in kinds --------------------------------------------------------------------
// NaN conventions follow PyTorch where it defines them (relu(NaN) = NaN, relu'(NaN) = 1).

const GELU_TANH_K = 'sqrt(2 / pi)';

registerForwardKind('relu', { expr: 'select(x > 0, x, select(x != x, x, 0))' });
registerForwardKind('leakyRelu', { expr: 'select(x > 0, x, x * slope)', params: ['slope'] });
registerForwardKind('elu', { expr: 'select(x > 0, x, alpha * (exp(x) - 1))', params: ['alpha'] });
registerForwardKind('gelu', { expr: '0.5 * x * (1 + erf(x / sqrt(2)))' });
registerForwardKind('geluTanh', { expr: `0.5 * x * (1 + tanh(${GELU_TANH_K} * (x + 0.044715 * x * x * x)))` });
registerForwardKind('silu', { expr: 'x * sigmoid(x)' });
registerForwardKind('sigmoid', { expr: 'sigmoid(x)' });
registerForwardKind('tanh', { expr: 'tanh(x)' });
registerForwardKind('softplus', { expr: 'select(x * beta > threshold, x, log1p(exp(x * beta)) / beta)', params: ['beta', 'threshold'] });
registerForwardKind('hardtanh', { expr: 'select(x != x, x, min(max(x, minVal), maxVal))', params: ['minVal', 'maxVal'] });
registerForwardKind('heaviside', { expr: 'select(x != x, x, x > 0)' });
// SpikingJelly's spike fires at 0 too (its heaviside is x >= 0).
registerForwardKind('heavisideAtZero', { expr: 'select(x != x, x, x >= 0)' });
registerForwardKind('sign', { expr: 'sign(x)' });
registerForwardKind('round', { expr: 'round(x)' });
registerForwardKind('identity', { expr: 'x' });

registerDerivativeKind('reluMask', { from: 'mask', predicate: '!(x <= 0)', expr: 'm' });
registerDerivativeKind('leakyReluMask', { from: 'mask', predicate: 'x > 0', expr: 'select(m, 1, slope)', params: ['slope'] });
registerDerivativeKind('eluFromY', { from: 'y', expr: 'select(y > 0, 1, y + alpha)', params: ['alpha'] });
registerDerivativeKind('gelu', { from: 'x', expr: '0.5 * (1 + erf(x / sqrt(2))) + x * exp(-0.5 * x * x) / sqrt(2 * pi)' });
// Past |x| = 10 the tanh saturates in float32 and the derivative is exactly 1 or 0; the formula's x³
// would overflow there (0 · Inf = NaN at |x| > 7e12).
registerDerivativeKind('geluTanh', {
  from: 'x',
  expr: `select(abs(x) > 10, select(x > 0, 1, 0), 0.5 * (1 + tanh(${GELU_TANH_K} * (x + 0.044715 * x * x * x))) + 0.5 * x * (1 - tanh(${GELU_TANH_K} * (x + 0.044715 * x * x * x)) * tanh(${GELU_TANH_K} * (x + 0.044715 * x * x * x))) * ${GELU_TANH_K} * (1 + 3 * 0.044715 * x * x))`,
});
registerDerivativeKind('silu', { from: 'x', expr: 'sigmoid(x) * (1 + x * (1 - sigmoid(x)))' });
registerDerivativeKind('sigmoidFromY', { from: 'y', expr: 'y * (1 - y)' });
registerDerivativeKind('tanhFromY', { from: 'y', expr: '1 - y * y' });
registerDerivativeKind('softplus', {
  from: 'x',
  expr: 'select(x * beta > threshold, 1, sigmoid(x * beta))',
  params: ['beta', 'threshold'],
});
registerDerivativeKind('hardtanhMask', {
  from: 'mask',
  predicate: '!(x <= minVal || x >= maxVal)',
  expr: 'm',
  params: ['minVal', 'maxVal'],
});
// Surrogates: derivatives used in place of one that is zero almost everywhere.
registerDerivativeKind('bSiLU', { from: 'x', expr: 'sigmoid(x) + (x + alpha) * sigmoid(x) * (1 - sigmoid(x))', params: ['alpha'] });
// B-SiLU's derivative only where ReLU's is 0; ReLU's own 1 above 0.
registerDerivativeKind('bSiLUNegative', {
  from: 'x',
  expr: 'select(x > 0, 1, sigmoid(x) + (x + alpha) * sigmoid(x) * (1 - sigmoid(x)))',
  params: ['alpha'],
});
// SUGAR's NeLU is x for x > 0 and −α/(1 + x²) for x ≤ 0; its derivative there, 2αx/(1 + x²)²,
// is 0 at 0 and negative below. Written as 2α·(x/(1 + x²))/(1 + x²) so that x² overflowing
// float32 (|x| > 1.8e19) gives 0, not Inf/Inf = NaN.
registerDerivativeKind('neLU', {
  from: 'x',
  expr: 'select(x > 0, 1, 2 * alpha * (x / (1 + x * x)) / (1 + x * x))',
  params: ['alpha'],
});
registerDerivativeKind('straightThrough', { from: 'none', expr: '1' });
registerDerivativeKind('fastSigmoid', { from: 'x', expr: '1 / ((slope * abs(x) + 1) * (slope * abs(x) + 1))', params: ['slope'] });
registerDerivativeKind('atan', { from: 'x', expr: 'alpha / 2 / (1 + (pi / 2 * alpha * x) * (pi / 2 * alpha * x))', params: ['alpha'] });
registerDerivativeKind('sigmoidSurrogate', { from: 'x', expr: 'slope * sigmoid(slope * x) * (1 - sigmoid(slope * x))', params: ['slope'] });
registerDerivativeKind('triangular', { from: 'x', expr: 'scale * max(0, 1 - abs(x) / width)', params: ['width', 'scale'] });
registerDerivativeKind('piecewiseLeaky', {
  from: 'mask',
  predicate: 'abs(x) < width',
  expr: 'select(m, 1 / (2 * width), leak)',
  params: ['width', 'leak'],
});
// SpikingJelly's surrogates (activation_based/surrogate.py), each its *_backward function.
registerDerivativeKind('piecewiseQuadratic', {
  from: 'x',
  expr: 'select(abs(x) > 1 / alpha, 0, alpha - alpha * alpha * abs(x))',
  params: ['alpha'],
});
registerDerivativeKind('piecewiseExp', { from: 'x', expr: 'alpha / 2 * exp(-(alpha * abs(x)))', params: ['alpha'] });
// Lava-dl SLAYER's (slayer/spike/spike.py, _spike_backward): scale/(2τ)·e^(−|x|/τ).
registerDerivativeKind('slayer', { from: 'x', expr: 'scale / (2 * tau) * exp(-(abs(x) / tau))', params: ['scale', 'tau'] });
registerDerivativeKind('softSign', { from: 'x', expr: 'alpha / (2 * (1 + alpha * abs(x)) * (1 + alpha * abs(x)))', params: ['alpha'] });
registerDerivativeKind('erfSurrogate', { from: 'x', expr: 'alpha / sqrt(pi) * exp(-(alpha * x * (alpha * x)))', params: ['alpha'] });
registerDerivativeKind('s2nn', {
  from: 'x',
  expr: 'select(x < 0, alpha * sigmoid(alpha * x) * (1 - sigmoid(alpha * x)), beta / (x + 1))',
  params: ['alpha', 'beta'],
});
registerDerivativeKind('superSpike', { from: 'x', expr: 'alpha / ((abs(x) + 1) * (abs(x) + 1))', params: ['alpha'] });
registerDerivativeKind('rect', { from: 'mask', predicate: 'abs(x) < 0.5 / alpha', expr: 'select(m, alpha, 0)', params: ['alpha'] });
registerDerivativeKind('logTailedReLU', { from: 'x', expr: 'select(x <= 0, alpha, select(x > 1, 1 / x, 1))', params: ['alpha'] });
registerDerivativeKind('qPseudoSpike', { from: 'x', expr: 'pow(1 + 2 / (alpha - 1) * abs(x), -alpha)', params: ['alpha'] });
// snnTorch's surrogates (snntorch/surrogate.py), each its class's backward.
registerDerivativeKind('spikeRateEscape', { from: 'x', expr: 'slope * exp(-(beta * abs(x - 1)))', params: ['beta', 'slope'] });
registerDerivativeKind('sparseFastSigmoid', {
  from: 'x',
  expr: 'select(x > b, 1 / ((slope * abs(x) + 1) * (slope * abs(x) + 1)), 0)',
  params: ['slope', 'b'],
});
registerDerivativeKind('leakySpikeOperator', { from: 'mask', predicate: 'x > 0', expr: 'select(m, 1, slope)', params: ['slope'] });
// Spyx's (spyx/axn.py): boxcar, h inside |x| < width/2 (grad_boxcar); arctan, 1/(π(1 + (kπx)²)) (grad_arctan).
registerDerivativeKind('boxcar', {
  from: 'mask',
  predicate: 'abs(x) < width / 2',
  expr: 'select(m, height, 0)',
  params: ['width', 'height'],
});
registerDerivativeKind('spyxArctan', { from: 'x', expr: '1 / ((1 + (k * pi * x) * (k * pi * x)) * pi)', params: ['k'] });
// snnTorch's triangular: threshold below 0, −threshold at and above it (Triangular.backward).
registerDerivativeKind('signedStep', {
  from: 'mask',
  predicate: 'x >= 0',
  expr: 'select(m, -threshold, threshold)',
  params: ['threshold'],
});
// snnTorch's heaviside surrogate: the gradient passes where the neuron spiked (Heaviside.backward).
registerDerivativeKind('spikeGate', { from: 'mask', predicate: 'x > 0', expr: 'm' });
// Norse's (norse/torch/functional/threshold.py): as written there, without the k or α factor a
// derivative of its smooth step would have.
registerDerivativeKind('heaviTanh', { from: 'x', expr: '1 - tanh(k * x) * tanh(k * x)', params: ['k'] });
registerDerivativeKind('heaviErfc', { from: 'x', expr: '2 * exp(-(k * x * (k * x))) / sqrt(pi)', params: ['k'] });
// Norse's 2α(1/(2√(α² + x²)) − x²/(2(α² + x²)^1.5)) is α³/(α² + x²)^1.5, written as r³ with
// r = α/√(α² + x²) so that x² overflowing float32 gives 0, not Inf/Inf.
registerDerivativeKind('heaviCirc', {
  from: 'x',
  expr: '(alpha / sqrt(alpha * alpha + x * x)) * (alpha / sqrt(alpha * alpha + x * x)) * (alpha / sqrt(alpha * alpha + x * x))',
  params: ['alpha'],
});
registerDerivativeKind('signWindowMask', { from: 'mask', predicate: 'abs(x) <= 1', expr: 'm' });
registerDerivativeKind('approxSign', { from: 'x', expr: 'max(0, 2 - 2 * abs(x))' });
registerDerivativeKind('windowMask', { from: 'mask', predicate: 'x >= low && x <= high', expr: 'm', params: ['low', 'high'] });

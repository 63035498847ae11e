/**
 * Activation expressions (core's table: one expression per forward and derivative kind) evaluated
 * with tf ops, so every kind runs on every tfjs backend and inside tf.customGrad. The semantics are
 * the reference's: comparisons give 0/1, max/min propagate NaN, round is half to even,
 * sign(NaN) = NaN. Parameters are numbers and fold at evaluation time; a subexpression that
 * appears twice (σ(x) in B-SiLU's derivative) is computed once.
 */
import { type BinaryFn, type Expr, scalarBinary, scalarUnary, type UnaryFn } from '@surrograd/core';
import * as tf from '@tensorflow/tfjs-core';
import { blend, select as selectBroadcast } from '../kernels/broadcast.js';
import {
  accurateErf,
  accurateLog1p,
  castTo,
  exactFmod,
  hostTrig,
  ieeePow,
  nanPropagating,
  signKeepingNaN,
  truncatingIntDiv,
  zeroWithSignOf,
} from '../kernels/semantics.js';

/** A value during evaluation: a number (constants, parameters) or a float32 or bool tensor. */
export type TfValue = number | tf.Tensor;

export type TfEnv = Readonly<Record<string, TfValue>>;

const asFloat = (v: tf.Tensor): tf.Tensor => (v.dtype === 'bool' ? tf.cast(v, 'float32') : v);
const asBool = (v: tf.Tensor): tf.Tensor => (v.dtype === 'bool' ? v : tf.notEqual(v, 0));
const tensorOf = (v: TfValue): tf.Tensor => (typeof v === 'number' ? tf.scalar(v) : asFloat(v));

const unaryOps: Record<UnaryFn, (x: tf.Tensor) => tf.Tensor> = {
  neg: (x) => tf.neg(asFloat(x)),
  not: (x) => tf.logicalNot(asBool(x)),
  exp: (x) => tf.exp(asFloat(x)),
  expm1: (x) => tf.expm1(asFloat(x)),
  log: (x) => tf.log(asFloat(x)),
  log1p: (x) => accurateLog1p(asFloat(x)),
  tanh: (x) => zeroWithSignOf(asFloat(x), tf.tanh(asFloat(x))),
  sigmoid: (x) => tf.sigmoid(asFloat(x)),
  abs: (x) => tf.abs(asFloat(x)),
  sqrt: (x) => zeroWithSignOf(asFloat(x), tf.sqrt(asFloat(x))),
  erf: (x) => accurateErf(asFloat(x)),
  sin: (x) => hostTrig('sin', asFloat(x)),
  cos: (x) => hostTrig('cos', asFloat(x)),
  floor: (x) => zeroWithSignOf(asFloat(x), tf.floor(asFloat(x))),
  round: (x) => zeroWithSignOf(asFloat(x), tf.round(asFloat(x))),
  sign: (x) => signKeepingNaN(asFloat(x)),
};

type BinaryTf = (a: tf.Tensor, b: tf.Tensor) => tf.Tensor;
const arithmetic =
  (op: BinaryTf): BinaryTf =>
  (a, b) =>
    op(asFloat(a), asFloat(b));
const logical =
  (op: BinaryTf): BinaryTf =>
  (a, b) =>
    op(asBool(a), asBool(b));

const binaryOps: Record<BinaryFn, BinaryTf> = {
  add: arithmetic(tf.add),
  sub: arithmetic(tf.sub),
  mul: arithmetic(tf.mul),
  div: arithmetic(tf.div),
  pow: arithmetic(ieeePow),
  max: arithmetic((a, b) => nanPropagating('maximum', a, b)),
  min: arithmetic((a, b) => nanPropagating('minimum', a, b)),
  atan2: arithmetic(tf.atan2),
  fmod: arithmetic(exactFmod),
  gt: arithmetic(tf.greater),
  ge: arithmetic(tf.greaterEqual),
  lt: arithmetic(tf.less),
  le: arithmetic(tf.lessEqual),
  eq: arithmetic(tf.equal),
  ne: arithmetic(tf.notEqual),
  and: logical(tf.logicalAnd),
  or: logical(tf.logicalOr),
};

// int32 spellings, where the float one would change an integer's meaning (tfjs-cpu negates and
// squares int32 through float32, so -2147483647 became -2³¹); a primitive not here computes in
// float32 and truncates back, as the reference stores float math in an int32 array.
const INT_ZERO = () => tf.scalar(0, 'int32');
const intNeg = (x: tf.Tensor) => tf.sub(INT_ZERO(), x);
const intUnaryOps: Partial<Record<UnaryFn, (x: tf.Tensor) => tf.Tensor>> = {
  neg: intNeg,
  abs: (x) => tf.where(tf.less(x, INT_ZERO()), intNeg(x), x),
  sign: tf.sign,
  floor: tf.clone,
  round: tf.clone,
};
const intBinaryOps: Partial<Record<BinaryFn, BinaryTf>> = {
  add: tf.add,
  sub: tf.sub,
  mul: tf.mul,
  div: truncatingIntDiv,
  pow: tf.pow,
  max: tf.maximum,
  min: tf.minimum,
  // Compared as integers: through float32, 2²⁴ + 1 would equal 2²⁴.
  gt: tf.greater,
  ge: tf.greaterEqual,
  lt: tf.less,
  le: tf.lessEqual,
  eq: tf.equal,
  ne: tf.notEqual,
};

/**
 * A binary op with at least one tensor. Numbers go in as scalars, which tf's binary ops handle
 * fast; max/min against a (non-NaN) number check only the tensor side for NaN, so no select has
 * to broadcast.
 */
function binary(fn: BinaryFn, a: TfValue, b: TfValue): tf.Tensor {
  if ((fn === 'max' || fn === 'min') && (typeof a === 'number' || typeof b === 'number')) {
    const [t, v] = typeof a === 'number' ? [asFloat(b as tf.Tensor), a] : [asFloat(a), b as number];
    if (Number.isNaN(v)) return tf.fill(t.shape, Number.NaN);
    const m = fn === 'max' ? tf.maximum(t, v) : tf.minimum(t, v);
    return tf.where(tf.isNaN(t), t, m);
  }
  return binaryOps[fn](tensorOf(a), tensorOf(b));
}

/**
 * cond ? a : b. Two numbers: a blend (arithmetic against scalars where exact); otherwise a
 * select whose operands all have cond's shape (numbers filled), never a broadcasting tf.where.
 */
function select(cond: TfValue, a: TfValue, b: TfValue): TfValue {
  if (typeof cond === 'number') return cond !== 0 ? a : b;
  const c = asBool(cond);
  if (typeof a === 'number' && typeof b === 'number') return Object.is(a, b) ? a : blend(tf.cast(c, 'float32'), a, b);
  const side = (v: TfValue) => (typeof v === 'number' ? tf.fill(c.shape, v) : asFloat(v));
  return selectBroadcast(c, side(a), side(b));
}

// Structural keys, computed once per node: the table's expressions live as long as their kinds.
const keys = new WeakMap<Expr, string>();
function keyOf(e: Expr): string {
  let k = keys.get(e);
  if (k === undefined) keys.set(e, (k = JSON.stringify(e)));
  return k;
}

/** int32 arithmetic: numbers as int32 scalars, the int32 spellings, float math truncated back. */
function intUnary(fn: UnaryFn, a: tf.Tensor): tf.Tensor {
  const int = intUnaryOps[fn];
  return int ? int(a) : castTo(unaryOps[fn](tf.cast(a, 'float32')), 'int32');
}
function intBinary(fn: BinaryFn, a: TfValue, b: TfValue): tf.Tensor {
  const int = intBinaryOps[fn];
  const asInt = (v: TfValue) => (typeof v === 'number' ? tf.scalar(v, 'int32') : v);
  if (int) return int(asInt(a), asInt(b));
  const r = binary(fn, typeof a === 'number' ? a : tf.cast(a, 'float32'), typeof b === 'number' ? b : tf.cast(b, 'float32'));
  return r.dtype === 'bool' ? r : castTo(r, 'int32');
}

/**
 * The expression's value for `env` (tensors and numbers for its variables). Call inside tf.tidy.
 * `arithmetic` 'int32' evaluates with integer meaning (the elementwise table's rows on int32
 * tensors); 'float32' is the activation kinds' and float rows' arithmetic.
 */
export function evalTf(e: Expr, env: TfEnv, arithmetic: 'float32' | 'int32' = 'float32'): TfValue {
  const int = arithmetic === 'int32';
  const memo = new Map<string, TfValue>();
  const visit = (n: Expr): TfValue => {
    if (n.op === 'num') return n.value;
    if (n.op === 'var') {
      const v = env[n.name];
      if (v === undefined) throw new Error(`activation expression: no value for '${n.name}'`);
      return v;
    }
    const key = keyOf(n);
    const known = memo.get(key);
    if (known !== undefined) return known;
    let value: TfValue;
    if (n.op === 'select') {
      value = select(visit(n.cond), visit(n.a), visit(n.b));
    } else if ('arg' in n) {
      const a = visit(n.arg);
      value = typeof a === 'number' ? scalarUnary[n.op](a) : int ? intUnary(n.op, a) : unaryOps[n.op](a);
    } else {
      const [a, b] = [visit(n.a), visit(n.b)];
      if (typeof a === 'number' && typeof b === 'number') value = scalarBinary[n.op](a, b);
      else value = int ? intBinary(n.op, a, b) : binary(n.op, a, b);
    }
    memo.set(key, value);
    return value;
  };
  return visit(e);
}

/** A value as a float32 tensor of `like`'s shape (a constant expression fills it). */
export function toFloatLike(v: TfValue, like: tf.Tensor): tf.Tensor {
  if (typeof v === 'number') return tf.fill(like.shape, v, 'float32');
  const f = asFloat(v);
  return f.shape.length === like.shape.length && f.shape.every((s, i) => s === like.shape[i]) ? f : tf.broadcastTo(f, like.shape);
}

/** A value as a bool tensor of `like`'s shape (a predicate). */
export function toBoolLike(v: TfValue, like: tf.Tensor): tf.Tensor {
  if (typeof v === 'number') return tf.fill(like.shape, +(v !== 0), 'bool');
  return asBool(v);
}

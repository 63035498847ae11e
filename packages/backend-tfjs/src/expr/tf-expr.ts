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
import { accurateErf, accurateLog1p, nanPropagating, signKeepingNaN, zeroWithSignOf } from '../kernels/semantics.js';

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
  log: (x) => tf.log(asFloat(x)),
  log1p: (x) => accurateLog1p(asFloat(x)),
  tanh: (x) => zeroWithSignOf(asFloat(x), tf.tanh(asFloat(x))),
  sigmoid: (x) => tf.sigmoid(asFloat(x)),
  abs: (x) => tf.abs(asFloat(x)),
  sqrt: (x) => zeroWithSignOf(asFloat(x), tf.sqrt(asFloat(x))),
  erf: (x) => accurateErf(asFloat(x)),
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
  pow: arithmetic(tf.pow),
  max: arithmetic((a, b) => nanPropagating('maximum', a, b)),
  min: arithmetic((a, b) => nanPropagating('minimum', a, b)),
  gt: arithmetic(tf.greater),
  ge: arithmetic(tf.greaterEqual),
  lt: arithmetic(tf.less),
  le: arithmetic(tf.lessEqual),
  eq: arithmetic(tf.equal),
  ne: arithmetic(tf.notEqual),
  and: logical(tf.logicalAnd),
  or: logical(tf.logicalOr),
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

/** The expression's value for `env` (tensors and numbers for its variables). Call inside tf.tidy. */
export function evalTf(e: Expr, env: TfEnv): TfValue {
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
      value = typeof a === 'number' ? scalarUnary[n.op](a) : unaryOps[n.op](a);
    } else {
      const [a, b] = [visit(n.a), visit(n.b)];
      value = typeof a === 'number' && typeof b === 'number' ? scalarBinary[n.op](a, b) : binary(n.op, a, b);
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

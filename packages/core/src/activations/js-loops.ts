/**
 * Activation kinds (one expression each) as typed-array loops, for every backend that runs kinds
 * in JavaScript (cpu; wasm for kinds registered after its kernels were built): JavaScript source
 * from the emitter, compiled once per kind with `new Function` so V8 sees a monomorphic loop with
 * the expression inlined. Where code generation is forbidden (a strict Content-Security-Policy),
 * the same loops run the expression interpreter instead. Cached by kind object: re-registering a
 * kind replaces the object, so it recompiles.
 */
import type { TypedArray } from '../dtype.js';
import { emitExpr, jsAlgebra } from './emit.js';
import type { Expr } from './expr.js';
import type { DerivativeKind, ForwardKind } from './kinds.js';
import { evalExpr, scalarUnary } from './scalar.js';
import * as scalarMath from './scalar-math.js';

/** A kind's parameters by name. */
export type LoopParams = Readonly<Record<string, number>>;
/** y[i] = f(x[i]) for i in [start, end). */
export type ForwardLoop = (x: TypedArray, y: TypedArray, start: number, end: number, p: LoopParams) => void;
/** Packs predicate(x[i]) bits for i in [start, end), 32 per word; `start` is a multiple of 32. */
export type MaskLoop = (x: TypedArray, words: Int32Array, start: number, end: number, p: LoopParams) => void;
/** dx[i] = dy[i] · g(saved[i]) for i in [start, end). */
export type GradLoop = (dy: TypedArray, saved: TypedArray, dx: TypedArray, start: number, end: number, p: LoopParams) => void;

const helpers = { erf: scalarMath.erf, roundHalfEven: scalarMath.roundHalfEven, sign: scalarUnary.sign, pow: scalarMath.pow };
const HELPER_NAMES = Object.keys(helpers);

let codegenAllowed = true;

/** Compiles `body` as a loop function, or returns null where `new Function` is not allowed. */
export function compileLoop<F>(params: readonly string[], args: string, body: string): F | null {
  if (!codegenAllowed) return null;
  const prelude = params.map((n) => `const ${n} = p[${JSON.stringify(n)}];`).join('\n');
  try {
    const factory = new Function(...HELPER_NAMES, `return function (${args}) {\n${prelude}\n${body}\n};`);
    return factory(...HELPER_NAMES.map((n) => helpers[n as keyof typeof helpers])) as F;
  } catch (err) {
    if (err instanceof EvalError) {
      codegenAllowed = false;
      return null;
    }
    throw err;
  }
}

/** JavaScript statements that assign the value of `e` to `target` (shared subexpressions first). */
export function statements(e: Expr, target: string): string {
  const { temps, result } = emitExpr(e, jsAlgebra, '_t');
  return `${temps.map(([n, c]) => `const ${n} = ${c};`).join(' ')} ${target} = ${result};`;
}

/** Source of a kind's forward loop, for `describeKernel` and debugging. */
export function forwardLoopSource(kind: ForwardKind): string {
  return `for (let i = start; i < end; i++) { const x = X[i]; ${statements(kind.expr, 'Y[i]')} }`;
}

const forwardLoops = new WeakMap<ForwardKind, ForwardLoop>();
const maskLoops = new WeakMap<DerivativeKind, MaskLoop>();
const gradLoops = new WeakMap<DerivativeKind, GradLoop>();

function cached<K extends object, V>(map: WeakMap<K, V>, key: K, make: (k: K) => V): V {
  let v = map.get(key);
  if (!v) map.set(key, (v = make(key)));
  return v;
}

/** The forward kind's loop, compiled on first use. */
export function forwardLoop(kind: ForwardKind): ForwardLoop {
  return cached(forwardLoops, kind, compileForward);
}

/** The mask loop of a derivative kind that reads a mask, compiled on first use. */
export function maskLoop(kind: DerivativeKind): MaskLoop {
  return cached(maskLoops, kind, compileMask);
}

/** The gradient loop of a derivative kind that reads x or y, compiled on first use. */
export function gradLoop(kind: DerivativeKind): GradLoop {
  return cached(gradLoops, kind, compileGrad);
}

function compileForward(kind: ForwardKind): ForwardLoop {
  const fast = compileLoop<ForwardLoop>(kind.params, 'X, Y, start, end, p', forwardLoopSource(kind));
  if (fast) return fast;
  return (x, y, start, end, p) => {
    const env: Record<string, number> = { ...p, x: 0 };
    for (let i = start; i < end; i++) {
      env.x = x[i] as number;
      y[i] = evalExpr(kind.expr, env);
    }
  };
}

function compileMask(kind: DerivativeKind): MaskLoop {
  const predicate = kind.predicate as Expr;
  const body = `for (let i = start, w = start >> 5; i < end; w++) {
  const stop = Math.min(i + 32, end);
  let bits = 0;
  for (let b = 0; i < stop; i++, b++) { const x = X[i]; let bit; ${statements(predicate, 'bit')} bits |= +(bit !== 0) << b; }
  W[w] = bits;
}`;
  const fast = compileLoop<MaskLoop>(kind.params, 'X, W, start, end, p', body);
  if (fast) return fast;
  return (x, words, start, end, p) => {
    const env: Record<string, number> = { ...p, x: 0 };
    for (let i = start, w = start >> 5; i < end; w++) {
      const stop = Math.min(i + 32, end);
      let bits = 0;
      for (let b = 0; i < stop; i++, b++) {
        env.x = x[i] as number;
        bits |= (evalExpr(predicate, env) !== 0 ? 1 : 0) << b;
      }
      words[w] = bits;
    }
  };
}

function compileGrad(kind: DerivativeKind): GradLoop {
  const v = kind.from;
  const body = `for (let i = start; i < end; i++) { const ${v} = S[i]; let g; ${statements(kind.expr, 'g')} DX[i] = DY[i] * g; }`;
  const fast = compileLoop<GradLoop>(kind.params, 'DY, S, DX, start, end, p', body);
  if (fast) return fast;
  return (dy, saved, dx, start, end, p) => {
    const env: Record<string, number> = { ...p, [v]: 0 };
    for (let i = start; i < end; i++) {
      env[v] = saved[i] as number;
      dx[i] = (dy[i] as number) * evalExpr(kind.expr, env);
    }
  };
}

/**
 * dx = dy · g(m) for a mask-based derivative: g takes two values, so it is a two-entry table
 * indexed by the bit — no branch, one read of dy and 1/32 of a word per element. Each word is
 * loaded once and shifted down (measured 1.5× faster than re-reading it every few elements).
 */
export function maskGrad(
  kind: DerivativeKind,
  p: LoopParams,
  dy: TypedArray,
  words: Int32Array,
  dx: TypedArray,
  start: number,
  end: number,
): void {
  const table = new Float64Array([evalExpr(kind.expr, { ...p, m: 0 }), evalExpr(kind.expr, { ...p, m: 1 })]);
  // start is a multiple of 32 (blocks are), so words are whole until the last.
  for (let i = start; i < end; ) {
    let bits = words[i >> 5] as number;
    const stop = Math.min(i + 32, end);
    for (; i + 3 < stop; i += 4) {
      dx[i] = (dy[i] as number) * (table[bits & 1] as number);
      dx[i + 1] = (dy[i + 1] as number) * (table[(bits >>> 1) & 1] as number);
      dx[i + 2] = (dy[i + 2] as number) * (table[(bits >>> 2) & 1] as number);
      dx[i + 3] = (dy[i + 3] as number) * (table[(bits >>> 3) & 1] as number);
      bits >>>= 4;
    }
    for (; i < stop; i++) {
      dx[i] = (dy[i] as number) * (table[bits & 1] as number);
      bits >>>= 1;
    }
  }
}

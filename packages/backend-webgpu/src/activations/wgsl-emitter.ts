/**
 * Core's activation expressions (packages/core/src/activations) compiled to WGSL. Every value is an
 * f32; comparisons and and/or/not give 1.0 or 0.0; NaN behaves as in the cpu backend's JavaScript
 * (max/min propagate it, NaN != NaN is true, select treats NaN as true), which WGSL does not promise
 * by itself, so each construct maps to a helper of wgsl/math.ts that keeps those rules.
 */
import { type BinaryFn, type Emitted, type Expr, type ExprAlgebra, emitExpr, type UnaryFn } from '@surrograd/core';
import { F32_TO_I32, I32_DIV, I32_POW } from '../wgsl/int-math.js';
import { mathHelpers } from '../wgsl/math.js';
import { f32Literal } from '../wgsl/program.js';

/** Variables an expression may read; anything else is a parameter, read from the uniform `u.p_<name>`. */
const LOCALS = new Set(['x', 'y', 'm']);

export const paramUniform = (name: string) => `p_${name}`;

const UNARY: Record<UnaryFn, [fn: string, helper: string]> = {
  neg: ['f_neg', 'bits'],
  not: ['', 'compare'],
  exp: ['f_exp', 'exp'],
  expm1: ['f_expm1', 'expm1'],
  log: ['f_log', 'log'],
  log1p: ['f_log1p', 'log1p'],
  tanh: ['f_tanh', 'tanh'],
  sigmoid: ['f_sigmoid', 'sigmoid'],
  abs: ['f_abs', 'bits'],
  sqrt: ['f_sqrt', 'sqrt'],
  erf: ['f_erf', 'erf'],
  sin: ['f_sin', 'trig'],
  cos: ['f_cos', 'trig'],
  floor: ['f_floor', 'round'],
  round: ['f_round', 'round'],
  sign: ['f_sign', 'sign'],
};

const ARITHMETIC: Partial<Record<BinaryFn, string>> = { add: '+', sub: '-', mul: '*', div: '/' };
const CALLS: Partial<Record<BinaryFn, [fn: string, helper: string]>> = {
  pow: ['f_pow', 'pow'],
  max: ['f_max', 'compare'],
  min: ['f_min', 'compare'],
  atan2: ['f_atan2', 'atan2'],
  fmod: ['f_fmod', 'fmod'],
};
const COMPARISONS: Partial<Record<BinaryFn, string>> = { gt: 'f_gt', ge: 'f_ge', lt: 'f_lt', le: 'f_le', eq: 'f_eq', ne: 'f_ne' };

/** An ExprAlgebra spelling WGSL, recording the math helpers the code calls into `used`; variables in `locals` are WGSL locals, the rest parameters. */
export function wgslAlgebra(used: Set<string>, locals: ReadonlySet<string> = LOCALS): ExprAlgebra<string> {
  const truthy = (a: string) => {
    used.add('compare');
    return `f_ne(${a}, 0.0)`;
  };
  return {
    num: (v) => {
      if (Number.isFinite(v)) return f32Literal(v);
      used.add('bits');
      return Number.isNaN(v) ? 'f_nan()' : v > 0 ? 'f_inf()' : '(-f_inf())';
    },
    variable: (name) => (locals.has(name) ? name : `u.${paramUniform(name)}`),
    unary: (fn, a) => {
      const [name, helper] = UNARY[fn];
      used.add(helper);
      if (fn === 'not') return `b2f(f_eq(${a}, 0.0))`;
      return `${name}(${a})`;
    },
    binary: (fn, a, b) => {
      const op = ARITHMETIC[fn];
      if (op) return `(${a} ${op} ${b})`;
      const call = CALLS[fn];
      if (call) {
        used.add(call[1]);
        return `${call[0]}(${a}, ${b})`;
      }
      const cmp = COMPARISONS[fn];
      used.add('compare');
      if (cmp) return `b2f(${cmp}(${a}, ${b}))`;
      return fn === 'and' ? `b2f(${truthy(a)} && ${truthy(b)})` : `b2f(${truthy(a)} || ${truthy(b)})`;
    },
    select: (c, a, b) => `select(${b}, ${a}, ${truthy(c)})`,
  };
}

/**
 * The i32 spelling (the elementwise table's rows on int32, and on bool read as 0/1), wrapping as
 * the cpu's typed arrays do; comparisons give 1 or 0. A primitive without an integer meaning
 * computes in f32 and converts back as a typed array stores it. Variables are locals. `intHelpers`
 * collects the i32 helper functions (int-math.ts) the code calls.
 */
export function wgslIntAlgebra(used: Set<string>, intHelpers: Set<string>): ExprAlgebra<string> {
  const float = wgslAlgebra(used, new Set());
  const viaFloat = (code: string) => {
    intHelpers.add(F32_TO_I32);
    return `f32_to_i32(${code})`;
  };
  const asBool = (c: string) => `(${c} != 0)`;
  return {
    num: (v) => (Number.isInteger(v) && Math.abs(v) < 2 ** 31 ? `i32(${v})` : viaFloat(float.num(v))),
    variable: (name) => name,
    unary: (fn, a) => {
      switch (fn) {
        case 'neg':
          return `(-${a})`;
        case 'abs':
          return `abs(${a})`;
        case 'sign':
          return `select(select(0, -1, ${a} < 0), 1, ${a} > 0)`;
        case 'floor':
        case 'round':
          return a;
        case 'not':
          return `select(0, 1, ${a} == 0)`;
        default:
          return viaFloat(float.unary(fn, `f32(${a})`));
      }
    },
    binary: (fn, a, b) => {
      const op = INT_OPERATORS[fn];
      if (op) return `(${a} ${op} ${b})`;
      if (fn === 'max' || fn === 'min') return `${fn}(${a}, ${b})`;
      if (fn === 'div' || fn === 'pow') {
        intHelpers.add(fn === 'div' ? I32_DIV : I32_POW);
        return `i32_${fn}(${a}, ${b})`;
      }
      const cmp = INT_COMPARISONS[fn];
      if (cmp) return `select(0, 1, ${a} ${cmp} ${b})`;
      return `select(0, 1, ${asBool(a)} ${fn === 'and' ? '&&' : '||'} ${asBool(b)})`;
    },
    select: (c, a, b) => `select(${b}, ${a}, ${asBool(c)})`,
  };
}

const INT_OPERATORS: Partial<Record<BinaryFn, string>> = { add: '+', sub: '-', mul: '*' };
const INT_COMPARISONS: Partial<Record<BinaryFn, string>> = { gt: '>', ge: '>=', lt: '<', le: '<=', eq: '==', ne: '!=' };

export interface WgslExpression {
  /** `let` statements of the temporaries. */
  prelude: string;
  result: string;
}

/**
 * Rewrites that keep float32 accurate where an expression, exact in the float64 of the reference,
 * cancels catastrophically: 1 − σ(z) is σ(−z) (in float32, 1 − σ(13) keeps 3 significant bits).
 */
export function stabilize(e: Expr): Expr {
  switch (e.op) {
    case 'num':
    case 'var':
      return e;
    case 'select':
      return { op: 'select', cond: stabilize(e.cond), a: stabilize(e.a), b: stabilize(e.b) };
    default:
      if ('arg' in e) return { op: e.op, arg: stabilize(e.arg) };
      if (e.op === 'sub' && e.a.op === 'num' && e.a.value === 1 && e.b.op === 'sigmoid') {
        return { op: 'sigmoid', arg: { op: 'neg', arg: stabilize(e.b.arg) } };
      }
      return { op: e.op, a: stabilize(e.a), b: stabilize(e.b) };
  }
}

/**
 * WGSL for each expression (shared subexpressions become `let` temporaries named `${prefix}N`),
 * and the helper functions they all need, each once.
 */
export function emitWgsl(
  exprs: readonly (readonly [e: Expr, prefix: string])[],
  locals: ReadonlySet<string> = LOCALS,
): { parts: WgslExpression[]; helpers: string } {
  const used = new Set<string>(['bits']);
  const algebra = wgslAlgebra(used, locals);
  const parts = exprs.map(([e, prefix]) => {
    const emitted: Emitted = emitExpr(stabilize(e), algebra, prefix);
    return { prelude: emitted.temps.map(([name, code]) => `  let ${name} = ${code};`).join('\n'), result: emitted.result };
  });
  return { parts, helpers: mathHelpers([...used]) };
}

/**
 * One elementwise-table row's forward expression as WGSL over the locals it reads, in f32 or
 * (int32, bool) i32 arithmetic: the prelude binds each variable to its operand value `v0`, `v1`, ….
 */
export function emitRowWgsl(
  e: Expr,
  variables: readonly string[],
  arithmetic: 'f32' | 'i32',
  operandValues: readonly string[],
): WgslExpression & { helpers: string } {
  const used = new Set<string>(['bits']);
  const intHelpers = new Set<string>();
  const algebra = arithmetic === 'f32' ? wgslAlgebra(used, new Set(variables)) : wgslIntAlgebra(used, intHelpers);
  const emitted = emitExpr(arithmetic === 'f32' ? stabilize(e) : e, algebra, 't');
  const binds = variables.map((name, k) => `  let ${name} = ${operandValues[k]};`);
  const temps = emitted.temps.map(([name, code]) => `  let ${name} = ${code};`);
  return {
    prelude: [...binds, ...temps].join('\n'),
    result: emitted.result,
    helpers: `${mathHelpers([...used])}\n${[...intHelpers].join('\n')}`,
  };
}

/**
 * Code generation from activation expressions: any target language is an ExprAlgebra<string>
 * (how to spell numbers, variables, calls, select). Repeated subexpressions (σ(x) three times in
 * B-SiLU's derivative) are computed once into temporaries.
 */
import { type Expr, type ExprAlgebra, foldExpr } from './expr.js';

/** Code emitted by {@link emitExpr}: temporaries to declare first, then the expression that uses them. */
export interface Emitted {
  /** Temporaries, in order: [name, code] pairs, each using only earlier ones. */
  temps: [string, string][];
  /** The result's code. */
  result: string;
}

const key = (e: Expr) => JSON.stringify(e);
const isLeaf = (e: Expr) => e.op === 'num' || e.op === 'var';

function children(e: Expr): Expr[] {
  if (e.op === 'select') return [e.cond, e.a, e.b];
  if ('arg' in e) return [e.arg];
  if ('a' in e) return [e.a, e.b];
  return [];
}

/** Emits `e` in a target language, hoisting subexpressions used more than once into temporaries named `${prefix}0…`. */
export function emitExpr(e: Expr, alg: ExprAlgebra<string>, prefix = 't'): Emitted {
  const counts = new Map<string, number>();
  const count = (n: Expr) => {
    if (isLeaf(n)) return;
    const k = key(n);
    counts.set(k, (counts.get(k) ?? 0) + 1);
    if ((counts.get(k) as number) === 1) children(n).forEach(count);
  };
  count(e);
  const temps: [string, string][] = [];
  const names = new Map<string, string>();
  const emit = (n: Expr): string => {
    const k = key(n);
    const existing = names.get(k);
    if (existing) return existing;
    const code = foldOne(n, alg, emit);
    if (!isLeaf(n) && (counts.get(k) ?? 0) > 1) {
      const name = `${prefix}${temps.length}`;
      temps.push([name, code]);
      names.set(k, name);
      return name;
    }
    return code;
  };
  return { temps, result: emit(e) };
}

/** One level of folding: children through `emit` (so shared ones become temporaries). */
function foldOne(e: Expr, alg: ExprAlgebra<string>, emit: (e: Expr) => string): string {
  switch (e.op) {
    case 'num':
    case 'var':
      return foldExpr(e, alg);
    case 'select':
      return alg.select(emit(e.cond), emit(e.a), emit(e.b));
    default:
      if ('arg' in e) return alg.unary(e.op, emit(e.arg));
      return alg.binary(e.op, emit(e.a), emit(e.b));
  }
}

/**
 * JavaScript (float64 arithmetic, stored by the caller into a typed array). Helpers the code may
 * call: `erf`, `roundHalfEven`, `sign`, `pow` (pass them in scope). Comparisons are numbers 0/1.
 */
export const jsAlgebra: ExprAlgebra<string> = {
  num: (v) =>
    Number.isNaN(v)
      ? 'NaN'
      : v === Number.POSITIVE_INFINITY
        ? 'Infinity'
        : v === Number.NEGATIVE_INFINITY
          ? '-Infinity'
          : Object.is(v, -0)
            ? '-0'
            : String(v),
  variable: (name) => name,
  unary: (fn, a) => {
    switch (fn) {
      case 'neg':
        return `(-${a})`;
      case 'not':
        return `+(${a} === 0)`;
      case 'sigmoid':
        return `(1 / (1 + Math.exp(-${a})))`;
      case 'erf':
        return `erf(${a})`;
      case 'round':
        return `roundHalfEven(${a})`;
      case 'sign':
        return `sign(${a})`;
      default:
        return `Math.${fn}(${a})`;
    }
  },
  binary: (fn, a, b) => {
    const ops: Record<string, string> = {
      add: '+',
      sub: '-',
      mul: '*',
      div: '/',
      gt: '>',
      ge: '>=',
      lt: '<',
      le: '<=',
      eq: '===',
      ne: '!==',
    };
    if (fn in ops) {
      const expr = `${a} ${ops[fn]} ${b}`;
      return ['gt', 'ge', 'lt', 'le', 'eq', 'ne'].includes(fn) ? `+(${expr})` : `(${expr})`;
    }
    if (fn === 'and') return `+(${a} !== 0 && ${b} !== 0)`;
    if (fn === 'or') return `+(${a} !== 0 || ${b} !== 0)`;
    if (fn === 'pow') return `pow(${a}, ${b})`;
    if (fn === 'fmod') return `(${a} % ${b})`;
    return `Math.${fn}(${a}, ${b})`;
  },
  select: (c, a, b) => `(${c} !== 0 ? ${a} : ${b})`,
};

/**
 * A tiny expression language for activations and their derivatives, written once as text
 * (`"select(x > 0, 1, slope)"`) and compiled to each backend: JavaScript (cpu), AssemblyScript
 * (wasm), WGSL (webgpu), tfjs ops, and tensor ops (for double backward). Semantics every emitter
 * keeps: comparisons and `and`/`or`/`not` give 1 or 0; max/min propagate NaN; round is half to even.
 */

import { BINARY_TABLE, UNARY_TABLE } from '../elementwise/table.js';

/** One-argument primitives of the expression language (each backend spells each once); `neg` and `not` are written `-x` and `!x`, the rest by name, e.g. `exp(x)`. */
export type UnaryFn =
  | 'neg'
  | 'not'
  | 'exp'
  | 'expm1'
  | 'log'
  | 'log1p'
  | 'tanh'
  | 'sigmoid'
  | 'abs'
  | 'sqrt'
  | 'erf'
  | 'sin'
  | 'cos'
  | 'floor'
  | 'round'
  | 'sign';
/** Two-argument primitives of the expression language: operators (`+ - * / > >= < <= == != && ||`) and `pow`, `max`, `min`, `atan2`, `fmod` by name (`fmod` is C's: the remainder with the dividend's sign). Comparisons and logic give 1 or 0. */
export type BinaryFn =
  | 'add'
  | 'sub'
  | 'mul'
  | 'div'
  | 'pow'
  | 'max'
  | 'min'
  | 'atan2'
  | 'fmod'
  | 'gt'
  | 'ge'
  | 'lt'
  | 'le'
  | 'eq'
  | 'ne'
  | 'and'
  | 'or';

/** An expression tree node, as {@link parseExpr} builds it; `op` tells which kind. */
export type Expr =
  | {
      /** A numeric literal. */
      readonly op: 'num';
      /** The number; may be NaN or ±Infinity. */
      readonly value: number;
    }
  | {
      /** A variable: x, y, m (the mask bit) or a parameter, by name. */
      readonly op: 'var';
      /** The variable's name. */
      readonly name: string;
    }
  | {
      /** A one-argument function. */
      readonly op: UnaryFn;
      /** The argument. */
      readonly arg: Expr;
    }
  | {
      /** A two-argument function or operator, `a op b`. */
      readonly op: BinaryFn;
      /** Left operand. */
      readonly a: Expr;
      /** Right operand. */
      readonly b: Expr;
    }
  | {
      /** `cond ? a : b`, where any nonzero cond counts as true. */
      readonly op: 'select';
      /** The condition; nonzero is true. */
      readonly cond: Expr;
      /** The value where cond holds. */
      readonly a: Expr;
      /** The value where it does not. */
      readonly b: Expr;
    };

/** Every {@link UnaryFn}, as a list. */
export const UNARY_FNS: readonly UnaryFn[] = [
  'neg',
  'not',
  'exp',
  'expm1',
  'log',
  'log1p',
  'tanh',
  'sigmoid',
  'abs',
  'sqrt',
  'erf',
  'sin',
  'cos',
  'floor',
  'round',
  'sign',
];
/** Every {@link BinaryFn}, as a list. */
export const BINARY_FNS: readonly BinaryFn[] = [
  'add',
  'sub',
  'mul',
  'div',
  'pow',
  'max',
  'min',
  'atan2',
  'fmod',
  'gt',
  'ge',
  'lt',
  'le',
  'eq',
  'ne',
  'and',
  'or',
];

const CONSTANTS: Record<string, number> = { pi: Math.PI, e: Math.E };
// Callable by name in expression text; `neg`/`not` come from `-`/`!`, arithmetic from operators.
const CALLABLE_UNARY = new Set<string>(UNARY_FNS.filter((f) => f !== 'neg' && f !== 'not'));
const CALLABLE_BINARY = new Set<string>(['pow', 'max', 'min', 'atan2', 'fmod']);

/**
 * The elementwise table's ops are callable by name too (`rsqrt(x)`, `maximum(a, b)`): a call
 * expands to the op's forward expression with the arguments in place of its variables.
 */
function tableCall(name: string, args: Expr[]): Expr | null {
  if (Object.hasOwn(UNARY_TABLE, name) && args.length === 1) {
    return substitute(parseExpr(UNARY_TABLE[name as keyof typeof UNARY_TABLE].forward), { x: args[0] as Expr });
  }
  if (Object.hasOwn(BINARY_TABLE, name) && args.length === 2) {
    return substitute(parseExpr(BINARY_TABLE[name as keyof typeof BINARY_TABLE].forward), { a: args[0] as Expr, b: args[1] as Expr });
  }
  return null;
}

// Binary operators by precedence, loosest first.
const LEVELS: [string, BinaryFn][][] = [
  [['||', 'or']],
  [['&&', 'and']],
  [
    ['==', 'eq'],
    ['!=', 'ne'],
  ],
  [
    ['>=', 'ge'],
    ['<=', 'le'],
    ['>', 'gt'],
    ['<', 'lt'],
  ],
  [
    ['+', 'add'],
    ['-', 'sub'],
  ],
  [
    ['*', 'mul'],
    ['/', 'div'],
  ],
];

/** Parses expression text; errors name the text and the position. */
export function parseExpr(text: string): Expr {
  const tokens = text.match(/\d+\.?\d*(?:e[+-]?\d+)?|\.\d+(?:e[+-]?\d+)?|[A-Za-z_]\w*|>=|<=|==|!=|&&|\|\||\S/g) ?? [];
  let pos = 0;
  const fail = (msg: string): never => {
    throw new SyntaxError(`expression "${text}": ${msg} at token ${pos} ('${tokens[pos] ?? 'end'}')`);
  };
  const peek = () => tokens[pos];
  const take = (t?: string) => {
    const tok = tokens[pos];
    if (tok === undefined || (t !== undefined && tok !== t)) fail(t ? `expected '${t}'` : 'unexpected end');
    pos++;
    return tok as string;
  };
  const level = (i: number): Expr => {
    if (i === LEVELS.length) return unary();
    let left = level(i + 1);
    for (;;) {
      const match = (LEVELS[i] as [string, BinaryFn][]).find(([sym]) => sym === peek());
      if (!match) return left;
      take();
      left = { op: match[1], a: left, b: level(i + 1) };
    }
  };
  const unary = (): Expr => {
    if (peek() === '-') {
      take();
      return { op: 'neg', arg: unary() };
    }
    if (peek() === '!') {
      take();
      return { op: 'not', arg: unary() };
    }
    return primary();
  };
  const primary = (): Expr => {
    const tok = take();
    if (/^(\d|\.\d)/.test(tok)) return { op: 'num', value: Number(tok) };
    if (tok === '(') {
      const e = level(0);
      take(')');
      return e;
    }
    if (!/^[A-Za-z_]/.test(tok)) return fail('expected a number, a name or (');
    if (peek() !== '(') return tok in CONSTANTS ? { op: 'num', value: CONSTANTS[tok] as number } : { op: 'var', name: tok };
    take('(');
    const args: Expr[] = [];
    if (peek() !== ')') {
      args.push(level(0));
      while (peek() === ',') {
        take();
        args.push(level(0));
      }
    }
    take(')');
    if (tok === 'select' && args.length === 3) return { op: 'select', cond: args[0] as Expr, a: args[1] as Expr, b: args[2] as Expr };
    if (CALLABLE_UNARY.has(tok) && args.length === 1) return { op: tok as UnaryFn, arg: args[0] as Expr };
    if (CALLABLE_BINARY.has(tok) && args.length === 2) return { op: tok as BinaryFn, a: args[0] as Expr, b: args[1] as Expr };
    const expanded = tableCall(tok, args);
    if (expanded) return expanded;
    return fail(`unknown function ${tok}/${args.length}`);
  };
  const e = level(0);
  if (pos !== tokens.length) fail('unexpected token');
  return e;
}

/** The variable names an expression reads. */
export function exprVars(e: Expr, out = new Set<string>()): Set<string> {
  if (e.op === 'var') out.add(e.name);
  else if (e.op === 'select') {
    for (const c of [e.cond, e.a, e.b]) exprVars(c, out);
  } else if ('arg' in e) exprVars(e.arg, out);
  else if ('a' in e) {
    exprVars(e.a, out);
    exprVars(e.b, out);
  }
  return out;
}

/** Replaces variables by expressions (or numbers), e.g. parameters by their values. */
export function substitute(e: Expr, values: Readonly<Record<string, Expr | number>>): Expr {
  switch (e.op) {
    case 'num':
      return e;
    case 'var': {
      const v = values[e.name];
      if (v === undefined) return e;
      return typeof v === 'number' ? { op: 'num', value: v } : v;
    }
    case 'select':
      return { op: 'select', cond: substitute(e.cond, values), a: substitute(e.a, values), b: substitute(e.b, values) };
    default:
      if ('arg' in e) return { op: e.op, arg: substitute(e.arg, values) };
      return { op: e.op, a: substitute(e.a, values), b: substitute(e.b, values) };
  }
}

/**
 * A generic evaluator, parameterized by how each construct is built: numbers for the reference,
 * tensors for double backward, source strings for code generators.
 */
export interface ExprAlgebra<T> {
  /** A numeric literal. */
  num(value: number): T;
  /** A variable (x, y, m or a parameter) by name. */
  variable(name: string): T;
  /** A one-argument function applied to a built argument. */
  unary(fn: UnaryFn, arg: T): T;
  /** A two-argument function applied to built operands. */
  binary(fn: BinaryFn, a: T, b: T): T;
  /** `cond ? a : b`, cond nonzero meaning true. */
  select(cond: T, a: T, b: T): T;
}

/** Evaluates `e` bottom-up with `alg`, e.g. to a number, a tensor or a source string. */
export function foldExpr<T>(e: Expr, alg: ExprAlgebra<T>): T {
  switch (e.op) {
    case 'num':
      return alg.num(e.value);
    case 'var':
      return alg.variable(e.name);
    case 'select':
      return alg.select(foldExpr(e.cond, alg), foldExpr(e.a, alg), foldExpr(e.b, alg));
    default:
      if ('arg' in e) return alg.unary(e.op, foldExpr(e.arg, alg));
      return alg.binary(e.op, foldExpr(e.a, alg), foldExpr(e.b, alg));
  }
}

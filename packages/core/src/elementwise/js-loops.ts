/**
 * The elementwise table's forward expressions as typed-array loops, for backends that run them in
 * JavaScript (cpu): each row compiled once, with the same emitter and loop compiler as the
 * activation kinds, so a new row needs no JavaScript of its own. Arithmetic is JavaScript's
 * float64, stored into the output array, which rounds to float32 or wraps to int32 as a typed
 * array store does: int32 rows keep their integer meaning (neg, abs, square, add, …) and the
 * rounding rows (floor, ceil, round) are the identity on integers.
 */

import type { Expr } from '../activations/expr.js';
import { compileLoop, statements } from '../activations/js-loops.js';
import { evalExpr } from '../activations/scalar.js';
import type { TypedArray } from '../dtype.js';
import { binaryForward, compareForward, logicalForward, unaryForward } from './forward.js';
import type { BinaryOpName, CompareOpName, LogicalOpName, UnaryOpName } from './table.js';

/** out[i] = op(x[i]) for i in [start, end). */
export type UnaryLoop = (x: TypedArray, out: TypedArray, start: number, end: number) => void;

/**
 * One strided run: out[o..o+n) = a[ia += sa] op b[ib += sb]. Strides 0 or 1 cover same-shape,
 * scalar and row broadcast; other patterns are runs of a broadcast plan.
 */
export type BinaryLoop = (
  out: TypedArray,
  o: number,
  a: TypedArray,
  ia: number,
  sa: number,
  b: TypedArray,
  ib: number,
  sb: number,
  n: number,
) => void;

/** The JavaScript of a unary row's loop, for debugging and `describeKernel`-style listings. */
export function unaryLoopSource(op: UnaryOpName): string {
  return `for (let i = start; i < end; i++) { const x = X[i]; ${statements(unaryForward(op), 'Y[i]')} }`;
}

/** The JavaScript of a strided run computing `e` of a and b into Y. */
function stridedRunSource(e: Expr): string {
  const body = statements(e, 'Y[o]');
  return `for (const end = o + n; o < end; o++, ia += sa, ib += sb) { const a = A[ia], b = B[ib]; ${body} }`;
}

/** The JavaScript of a binary row's strided run. */
export function binaryLoopSource(op: BinaryOpName): string {
  return stridedRunSource(binaryForward(op));
}

const unaryLoops = new Map<UnaryOpName, UnaryLoop>();
const binaryLoops = new Map<string, BinaryLoop>();
const compareLoops = new Map<string, BinaryLoop>();
const logicalLoops = new Map<string, BinaryLoop>();

/** The unary row's loop, compiled on first use. */
export function unaryLoop(op: UnaryOpName): UnaryLoop {
  let loop = unaryLoops.get(op);
  if (!loop) unaryLoops.set(op, (loop = compileUnary(op)));
  return loop;
}

/** The binary row's strided run, compiled on first use. */
export function binaryLoop(op: BinaryOpName): BinaryLoop {
  let loop = binaryLoops.get(op);
  if (!loop) binaryLoops.set(op, (loop = compileStrided(binaryForward(op))));
  return loop;
}

/** The comparison's strided run (1 or 0 into a bool array), compiled on first use. */
export function compareLoop(op: CompareOpName): BinaryLoop {
  let loop = compareLoops.get(op);
  if (!loop) compareLoops.set(op, (loop = compileStrided(compareForward(op))));
  return loop;
}

/** The logical op's strided run over bool arrays, compiled on first use. */
export function logicalLoop(op: LogicalOpName): BinaryLoop {
  let loop = logicalLoops.get(op);
  if (!loop) logicalLoops.set(op, (loop = compileStrided(logicalForward(op))));
  return loop;
}

function compileUnary(op: UnaryOpName): UnaryLoop {
  // No parameters, so the compiled loop takes no parameter object.
  const fast = compileLoop<UnaryLoop>([], 'X, Y, start, end', unaryLoopSource(op));
  if (fast) return fast;
  // Where code generation is forbidden (a strict Content-Security-Policy): the interpreter.
  const e: Expr = unaryForward(op);
  return (x, out, start, end) => {
    const env = { x: 0 };
    for (let i = start; i < end; i++) {
      env.x = x[i] as number;
      out[i] = evalExpr(e, env);
    }
  };
}

function compileStrided(e: Expr): BinaryLoop {
  const fast = compileLoop<BinaryLoop>([], 'Y, o, A, ia, sa, B, ib, sb, n', stridedRunSource(e));
  if (fast) return fast;
  return (out, o, a, ia, sa, b, ib, sb, n) => {
    const env = { a: 0, b: 0 };
    for (const end = o + n; o < end; o++, ia += sa, ib += sb) {
      env.a = a[ia] as number;
      env.b = b[ib] as number;
      out[o] = evalExpr(e, env);
    }
  };
}

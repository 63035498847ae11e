/**
 * The table's forward expressions parsed, once per row: what each backend compiles into its
 * `Unary` and `Binary` kernels (JavaScript loops, AssemblyScript, WGSL, tf calls).
 */
import { type Expr, parseExpr } from '../activations/expr.js';
import { BINARY_TABLE, type BinaryOpName, UNARY_TABLE, type UnaryOpName } from './table.js';

const unary = new Map<string, Expr>();
const binary = new Map<string, Expr>();

/** The forward expression of a unary row, in x. */
export function unaryForward(op: UnaryOpName): Expr {
  let e = unary.get(op);
  if (!e) unary.set(op, (e = parseExpr(UNARY_TABLE[op].forward)));
  return e;
}

/** The forward expression of a binary row, in a and b. */
export function binaryForward(op: BinaryOpName): Expr {
  let e = binary.get(op);
  if (!e) binary.set(op, (e = parseExpr(BINARY_TABLE[op].forward)));
  return e;
}

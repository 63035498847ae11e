/**
 * The table's forward expressions parsed, once per row: what each backend compiles into its
 * `Unary`, `Binary`, `Compare` and `Logical` kernels (JavaScript loops, AssemblyScript, WGSL, tf calls).
 */
import { type Expr, parseExpr } from '../activations/expr.js';
import {
  BINARY_TABLE,
  type BinaryOpName,
  COMPARE_TABLE,
  type CompareOpName,
  LOGICAL_TABLE,
  type LogicalOpName,
  UNARY_TABLE,
  type UnaryOpName,
} from './table.js';

const parsed = new Map<string, Expr>();

/** The row's expression; an op the table lacks (a kernel called with a bad `op`) is named in the error. */
function parsedOnce(kernel: string, table: Readonly<Record<string, { readonly forward: string }>>, op: string): Expr {
  const key = `${kernel}:${op}`;
  let e = parsed.get(key);
  if (!e) {
    if (!Object.hasOwn(table, op)) {
      throw new Error(`${kernel}: unknown op '${String(op)}'; expected one of ${Object.keys(table).join(', ')}`);
    }
    parsed.set(key, (e = parseExpr((table[op] as { forward: string }).forward)));
  }
  return e;
}

/** The forward expression of a unary row, in x. */
export function unaryForward(op: UnaryOpName): Expr {
  return parsedOnce('Unary', UNARY_TABLE, op);
}

/** The forward expression of a binary row, in a and b. */
export function binaryForward(op: BinaryOpName): Expr {
  return parsedOnce('Binary', BINARY_TABLE, op);
}

/** The expression of a comparison, in a and b (1 or 0). */
export function compareForward(op: CompareOpName): Expr {
  return parsedOnce('Compare', COMPARE_TABLE, op);
}

/** The expression of a logical op, in a and b (bool operands, 1 or 0). */
export function logicalForward(op: LogicalOpName): Expr {
  return parsedOnce('Logical', LOGICAL_TABLE, op);
}

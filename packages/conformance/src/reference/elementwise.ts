/**
 * Plain-JS references for the elementwise ops, in float64, so the property suite needs no second
 * backend. Every row of core's elementwise table gets one without code here: its value and
 * derivative are the row's forward and vjp expressions evaluated in float64, over the row's
 * domain. A backend compiles the forward and runs the vjp as tensor ops, so this checks its
 * spelling of every primitive. That each row's vjp is the derivative of its forward is checked
 * once, against central differences, by core's tests (test/elementwise-table.test.ts); what each
 * row means, against PyTorch, by the goldens. Activations outside the table are written out.
 */
import {
  BINARY_TABLE,
  type BinaryOpName,
  binaryForward,
  type ElementwiseDomain,
  type Expr,
  evalExpr,
  parseExpr,
  UNARY_TABLE,
  type UnaryOpName,
  unaryForward,
} from '@surrograd/core';

export interface UnaryReference {
  value(x: number): number;
  derivative(x: number): number;
  /** Maps an unconstrained sample in [-4, 4] into the op's domain. */
  domain(x: number): number;
}

export interface BinaryReference {
  value(a: number, b: number): number;
  /** ∂/∂a and ∂/∂b. */
  partials(a: number, b: number): [number, number];
  domainA(x: number): number;
  domainB(x: number): number;
}

const anywhere = (x: number) => x;

/** The table's domain names as maps from a sample in [-4, 4]: where float32 is accurate and the derivative is not a convention. */
export const DOMAINS: Record<ElementwiseDomain, (x: number) => number> = {
  real: anywhere,
  positive: (x) => Math.abs(x) + 0.25,
  aboveMinusOne: (x) => Math.abs(x) * 2 - 0.75,
  awayFromZero: (x) => (x === 0 ? 0.5 : x),
  // Quarters below 2 in magnitude, so integers and halves (round's ties) come up often.
  quarters: (x) => (Math.abs(x) < 2 ? Math.round(x * 4) / 4 : x),
  base: (x) => 0.5 + Math.abs(x) / 4,
  exponent: (x) => x / 2,
  // Moves b away from a's samples, so maximum/minimum rarely tie (the suite skips ties, whose split is a convention).
  offset: (x) => x + 0.125,
};

function unaryRowReference(op: UnaryOpName): UnaryReference {
  const e = unaryForward(op);
  const value = (x: number) => evalExpr(e, { x });
  const row = UNARY_TABLE[op];
  const vjp = row.vjp === null ? null : parseExpr(row.vjp);
  return {
    value,
    // A step row (no vjp) has zero gradient everywhere, as PyTorch's.
    derivative: vjp === null ? () => 0 : (x) => evalExpr(vjp, { x, y: value(x), dy: 1 }),
    domain: DOMAINS[row.domain],
  };
}

function binaryRowReference(op: BinaryOpName): BinaryReference {
  const e = binaryForward(op);
  const value = (a: number, b: number) => evalExpr(e, { a, b });
  const [domainA, domainB] = BINARY_TABLE[op].domain;
  const [da, db] = BINARY_TABLE[op].vjp.map((text) => parseExpr(text)) as [Expr, Expr];
  return {
    value,
    partials: (a, b) => {
      const env = { a, b, y: value(a, b), dy: 1 };
      return [evalExpr(da, env), evalExpr(db, env)];
    },
    domainA: DOMAINS[domainA],
    domainB: DOMAINS[domainB],
  };
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

export const UNARY_REFERENCES: Record<string, UnaryReference> = {
  ...Object.fromEntries(
    (Object.keys(UNARY_TABLE) as UnaryOpName[]).filter((op) => UNARY_TABLE[op].dtypes !== 'bool').map((op) => [op, unaryRowReference(op)]),
  ),
  tanh: { value: Math.tanh, derivative: (x) => 1 - Math.tanh(x) ** 2, domain: anywhere },
  sigmoid: { value: sigmoid, derivative: (x) => sigmoid(x) * (1 - sigmoid(x)), domain: anywhere },
  // Away from 0, where relu's derivative is a convention rather than a fact.
  relu: { value: (x) => Math.max(x, 0), derivative: (x) => (x > 0 ? 1 : 0), domain: (x) => (Math.abs(x) < 1e-3 ? 0.5 : x) },
};

export const BINARY_REFERENCES: Record<string, BinaryReference> = Object.fromEntries(
  (Object.keys(BINARY_TABLE) as BinaryOpName[]).map((op) => [op, binaryRowReference(op)]),
);

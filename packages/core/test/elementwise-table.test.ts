/**
 * The elementwise table checked against itself, once, in float64: each row's vjp is the
 * derivative of its forward (central differences at the smooth points of a grid over the row's
 * domain), and a custom
 * tangent rule is the same linear map as the vjp. The conformance kit then checks every backend
 * against the rows, and the goldens check the rows against PyTorch.
 */
import { describe, expect, it } from 'vitest';
import { type Expr, exprVars, parseExpr } from '../src/activations/expr.js';
import { evalExpr } from '../src/activations/scalar.js';
import { binaryForward, unaryForward } from '../src/elementwise/forward.js';
import { BINARY_TABLE, type BinaryOpName, type ElementwiseDomain, UNARY_TABLE, type UnaryOpName } from '../src/elementwise/table.js';

// The kit's domain maps (conformance/src/reference/elementwise.ts), on a fixed grid of samples.
const DOMAINS: Record<ElementwiseDomain, (x: number) => number> = {
  real: (x) => x,
  positive: (x) => Math.abs(x) + 0.25,
  aboveMinusOne: (x) => Math.abs(x) * 2 - 0.75,
  awayFromZero: (x) => x,
  quarters: (x) => x,
  base: (x) => 0.5 + Math.abs(x) / 4,
  exponent: (x) => x / 2,
  offset: (x) => x + 0.125,
};
const SAMPLES = [-3.7, -1.3, -0.6, 0.4, 1.1, 2.9];

/**
 * The central difference of f at x, or null where f is not smooth there (remainder's step,
 * maximum's tie): two step sizes disagree, and the derivative there is a convention.
 */
function slope(f: (x: number) => number, x: number): number | null {
  const at = (h: number) => (f(x + h) - f(x - h)) / (2 * h);
  const h = 1e-6 * Math.max(1, Math.abs(x));
  const [coarse, fine] = [at(h), at(h / 8)];
  return Math.abs(coarse - fine) <= 1e-4 * Math.max(1, Math.abs(coarse)) ? coarse : null;
}

function expectNear(what: string, actual: number, expected: number | null): void {
  if (expected === null) return;
  const err = Math.abs(actual - expected);
  if (!(err <= 1e-5 * Math.max(1, Math.abs(expected)))) throw new Error(`${what}: ${actual}, expected ${expected}`);
}

describe('the elementwise table', () => {
  it('reads only its variables', () => {
    const reads = (text: string) => [...exprVars(parseExpr(text), new Set<string>())].sort();
    for (const [op, row] of Object.entries(UNARY_TABLE)) {
      expect(
        reads(row.forward).every((v) => v === 'x'),
        `${op} forward`,
      ).toBe(true);
      if (row.vjp)
        expect(
          reads(row.vjp).every((v) => ['x', 'y', 'dy'].includes(v)),
          `${op} vjp`,
        ).toBe(true);
    }
    for (const [op, row] of Object.entries(BINARY_TABLE)) {
      expect(
        reads(row.forward).every((v) => v === 'a' || v === 'b'),
        `${op} forward`,
      ).toBe(true);
      for (const rule of row.vjp)
        expect(
          reads(rule).every((v) => ['a', 'b', 'y', 'dy'].includes(v)),
          `${op} vjp`,
        ).toBe(true);
    }
  });

  it("each unary row's vjp is its forward's derivative", () => {
    for (const op of Object.keys(UNARY_TABLE) as UnaryOpName[]) {
      const row = UNARY_TABLE[op];
      if (row.vjp === null) continue;
      const forward = unaryForward(op);
      const vjp = parseExpr(row.vjp);
      const f = (x: number) => evalExpr(forward, { x });
      for (const sample of SAMPLES) {
        const x = DOMAINS[row.domain](sample);
        expectNear(`${op}'(${x})`, evalExpr(vjp, { x, y: f(x), dy: 1 }), slope(f, x));
      }
    }
  });

  it("each binary row's vjp is its forward's gradient, and its tangent rule the same map", () => {
    for (const op of Object.keys(BINARY_TABLE) as BinaryOpName[]) {
      const row = BINARY_TABLE[op];
      const forward = binaryForward(op);
      const [da, db] = row.vjp.map((t) => parseExpr(t)) as [Expr, Expr];
      const jvp = row.jvp === undefined ? null : parseExpr(row.jvp);
      const f = (a: number, b: number) => evalExpr(forward, { a, b });
      let checked = 0;
      for (const sa of SAMPLES) {
        for (const sb of SAMPLES) {
          const [a, b] = [DOMAINS[row.domain[0]](sa), DOMAINS[row.domain[1]](sb)];
          const env = { a, b, y: f(a, b), dy: 1 };
          const [ga, gb] = [evalExpr(da, env), evalExpr(db, env)];
          const [slopeA, slopeB] = [slope((v) => f(v, b), a), slope((v) => f(a, v), b)];
          expectNear(`∂${op}/∂a at (${a}, ${b})`, ga, slopeA);
          expectNear(`∂${op}/∂b at (${a}, ${b})`, gb, slopeB);
          if (slopeA !== null && slopeB !== null) checked++;
          if (jvp) {
            expectNear(`${op} tangent along a`, evalExpr(jvp, { ...env, ta: 1, tb: 0 }), ga);
            expectNear(`${op} tangent along b`, evalExpr(jvp, { ...env, ta: 0, tb: 1 }), gb);
          }
        }
      }
      // Non-smooth points are skipped, but most of the grid must be checked.
      expect(checked, `${op}: smooth grid points`).toBeGreaterThan(SAMPLES.length ** 2 / 2);
    }
  });
});

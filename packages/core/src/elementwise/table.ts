/**
 * The elementwise ops, each described once: its forward expression, its derivative (vjp) and,
 * where the default is not PyTorch's, its tangent (jvp) rule, all in the expression language of
 * the activation kinds (activations/expr.ts). Everything else is derived from these rows: the
 * `Unary`/`Binary` kernels' op unions, the differentiable Functions and exported functions of
 * ops/elementwise.ts, the Tensor methods, the expression language's callable names, the
 * conformance references, and each backend's kernel code (cpu JavaScript, wasm AssemblyScript,
 * WGSL, tf calls), which compile the forward expression with the same emitter as an activation.
 *
 * A backend spells each primitive of the expression language once; an op composed of primitives
 * (rsqrt is `1 / sqrt(x)`) needs no spelling anywhere. Adding an op: a row here, its exported
 * function in ops/elementwise.ts, and goldens.
 */

/**
 * How an op treats int32 and bool inputs: 'float' computes in float32 (int and bool inputs are
 * cast first, as PyTorch's float math), 'keep' keeps the dtype (integer meaning on int32), 'bool'
 * is a logical op (input cast to bool, output bool, no gradient).
 */
export type ElementwiseDTypes = 'float' | 'keep' | 'bool';

/**
 * Where an op's value and derivative are checked in float32 by the conformance kit (samples in
 * [-4, 4] are mapped there): 'real' everywhere, 'positive' |x| + 1/4, 'aboveMinusOne' for log1p,
 * 'awayFromZero' where the derivative is a convention at 0 (abs), 'quarters' for steps (ties and
 * integers come up often), 'base' and 'exponent' for pow, 'offset' to keep two operands apart.
 */
export type ElementwiseDomain = 'real' | 'positive' | 'aboveMinusOne' | 'awayFromZero' | 'quarters' | 'base' | 'exponent' | 'offset';

/** A table of rows of type R that keeps the op names as literal keys (the unions come from them). */
const rows =
  <R>() =>
  <K extends string>(table: Record<K, R>): Readonly<Record<K, R>> =>
    table;

/** One unary op: expressions of x (forward) and of dy, x and y = forward(x) (vjp). */
export interface UnaryRow {
  /** y in terms of x. */
  readonly forward: string;
  /** dx in terms of dy, x and y; null for a step function (zero gradient almost everywhere, as PyTorch). Its jvp is this with dy the tangent (the Jacobian is diagonal). */
  readonly vjp: string | null;
  /** How int32 and bool inputs are treated. */
  readonly dtypes: ElementwiseDTypes;
  /** Where the conformance kit samples it. */
  readonly domain: ElementwiseDomain;
}

/** One binary op, broadcasting its operands a and b: expressions of a, b, y and dy. */
export interface BinaryRow {
  /** y in terms of a and b. */
  readonly forward: string;
  /** [da, db] in terms of dy, a, b and y, before summing to each operand's shape. */
  readonly vjp: readonly [string, string];
  /**
   * The tangent of y in terms of ta, tb (the operands' tangents), a, b and y, where it is not the
   * default vjp(dy := ta) + vjp(dy := tb); a missing tangent is a structural zero (its terms drop).
   */
  readonly jvp?: string;
  /** How int32 and bool operands are treated; 'float': two integral operands compute in float32. */
  readonly dtypes: ElementwiseDTypes;
  /** Where the conformance kit samples a and b. */
  readonly domain: readonly [ElementwiseDomain, ElementwiseDomain];
}

/** The `Unary` kernel's ops, one row each. */
export const UNARY_TABLE = rows<UnaryRow>()({
  neg: { forward: '-x', vjp: '-dy', dtypes: 'keep', domain: 'real' },
  exp: { forward: 'exp(x)', vjp: 'dy * y', dtypes: 'float', domain: 'real' },
  log: { forward: 'log(x)', vjp: 'dy / x', dtypes: 'float', domain: 'positive' },
  sqrt: { forward: 'sqrt(x)', vjp: 'dy / (y * 2)', dtypes: 'float', domain: 'positive' },
  rsqrt: { forward: '1 / sqrt(x)', vjp: 'dy * (y * y * y) * -0.5', dtypes: 'float', domain: 'positive' },
  abs: { forward: 'abs(x)', vjp: 'dy * sign(x)', dtypes: 'keep', domain: 'awayFromZero' },
  sign: { forward: 'sign(x)', vjp: null, dtypes: 'keep', domain: 'quarters' },
  reciprocal: { forward: '1 / x', vjp: '-(dy * (y * y))', dtypes: 'float', domain: 'positive' },
  square: { forward: 'x * x', vjp: 'dy * (x * 2)', dtypes: 'keep', domain: 'real' },
  sin: { forward: 'sin(x)', vjp: 'dy * cos(x)', dtypes: 'float', domain: 'real' },
  cos: { forward: 'cos(x)', vjp: '-(dy * sin(x))', dtypes: 'float', domain: 'real' },
  floor: { forward: 'floor(x)', vjp: null, dtypes: 'keep', domain: 'quarters' },
  ceil: { forward: '-floor(-x)', vjp: null, dtypes: 'keep', domain: 'quarters' },
  round: { forward: 'round(x)', vjp: null, dtypes: 'keep', domain: 'quarters' },
  erf: { forward: 'erf(x)', vjp: 'dy * (exp(-(x * x)) * (2 / sqrt(pi)))', dtypes: 'float', domain: 'real' },
  log1p: { forward: 'log1p(x)', vjp: 'dy / (x + 1)', dtypes: 'float', domain: 'aboveMinusOne' },
  expm1: { forward: 'expm1(x)', vjp: 'dy * (y + 1)', dtypes: 'float', domain: 'real' },
  logicalNot: { forward: '!x', vjp: null, dtypes: 'bool', domain: 'quarters' },
});

/** The `Binary` kernel's ops, one row each. */
export const BINARY_TABLE = rows<BinaryRow>()({
  add: { forward: 'a + b', vjp: ['dy', 'dy'], dtypes: 'keep', domain: ['real', 'real'] },
  sub: { forward: 'a - b', vjp: ['dy', '-dy'], dtypes: 'keep', domain: ['real', 'real'] },
  mul: { forward: 'a * b', vjp: ['dy * b', 'dy * a'], dtypes: 'keep', domain: ['real', 'real'] },
  div: {
    forward: 'a / b',
    vjp: ['dy / b', '-dy * a / (b * b)'],
    // PyTorch's rule: at b = 0 it gives ±Inf where the expanded form gives NaN.
    jvp: '(ta - tb * y) / b',
    dtypes: 'float',
    domain: ['real', 'positive'],
  },
  pow: {
    forward: 'pow(a, b)',
    // PyTorch's conventions: d/da is 0 where b == 0; d/db is 0 where a == 0 and b >= 0.
    vjp: ['select(b == 0, 0, dy * b * pow(a, b - 1))', 'select(a == 0 && b >= 0, 0, dy * y * log(a))'],
    dtypes: 'keep',
    domain: ['base', 'exponent'],
  },
  // Ties split the gradient evenly, as PyTorch's maximum/minimum do; its tangent is
  // tb + w·(ta - tb), w = 1 where a wins, 0.5 at a tie, 0 elsewhere (so NaN takes tb).
  maximum: {
    forward: 'max(a, b)',
    vjp: ['select(a > b, dy, select(a == b, dy * 0.5, 0))', 'select(b > a, dy, select(a == b, dy * 0.5, 0))'],
    jvp: 'tb + select(a == b, 0.5, a > b) * (ta - tb)',
    dtypes: 'keep',
    domain: ['real', 'offset'],
  },
  minimum: {
    forward: 'min(a, b)',
    vjp: ['select(a < b, dy, select(a == b, dy * 0.5, 0))', 'select(b < a, dy, select(a == b, dy * 0.5, 0))'],
    jvp: 'tb + select(a == b, 0.5, a < b) * (ta - tb)',
    dtypes: 'keep',
    domain: ['real', 'offset'],
  },
  // The remainder with the dividend's sign, as torch.fmod (C's fmod); d/db is -trunc(a / b), written
  // from y so that no quotient is formed (a / b can underflow to 0 where trunc(a / b) is not 0).
  fmod: { forward: 'fmod(a, b)', vjp: ['dy', 'dy * (y - a) / b'], dtypes: 'float', domain: ['real', 'positive'] },
  // The remainder with the divisor's sign, as torch.remainder (Python's %): fmod moved into b's
  // sign, as PyTorch computes it; d/db is -floor(a / b), again from y.
  remainder: {
    forward: 'select(fmod(a, b) != 0 && (fmod(a, b) < 0) != (b < 0), fmod(a, b) + b, fmod(a, b))',
    vjp: ['dy', 'dy * (y - a) / b'],
    dtypes: 'float',
    domain: ['real', 'positive'],
  },
  // The angle of (b, a), as Math.atan2 and torch.atan2; d/da = b / (a² + b²), d/db = -a / (a² + b²).
  atan2: {
    forward: 'atan2(a, b)',
    vjp: ['dy * b / (a * a + b * b)', '-dy * a / (a * a + b * b)'],
    dtypes: 'float',
    domain: ['real', 'positive'],
  },
});

/**
 * One op whose result is bool and which has no gradient (as PyTorch's comparisons and logic):
 * an expression of a and b giving 1 or 0. NaN compares false except under `!=`, as IEEE says.
 */
export interface PredicateRow {
  /** 1 or 0 in terms of a and b. */
  readonly forward: string;
}

/** The `Compare` kernel's ops: operands of one dtype (float32, int32 or bool), bool out. */
export const COMPARE_TABLE = rows<PredicateRow>()({
  lt: { forward: 'a < b' },
  le: { forward: 'a <= b' },
  gt: { forward: 'a > b' },
  ge: { forward: 'a >= b' },
  eq: { forward: 'a == b' },
  ne: { forward: 'a != b' },
});

/** The `Logical` kernel's ops: bool operands (each 0 or 1), bool out. */
export const LOGICAL_TABLE = rows<PredicateRow>()({
  and: { forward: 'a && b' },
  or: { forward: 'a || b' },
  xor: { forward: 'a != b' },
});

/** Names of the `Unary` kernel's ops, one per row of {@link UNARY_TABLE}. */
export type UnaryOpName = keyof typeof UNARY_TABLE;
/** Names of the `Binary` kernel's ops, one per row of {@link BINARY_TABLE}. */
export type BinaryOpName = keyof typeof BINARY_TABLE;

/** Names of the `Compare` kernel's ops, one per row of {@link COMPARE_TABLE}. */
export type CompareOpName = keyof typeof COMPARE_TABLE;
/** Names of the `Logical` kernel's ops, one per row of {@link LOGICAL_TABLE}. */
export type LogicalOpName = keyof typeof LOGICAL_TABLE;

/** The unary ops' names, in table order (the order kernels number them in). */
export const UNARY_OP_NAMES = Object.keys(UNARY_TABLE) as UnaryOpName[];
/** The binary ops' names, in table order. */
export const BINARY_OP_NAMES = Object.keys(BINARY_TABLE) as BinaryOpName[];
/** The comparisons' names, in table order. */
export const COMPARE_OP_NAMES = Object.keys(COMPARE_TABLE) as CompareOpName[];
/** The logical ops' names, in table order. */
export const LOGICAL_OP_NAMES = Object.keys(LOGICAL_TABLE) as LogicalOpName[];

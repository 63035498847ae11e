/** Elementwise kernels against the cpu reference, on the values where WGSL is loosest: ±0, ±∞, NaN, huge and tiny. */
import type { BinaryOp, CompareOp, UnaryOp } from '@surrograd/core';
import { describe, it } from 'vitest';
import { expectSameAsCpu, host } from './support/differential.js';

const SPECIAL = [0, -0, 1, -1, 0.5, -0.5, 1.5, 2.5, -2.5, 3.7, -3.7, 1e-30, -1e-30, 1e30, -1e30, 88.5, -88.5, 100, -100, 1e-7, 0.49999997];
const NON_FINITE = [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.NaN];
const EDGE = [...SPECIAL, ...NON_FINITE];
const INTS = [0, 1, -1, 2, -3, 7, 46341, -46341, 2147483647, -2147483648];

// Transcendentals: float32 on the GPU against float64 rounded on the cpu.
const UNARY_TOLERANCE: Partial<Record<UnaryOp, number>> = {
  exp: 2e-6,
  log: 2e-6,
  log1p: 2e-6,
  expm1: 2e-6,
  erf: 2e-6,
  sin: 2e-6,
  cos: 2e-6,
};

describe('Unary', () => {
  const ops: UnaryOp[] = [
    'neg',
    'exp',
    'log',
    'sqrt',
    'rsqrt',
    'abs',
    'sign',
    'reciprocal',
    'square',
    'floor',
    'ceil',
    'round',
    'erf',
    'log1p',
    'expm1',
  ];
  for (const op of ops) {
    it(`${op} on float32 edge values`, async () => {
      const signedZeros = ['neg', 'abs', 'sqrt', 'floor', 'ceil', 'round'].includes(op);
      await expectSameAsCpu('Unary', [host(EDGE)], { op }, { rtol: UNARY_TOLERANCE[op] ?? 1e-6, atol: 1e-7, signedZeros });
    });
  }
  it('sin and cos where float32 arguments are meaningful (|x| < 1e4)', async () => {
    const xs = [0, -0, 1, -1, 0.5, 3.1, -3.1, Math.PI, 100, -100, 1000.5, ...NON_FINITE];
    for (const op of ['sin', 'cos'] as const) await expectSameAsCpu('Unary', [host(xs)], { op }, { rtol: 1e-5, atol: 2e-6 });
  });
  it('logicalNot on every dtype', async () => {
    await expectSameAsCpu('Unary', [host(EDGE)], { op: 'logicalNot' });
    await expectSameAsCpu('Unary', [host(INTS, [INTS.length], 'int32')], { op: 'logicalNot' });
    await expectSameAsCpu('Unary', [host([0, 1, 1, 0], [4], 'bool')], { op: 'logicalNot' });
  });
  it('integer ops stay integers and wrap', async () => {
    for (const op of ['neg', 'abs', 'sign', 'floor', 'ceil', 'round'] as const) {
      await expectSameAsCpu('Unary', [host(INTS, [INTS.length], 'int32')], { op });
    }
  });
});

describe('Cast', () => {
  const floats = [...EDGE, 2147483647, 2147483648, -2147483648, -2147483904, 3e9, -3e9, 4294967296, 4294967296 * 3 + 256, 1e20, 16777217];
  for (const dtype of ['int32', 'bool', 'float32'] as const) {
    it(`float32 → ${dtype}`, async () => {
      await expectSameAsCpu('Cast', [host(floats)], { dtype }, { signedZeros: true });
    });
  }
  it('int32 and bool → every dtype', async () => {
    for (const dtype of ['int32', 'bool', 'float32'] as const) {
      await expectSameAsCpu('Cast', [host(INTS, [INTS.length], 'int32')], { dtype });
      await expectSameAsCpu('Cast', [host([0, 1, 1, 0], [4], 'bool')], { dtype });
    }
  });
});

describe('Binary', () => {
  // Every pair of edge values.
  const a = EDGE.flatMap((x) => EDGE.map(() => x));
  const b = EDGE.flatMap(() => EDGE);
  const ops: BinaryOp[] = ['add', 'sub', 'mul', 'div', 'maximum', 'minimum'];
  for (const op of ops) {
    it(`${op} on every pair of edge values`, async () => {
      const signedZeros = ['add', 'sub', 'mul', 'div'].includes(op);
      await expectSameAsCpu('Binary', [host(a), host(b)], { op }, { rtol: 1e-6, signedZeros });
    });
  }
  it('pow on every pair of edge values and integer exponents', async () => {
    const exps = [...EDGE, 2, 3, -2, -3, 0.5, -0.5, 1 / 3, 64, 65];
    const pa = EDGE.flatMap((x) => exps.map(() => x));
    const pb = EDGE.flatMap(() => exps);
    // atol 2^-126: WGSL may flush subnormal results to zero (SwiftShader does: 2.5^-100 is 0).
    await expectSameAsCpu('Binary', [host(pa), host(pb)], { op: 'pow' }, { rtol: 2e-5, atol: 2 ** -126, signedZeros: true });
  });
  it('integers: wrapping arithmetic, truncating division, x / 0 = 0, powers', async () => {
    const ia = INTS.flatMap((x) => INTS.map(() => x));
    const ib = INTS.flatMap(() => INTS);
    for (const op of ['add', 'sub', 'div', 'maximum', 'minimum'] as const) {
      await expectSameAsCpu('Binary', [host(ia, [ia.length], 'int32'), host(ib, [ib.length], 'int32')], { op });
    }
    const small = [0, 1, -1, 2, -3, 5];
    const pa = small.flatMap((x) => small.map(() => x));
    const pb = small.flatMap(() => small);
    for (const op of ['pow', 'mul'] as const) {
      await expectSameAsCpu('Binary', [host(pa, [pa.length], 'int32'), host(pb, [pb.length], 'int32')], { op });
    }
  });
  it('bool operands store x != 0', async () => {
    for (const op of ['add', 'sub', 'mul', 'maximum', 'minimum'] as const) {
      await expectSameAsCpu('Binary', [host([0, 0, 1, 1], [4], 'bool'), host([0, 1, 0, 1], [4], 'bool')], { op });
    }
  });
  it('broadcasts: scalar, row, column, and both ways', async () => {
    const v = (n: number, k = 1) => Array.from({ length: n }, (_, i) => (i + 1) * k);
    await expectSameAsCpu('Binary', [host(v(6), [2, 3]), host([10], [])], { op: 'sub' });
    await expectSameAsCpu('Binary', [host(v(6), [2, 3]), host(v(3, 10), [3])], { op: 'div' }, { rtol: 1e-7 });
    await expectSameAsCpu('Binary', [host(v(2), [2, 1]), host(v(3, 10), [1, 3])], { op: 'mul' });
    await expectSameAsCpu('Binary', [host(v(24), [2, 3, 4]), host(v(8), [2, 1, 4])], { op: 'add' });
    await expectSameAsCpu('Binary', [host([], [0, 3]), host(v(3), [3])], { op: 'add' });
  });
});

describe('Compare, Logical, Where', () => {
  const a = EDGE.flatMap((x) => EDGE.map(() => x));
  const b = EDGE.flatMap(() => EDGE);
  for (const op of ['lt', 'le', 'gt', 'ge', 'eq', 'ne'] as CompareOp[]) {
    it(`${op}: NaN compares false except under ne`, async () => {
      await expectSameAsCpu('Compare', [host(a), host(b)], { op });
      await expectSameAsCpu('Compare', [host(INTS, [INTS.length], 'int32'), host([0], [], 'int32')], { op });
    });
  }
  it('and, or, xor broadcast', async () => {
    for (const op of ['and', 'or', 'xor'] as const) {
      await expectSameAsCpu('Logical', [host([0, 1, 1, 0, 1, 0], [2, 3], 'bool'), host([1, 0, 1], [3], 'bool')], { op });
    }
  });
  it('picks exact words (NaN, -0, ∞) with all three broadcast', async () => {
    await expectSameAsCpu(
      'Where',
      [host([1, 0], [2, 1], 'bool'), host([Number.NaN, -0, Number.POSITIVE_INFINITY], [3]), host([5], [])],
      {},
      { signedZeros: true },
    );
    await expectSameAsCpu('Where', [host([1, 0, 1], [3], 'bool'), host([1, 2, 3], [3], 'int32'), host([-1, -2, -3], [3], 'int32')], {});
  });
});

describe('Fill', () => {
  it('every dtype, -0, NaN and values beyond int32', async () => {
    for (const [value, dtype] of [
      [-0, 'float32'],
      [Number.NaN, 'float32'],
      [3.5, 'int32'],
      [2 ** 32 + 5, 'int32'],
      [0.1, 'bool'],
      [0, 'bool'],
    ] as const) {
      await expectSameAsCpu('Fill', [], { shape: [2, 3], value, dtype }, { signedZeros: true });
    }
    await expectSameAsCpu('Fill', [], { shape: [], value: 7, dtype: 'float32' });
    await expectSameAsCpu('Fill', [], { shape: [0, 4], value: 7, dtype: 'float32' });
  });
});

/**
 * Plain-JS references for the elementwise ops: each value with its derivative(s), in float64, so
 * the property suite needs no second backend. Domains keep the values where float32 is accurate.
 */
import { scalarMath } from '@surrograd/core';

export interface UnaryReference {
  value(x: number): number;
  derivative(x: number): number;
  /** Maps an unconstrained sample in [-4, 4] into the op's domain. */
  domain(x: number): number;
}

const anywhere = (x: number) => x;
const positive = (x: number) => Math.abs(x) + 0.25;
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
/** Quarters below 2 in magnitude, so integers and halves (round's ties) come up often. */
const quarters = (x: number) => (Math.abs(x) < 2 ? Math.round(x * 4) / 4 : x);

export const UNARY_REFERENCES: Record<string, UnaryReference> = {
  neg: { value: (x) => -x, derivative: () => -1, domain: anywhere },
  abs: { value: Math.abs, derivative: Math.sign, domain: (x) => (x === 0 ? 0.5 : x) },
  square: { value: (x) => x * x, derivative: (x) => 2 * x, domain: anywhere },
  exp: { value: Math.exp, derivative: Math.exp, domain: anywhere },
  log: { value: Math.log, derivative: (x) => 1 / x, domain: positive },
  sqrt: { value: Math.sqrt, derivative: (x) => 0.5 / Math.sqrt(x), domain: positive },
  reciprocal: { value: (x) => 1 / x, derivative: (x) => -1 / (x * x), domain: positive },
  sin: { value: Math.sin, derivative: Math.cos, domain: anywhere },
  cos: { value: Math.cos, derivative: (x) => -Math.sin(x), domain: anywhere },
  tanh: { value: Math.tanh, derivative: (x) => 1 - Math.tanh(x) ** 2, domain: anywhere },
  sigmoid: { value: sigmoid, derivative: (x) => sigmoid(x) * (1 - sigmoid(x)), domain: anywhere },
  rsqrt: { value: (x) => 1 / Math.sqrt(x), derivative: (x) => -0.5 / (x * Math.sqrt(x)), domain: positive },
  log1p: { value: Math.log1p, derivative: (x) => 1 / (1 + x), domain: (x) => Math.abs(x) * 2 - 0.75 },
  expm1: { value: Math.expm1, derivative: Math.exp, domain: anywhere },
  erf: { value: scalarMath.erf, derivative: (x) => (2 / Math.sqrt(Math.PI)) * Math.exp(-x * x), domain: anywhere },
  // Steps: zero gradient everywhere, as PyTorch; round is half to even, sign(±0) = 0.
  sign: { value: (x) => (x > 0 ? 1 : x < 0 ? -1 : 0), derivative: () => 0, domain: quarters },
  floor: { value: Math.floor, derivative: () => 0, domain: quarters },
  ceil: { value: Math.ceil, derivative: () => 0, domain: quarters },
  round: { value: scalarMath.roundHalfEven, derivative: () => 0, domain: quarters },
  // Away from 0, where relu's derivative is a convention rather than a fact.
  relu: { value: (x) => Math.max(x, 0), derivative: (x) => (x > 0 ? 1 : 0), domain: (x) => (Math.abs(x) < 1e-3 ? 0.5 : x) },
};

export interface BinaryReference {
  value(a: number, b: number): number;
  /** ∂/∂a and ∂/∂b. */
  partials(a: number, b: number): [number, number];
  domainA(x: number): number;
  domainB(x: number): number;
}

/** Moves b away from a, so maximum/minimum never see ties (whose gradient split is a convention). */
const apart = (x: number) => x + 0.125;

export const BINARY_REFERENCES: Record<string, BinaryReference> = {
  add: { value: (a, b) => a + b, partials: () => [1, 1], domainA: anywhere, domainB: anywhere },
  sub: { value: (a, b) => a - b, partials: () => [1, -1], domainA: anywhere, domainB: anywhere },
  mul: { value: (a, b) => a * b, partials: (a, b) => [b, a], domainA: anywhere, domainB: anywhere },
  div: { value: (a, b) => a / b, partials: (a, b) => [1 / b, -a / (b * b)], domainA: anywhere, domainB: positive },
  pow: {
    value: (a, b) => a ** b,
    partials: (a, b) => [b * a ** (b - 1), a ** b * Math.log(a)],
    domainA: (x) => 0.5 + Math.abs(x) / 4,
    domainB: (x) => x / 2,
  },
  maximum: { value: Math.max, partials: (a, b) => (a > b ? [1, 0] : [0, 1]), domainA: anywhere, domainB: apart },
  minimum: { value: Math.min, partials: (a, b) => (a < b ? [1, 0] : [0, 1]), domainA: anywhere, domainB: apart },
};

/**
 * Random parameters and inputs for activation properties. Core documents each entry's defaults,
 * not ranges; these are the kit's ranges per parameter name: wide enough to move every kink and
 * saturation point, narrow enough that float32 neither overflows nor divides by zero (width > 0,
 * beta > 0, threshold ≤ 30 so exp(beta·x) stays finite where it is evaluated). A parameter the
 * kit does not know (a plugin's kind) keeps its entry's default, or 1.
 */
import fc from 'fast-check';
import { values } from './property-arbitraries.js';

/** GPUs may flush float32 subnormals to zero (WGSL allows it); so does the kit, for parameters. */
const flushSubnormal = (v: number) => (Math.abs(v) < 2 ** -126 ? 0 : v);

export const PARAM_RANGES: Readonly<Record<string, readonly [number, number]>> = {
  slope: [0, 50],
  alpha: [0, 4],
  beta: [0.25, 4],
  threshold: [1, 30],
  minVal: [-3, 0],
  maxVal: [0, 3],
  width: [0.25, 3],
  scale: [0, 3],
  leak: [0, 0.5],
  low: [-3, 0],
  high: [0, 3],
};

/**
 * Narrower ranges where a kind's formula needs them. qPseudoSpike, (1 + 2|x|/(α − 1))^(−α), is
 * defined for α > 1 (SpikingJelly's tail-fatness parameter): below 1 its base crosses 0 at
 * |x| = (1 − α)/2, where float32 and float64 give Inf or NaN by rounding alone.
 */
export const KIND_PARAM_RANGES: Readonly<Record<string, Readonly<Record<string, readonly [number, number]>>>> = {
  qPseudoSpike: { alpha: [1.0625, 4] },
};

/**
 * float32 values for each named parameter (so every backend sees the same numbers), within the
 * ranges above, or the narrower ones of the `kinds` that use them.
 */
export function activationParams(
  names: readonly string[],
  defaults: Readonly<Record<string, number>> = {},
  kinds: readonly string[] = [],
): fc.Arbitrary<Record<string, number>> {
  const entries = names.map((name) => {
    const range = kinds.map((k) => KIND_PARAM_RANGES[k]?.[name]).find((r) => r !== undefined) ?? PARAM_RANGES[name];
    const arb = range
      ? fc.float({ min: Math.fround(range[0]), max: Math.fround(range[1]), noNaN: true, noDefaultInfinity: true }).map(flushSubnormal)
      : fc.constant(defaults[name] ?? 1);
    return [name, arb] as const;
  });
  return fc.record(Object.fromEntries(entries)) as fc.Arbitrary<Record<string, number>>;
}

/**
 * Inputs for an activation with `params`: mostly floats in [-4, 4], some in [-8, 8], and the
 * points where kinds switch branches or round (0, -0, ±1, halves, ±each parameter value).
 */
export function activationInputs(n: number, params: Readonly<Record<string, number>>): fc.Arbitrary<number[]> {
  const kinks = [0, -0, 1, -1, 0.5, -0.5, 2.5, -2.5, ...Object.values(params).flatMap((p) => [p, -p])];
  const element = fc.oneof(
    { weight: 6, arbitrary: values([1]).map((v) => v[0] as number) },
    { weight: 1, arbitrary: values([1]).map((v) => Math.fround((v[0] as number) * 2)) },
    { weight: 2, arbitrary: fc.constantFrom(...kinks) },
  );
  return fc.array(element, { minLength: n, maxLength: n });
}

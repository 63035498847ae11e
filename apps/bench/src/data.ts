/** Deterministic inputs, so every contender (and every run) gets the same numbers. */

/** xorshift32 in [0, 1). */
export function uniformStream(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 2 ** 32;
  };
}

/** n values uniform in [low, high). */
export function uniformArray(n: number, seed: number, low = -1, high = 1): Float32Array {
  const next = uniformStream(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = low + (high - low) * next();
  return out;
}

/** Inputs that cover the edge cases of activations: zero, both signs, small and large magnitudes. */
export function probeValues(): Float32Array {
  const base = [0, -0, 1, -1, 0.5, -0.5, 1e-3, -1e-3, 2, -2, 3.5, -3.5, 0.04, -0.04, 10, -10];
  return Float32Array.from([...base, ...uniformArray(48, 99, -4, 4)]);
}

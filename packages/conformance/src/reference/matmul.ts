/** Naive matrix products in float64, with the per-entry sum of |a·b| that bounds float32 rounding. */

export interface Product {
  values: Float64Array;
  /** Σ_k |a_ik · b_kj| per entry: float32 error scales with it, not with the result. */
  magnitude: Float64Array;
}

/** a [m,k] (or [k,m] if transA) times b [k,n] (or [n,k] if transB), row-major, batch-free. */
export function naiveMatmul(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  m: number,
  k: number,
  n: number,
  transA = false,
  transB = false,
): Product {
  const values = new Float64Array(m * n);
  const magnitude = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      let mag = 0;
      for (let p = 0; p < k; p++) {
        const x = a[transA ? p * m + i : i * k + p] as number;
        const y = b[transB ? j * k + p : p * n + j] as number;
        s += x * y;
        mag += Math.abs(x * y);
      }
      values[i * n + j] = s;
      magnitude[i * n + j] = mag;
    }
  }
  return { values, magnitude };
}

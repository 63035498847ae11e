/** C = op(A)·op(B) in float64 from row-major arrays: the reference the matmul tests compare with. */
export function naiveMatmul(a: Float32Array, b: Float32Array, m: number, n: number, k: number, tA: boolean, tB: boolean): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += (a[tA ? p * m + i : i * k + p] as number) * (b[tB ? j * k + p : p * n + j] as number);
      c[i * n + j] = s;
    }
  return c;
}

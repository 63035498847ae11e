/**
 * The order that sorts each row of a [rows, n] array, as PyTorch's stable sort: NaN is the largest
 * value (last ascending, first descending), equal values keep their positions' order, and -0
 * equals 0. For backends that sort on the host (FusedKernels.Argsort): O(n log n) per row,
 * where the composed sort compares all pairs.
 */
export function argsortRows(values: ArrayLike<number>, rows: number, n: number, descending: boolean): Int32Array {
  const out = new Int32Array(rows * n);
  const order = new Int32Array(n);
  for (let r = 0; r < rows; r++) {
    const base = r * n;
    for (let i = 0; i < n; i++) order[i] = i;
    const at = (i: number) => values[base + i] as number;
    // Every comparison ends in the positions, so the order is the stable one whatever sort runs.
    order.sort(
      descending
        ? (i, j) => {
            const [a, b] = [at(i), at(j)];
            if (a > b || (a !== a && b === b)) return -1;
            if (a < b || (b !== b && a === a)) return 1;
            return i - j;
          }
        : (i, j) => {
            const [a, b] = [at(i), at(j)];
            if (a < b || (b !== b && a === a)) return -1;
            if (a > b || (a !== a && b === b)) return 1;
            return i - j;
          },
    );
    out.set(order, base);
  }
  return out;
}

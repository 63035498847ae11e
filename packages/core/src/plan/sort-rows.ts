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
    // Ties end in the positions, so the order is the stable one whatever sort runs.
    order.sort(descending ? (i, j) => valueOrder(at(j), at(i)) || i - j : (i, j) => valueOrder(at(i), at(j)) || i - j);
    out.set(order, base);
  }
  return out;
}

/** −1, 1 or 0 as a sorts before, after or level with b ascending: NaN is the largest value, −0 equals 0. */
function valueOrder(a: number, b: number): number {
  const [na, nb] = [Number.isNaN(a), Number.isNaN(b)];
  if (a < b || (nb && !na)) return -1;
  if (a > b || (na && !nb)) return 1;
  return 0;
}

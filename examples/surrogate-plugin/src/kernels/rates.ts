/**
 * The FiringRate loop itself, shared by the backends whose memory JavaScript can read in place
 * (cpu's typed arrays, wasm's linear memory). `values` is [rows, units] row-major.
 */
export function countRates(values: ArrayLike<number>, units: number, rates: Float32Array): void {
  const rows = units === 0 ? 0 : values.length / units;
  const counts = new Float64Array(units);
  for (let r = 0; r < rows; r++) {
    const base = r * units;
    // (v > 0) as 0/1 without a branch: spikes are random, a branch would mispredict.
    for (let c = 0; c < units; c++) counts[c] = (counts[c] as number) + +((values[base + c] as number) > 0);
  }
  for (let c = 0; c < units; c++) rates[c] = (counts[c] as number) / rows;
}

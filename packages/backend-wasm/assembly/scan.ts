/**
 * The spiking neuron's time loops, a row [N] per step: each step reads the previous step's row of
 * the output (its state) and writes its own, so the loops stream through memory. An operand of
 * length 1 is one value, of length n one per position, of length steps·n one per step and position.
 */

@inline function at(p: usize, len: i32, t: i32, i: i32, n: i32): f32 {
  return len == 1 ? load<f32>(p) : len == n ? load<f32>(p + (<usize>i << 2)) : load<f32>(p + (<usize>(t * n + i) << 2));
}

/** One operand as 4 lanes at position i: splat when it is one value, else loaded. */
@inline function lanes(p: usize, len: i32, i: i32): v128 {
  return len == 1 ? f32x4.splat(load<f32>(p)) : v128.load(p + (<usize>i << 2));
}

/**
 * Membranes and spikes of a LIF neuron from zero state; mode 0 subtract, 1 zero, 2 none; atZero:
 * spike at U − thr ≥ 0. beta, thr and graded have 1 or n values. Four positions per SIMD step,
 * the same float32 operations as the scalar tail (no fused multiply-add).
 */
export function lifScanF32(
  cur: usize,
  beta: usize,
  betaLen: i32,
  thr: usize,
  thrLen: i32,
  graded: usize,
  gradedLen: i32,
  out: usize,
  spikes: usize,
  steps: i32,
  n: i32,
  mode: i32,
  atZero: i32,
): void {
  const zero = f32x4.splat(0);
  const vecEnd = n & ~3;
  for (let t = 0; t < steps; t++) {
    const row = out + (<usize>(t * n) << 2);
    const prevRow = row - (<usize>n << 2);
    const inRow = cur + (<usize>(t * n) << 2);
    const spikeRow = spikes + (<usize>(t * n) << 2);
    let i = 0;
    for (; i < vecEnd; i += 4) {
      const off = <usize>i << 2;
      const prev = t == 0 ? zero : v128.load(prevRow + off);
      const b = lanes(beta, betaLen, i);
      const th = lanes(thr, thrLen, i);
      const shifted = f32x4.sub(prev, th);
      const spiked = atZero != 0 ? f32x4.ge(shifted, zero) : f32x4.gt(shifted, zero);
      const input = v128.load(inRow + off);
      let next: v128;
      if (mode == 0) next = f32x4.sub(f32x4.add(f32x4.mul(b, prev), input), v128.and(spiked, th));
      else if (mode == 1) next = f32x4.add(f32x4.mul(b, v128.andnot(prev, spiked)), input);
      else next = f32x4.add(f32x4.mul(b, prev), input);
      v128.store(row + off, next);
      const over = f32x4.sub(next, th);
      const fired = atZero != 0 ? f32x4.ge(over, zero) : f32x4.gt(over, zero);
      v128.store(spikeRow + off, v128.and(fired, lanes(graded, gradedLen, i)));
    }
    for (; i < n; i++) {
      const prev: f32 = t == 0 ? 0 : load<f32>(prevRow + (<usize>i << 2));
      const b = at(beta, betaLen, 0, i, n);
      const th = at(thr, thrLen, 0, i, n);
      const shifted = prev - th;
      const spiked = atZero != 0 ? shifted >= 0 : shifted > 0;
      const input = load<f32>(inRow + (<usize>i << 2));
      let next: f32;
      if (mode == 0) next = b * prev + input - (spiked ? th : 0);
      else if (mode == 1) next = b * (spiked ? <f32>0 : prev) + input;
      else next = b * prev + input;
      store<f32>(row + (<usize>i << 2), next);
      const over = next - th;
      store<f32>(spikeRow + (<usize>i << 2), (atZero != 0 ? over >= 0 : over > 0) ? at(graded, gradedLen, 0, i, n) : 0);
    }
  }
}

/**
 * y_t = a_t·y_{t∓1} + (x_t + addend_t) over dim 0, forward or (reverse != 0) from the last step
 * back; addend 0 means none. Four positions per SIMD step.
 */
export function linearScanF32(x: usize, a: usize, aLen: i32, addend: usize, out: usize, steps: i32, n: i32, reverse: i32): void {
  const vecEnd = n & ~3;
  for (let k = 0; k < steps; k++) {
    const t = reverse != 0 ? steps - 1 - k : k;
    const row = out + (<usize>(t * n) << 2);
    const inRow = x + (<usize>(t * n) << 2);
    const addRow = addend + (<usize>(t * n) << 2);
    if (k == 0) {
      if (addend == 0) memory.copy(row, inRow, <usize>n << 2);
      else {
        let j = 0;
        for (; j < vecEnd; j += 4) v128.store(row + (<usize>j << 2), f32x4.add(v128.load(inRow + (<usize>j << 2)), v128.load(addRow + (<usize>j << 2))));
        for (; j < n; j++) store<f32>(row + (<usize>j << 2), load<f32>(inRow + (<usize>j << 2)) + load<f32>(addRow + (<usize>j << 2)));
      }
      continue;
    }
    const carryRow = reverse != 0 ? row + (<usize>n << 2) : row - (<usize>n << 2);
    const aRow = a + (<usize>(aLen == n ? 0 : t * n) << 2);
    let i = 0;
    for (; i < vecEnd; i += 4) {
      const off = <usize>i << 2;
      const av = aLen == 1 ? f32x4.splat(load<f32>(a)) : v128.load(aRow + off);
      const xv = addend == 0 ? v128.load(inRow + off) : f32x4.add(v128.load(inRow + off), v128.load(addRow + off));
      v128.store(row + off, f32x4.add(f32x4.mul(av, v128.load(carryRow + off)), xv));
    }
    for (; i < n; i++) {
      const xs: f32 = addend == 0 ? load<f32>(inRow + (<usize>i << 2)) : load<f32>(inRow + (<usize>i << 2)) + load<f32>(addRow + (<usize>i << 2));
      store<f32>(row + (<usize>i << 2), at(a, aLen, t, i, n) * load<f32>(carryRow + (<usize>i << 2)) + xs);
    }
  }
}

// dtype codes: 0 float32, 1 int32, 2 bool (one byte, 0/1). The reference's rules: to bool is
// x != 0 (NaN → true); float to int32 truncates toward zero, saturating, NaN → 0: exactly
// wasm's trunc_sat.

@inline function saturatingInt32(x: f64): i32 {
  if (isNaN(x)) return 0;
  if (x >= 2147483647.0) return i32.MAX_VALUE;
  if (x <= -2147483648.0) return i32.MIN_VALUE;
  return <i32>x;
}

@inline function elemBytes(dtype: i32): usize {
  return dtype == 2 ? 1 : 4;
}

@inline function read(dtype: i32, x: usize, i: usize): f64 {
  if (dtype == 0) return <f64>load<f32>(x + (i << 2));
  if (dtype == 1) return <f64>load<i32>(x + (i << 2));
  return <f64>load<u8>(x + i);
}

export function cast(from: i32, to: i32, x: usize, out: usize, n: i32): void {
  if (from == to) {
    memory.copy(out, x, <usize>n * elemBytes(from));
    return;
  }
  let i = 0;
  if (from == 1 && to == 0) {
    for (; i + 4 <= n; i += 4) v128.store(out + (<usize>i << 2), f32x4.convert_i32x4_s(v128.load(x + (<usize>i << 2))));
  } else if (from == 0 && to == 1) {
    for (; i + 4 <= n; i += 4) v128.store(out + (<usize>i << 2), i32x4.trunc_sat_f32x4_s(v128.load(x + (<usize>i << 2))));
  }
  for (; i < n; i++) {
    const v = read(from, x, <usize>i);
    if (to == 0) store<f32>(out + (<usize>i << 2), <f32>v);
    else if (to == 1) store<i32>(out + (<usize>i << 2), saturatingInt32(v));
    else store<u8>(out + i, <u8>(v != 0 || isNaN(v)));
  }
}

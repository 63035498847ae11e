import { toInt32 } from './convert';

// dtype codes: 0 float32, 1 int32, 2 bool (one byte, 0/1). The reference's rules: to bool is
// x != 0 (NaN → true); float to int32 truncates toward zero with ToInt32's wrap (NaN, ±Inf → 0).

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
    // Fast path while every lane is well inside the int32 range (NaN fails the test).
    const limit = f32x4.splat(2147483520.0);
    for (; i + 4 <= n; i += 4) {
      const v = v128.load(x + (<usize>i << 2));
      if (!i32x4.all_true(f32x4.lt(f32x4.abs(v), limit))) break;
      v128.store(out + (<usize>i << 2), i32x4.trunc_sat_f32x4_s(v));
    }
  }
  for (; i < n; i++) {
    const v = read(from, x, <usize>i);
    if (to == 0) store<f32>(out + (<usize>i << 2), <f32>v);
    else if (to == 1) store<i32>(out + (<usize>i << 2), toInt32(v));
    else store<u8>(out + i, <u8>(v != 0 || isNaN(v)));
  }
}

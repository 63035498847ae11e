// out = a + b·alpha over elements [first, first + count): an optimizer's update (p + (−lr)·g) in
// one pass instead of a multiply and an add. The two stay separately rounded, as the Binary mul by
// a float32 scalar and the Binary add they replace: no fused multiply-add, even in the relaxed build.

export function addScaledF32(a: usize, b: usize, out: usize, first: i32, count: i32, alpha: f32): void {
  const scale = f32x4.splat(alpha);
  let at = <usize>first << 2;
  const end = at + (<usize>count << 2);
  const vectorEnd = at + ((<usize>count & ~3) << 2);
  for (; at < vectorEnd; at += 16) {
    v128.store(out + at, f32x4.add(v128.load(a + at), f32x4.mul(v128.load(b + at), scale)));
  }
  for (; at < end; at += 4) store<f32>(out + at, load<f32>(a + at) + load<f32>(b + at) * alpha);
}

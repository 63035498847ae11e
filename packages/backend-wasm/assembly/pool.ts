/**
 * Max pooling over planes [first, first + planes) of h×w: each window's maximum and the flat index
 * (into x) of its first maximum, a NaN winning. Threads take runs of planes. Padding never wins:
 * windows scan only the elements inside the plane, and every window holds at least one.
 */
export function maxPool2dF32(
  x: usize,
  y: usize,
  indices: usize,
  first: i32,
  planes: i32,
  h: i32,
  w: i32,
  kh: i32,
  kw: i32,
  sh: i32,
  sw: i32,
  pt: i32,
  pl: i32,
  dh: i32,
  dw: i32,
  oh: i32,
  ow: i32,
): void {
  if (kh == 2 && kw == 2 && sh == 2 && sw == 2 && pt == 0 && pl == 0 && dh == 1 && dw == 1 && oh * 2 <= h && ow * 2 <= w) {
    maxPool2x2(x, y, indices, first, planes, h, w, oh, ow);
    return;
  }
  let out = first * oh * ow;
  for (let p = first; p < first + planes; p++) {
    const base = p * h * w;
    for (let oy = 0; oy < oh; oy++) {
      const y0 = oy * sh - pt;
      // The taps inside the plane, [kiLo, kiHi): the window's rows never leave it in the loop.
      // (Divisions only at the edges: inside, the whole window fits.)
      const kiLo = y0 >= 0 ? 0 : (-y0 + dh - 1) / dh;
      const kiHi = y0 + (kh - 1) * dh < h ? kh : (h - 1 - y0) / dh + 1;
      // Four windows side by side in SIMD lanes wherever all four lie inside the plane's width: the
      // comparisons chain tap after tap, so one window at a time waits on each; four share the wait.
      let ox = 0;
      for (; ox < ow; ox++, out++) {
        const x0 = ox * sw - pl;
        if (ox + 4 <= ow && x0 >= 0 && x0 + 3 * sw + (kw - 1) * dw < w) {
          poolFour(x, y, indices, out, base, w, y0, x0, kiLo, kiHi, kw, sw, dh, dw);
          ox += 3;
          out += 3;
          continue;
        }
        const kjLo = x0 >= 0 ? 0 : (-x0 + dw - 1) / dw;
        const kjHi = x0 + (kw - 1) * dw < w ? kw : (w - 1 - x0) / dw + 1;
        let at = base + (y0 + kiLo * dh) * w + x0 + kjLo * dw;
        let best = load<f32>(x + (<usize>at << 2));
        // A tap wins if it is larger or a NaN (!(v <= best)) unless best is already a NaN: the
        // first NaN, else the first maximum.
        for (let ki = kiLo; ki < kiHi; ki++) {
          const row = base + (y0 + ki * dh) * w + x0;
          for (let kj = kjLo; kj < kjHi; kj++) {
            const i = row + kj * dw;
            const v = load<f32>(x + (<usize>i << 2));
            const take = !(v <= best) && best == best;
            best = select<f32>(v, best, take);
            at = select<i32>(i, at, take);
          }
        }
        store<f32>(y + (<usize>out << 2), best);
        store<i32>(indices + (<usize>out << 2), at);
      }
    }
  }
}

/** Four floats `step` bytes apart. */
@inline function gather4(p: usize, step: usize): v128 {
  if (step == 4) return v128.load(p);
  let v = f32x4.splat(load<f32>(p));
  v = f32x4.replace_lane(v, 1, load<f32>(p + step));
  v = f32x4.replace_lane(v, 2, load<f32>(p + 2 * step));
  return f32x4.replace_lane(v, 3, load<f32>(p + 3 * step));
}

/** Windows ox..ox+3 of one output row (their columns start at x0, x0 + sw, …), all inside the width, scanned as the scalar loop scans one. */
function poolFour(x: usize, y: usize, indices: usize, out: i32, base: i32, w: i32, y0: i32, x0: i32, kiLo: i32, kiHi: i32, kw: i32, sw: i32, dh: i32, dw: i32): void {
  const step = <usize>sw << 2;
  const lanes = i32x4(0, sw, 2 * sw, 3 * sw);
  const first = base + (y0 + kiLo * dh) * w + x0;
  let best = gather4(x + (<usize>first << 2), step);
  let index = i32x4.add(i32x4.splat(first), lanes);
  for (let ki = kiLo; ki < kiHi; ki++) {
    const row = base + (y0 + ki * dh) * w + x0;
    for (let kj = 0; kj < kw; kj++) {
      const i = row + kj * dw;
      const v = gather4(x + (<usize>i << 2), step);
      const take = v128.andnot(f32x4.eq(best, best), f32x4.le(v, best));
      best = v128.bitselect(v, best, take);
      index = v128.bitselect(i32x4.add(i32x4.splat(i), lanes), index, take);
    }
  }
  v128.store(y + (<usize>out << 2), best);
  v128.store(indices + (<usize>out << 2), index);
}

/**
 * The common 2×2, stride-2 window, unpadded: four windows at a time in SIMD lanes (their even and
 * odd columns split by shuffles), the last few one by one. A tap wins if it is larger or a NaN
 * (!(v <= best)) unless best is already a NaN (best != best), in scan order (0,0), (0,1), (1,0),
 * (1,1): the first NaN, else the first maximum, as the general loop finds them.
 */
function maxPool2x2(x: usize, y: usize, indices: usize, first: i32, planes: i32, h: i32, w: i32, oh: i32, ow: i32): void {
  const row = <usize>w << 2;
  const lanes = i32x4(0, 2, 4, 6);
  let out = first * oh * ow;
  for (let p = first; p < first + planes; p++) {
    const base = p * h * w;
    for (let oy = 0; oy < oh; oy++) {
      let i = base + oy * 2 * w;
      let ox = 0;
      for (; ox + 4 <= ow; ox += 4, i += 8, out += 4) {
        const at = x + (<usize>i << 2);
        const top0 = v128.load(at);
        const top1 = v128.load(at, 16);
        const bottom0 = v128.load(at + row);
        const bottom1 = v128.load(at + row, 16);
        let best = i32x4.shuffle(top0, top1, 0, 2, 4, 6);
        let index = i32x4.add(i32x4.splat(i), lanes);
        let v = i32x4.shuffle(top0, top1, 1, 3, 5, 7);
        let take = v128.andnot(f32x4.eq(best, best), f32x4.le(v, best));
        best = v128.bitselect(v, best, take);
        index = v128.bitselect(i32x4.add(index, i32x4.splat(1)), index, take);
        v = i32x4.shuffle(bottom0, bottom1, 0, 2, 4, 6);
        take = v128.andnot(f32x4.eq(best, best), f32x4.le(v, best));
        best = v128.bitselect(v, best, take);
        const left = i32x4.add(i32x4.splat(i + w), lanes);
        index = v128.bitselect(left, index, take);
        v = i32x4.shuffle(bottom0, bottom1, 1, 3, 5, 7);
        take = v128.andnot(f32x4.eq(best, best), f32x4.le(v, best));
        best = v128.bitselect(v, best, take);
        index = v128.bitselect(i32x4.add(left, i32x4.splat(1)), index, take);
        v128.store(y + (<usize>out << 2), best);
        v128.store(indices + (<usize>out << 2), index);
      }
      for (; ox < ow; ox++, i += 2, out++) {
        const at = x + (<usize>i << 2);
        let best = load<f32>(at);
        let index = i;
        if (best == best) {
          const v1 = load<f32>(at, 4);
          if (!(v1 <= best)) { best = v1; index = i + 1; }
        }
        if (best == best) {
          const v2 = load<f32>(at + row);
          if (!(v2 <= best)) { best = v2; index = i + w; }
        }
        if (best == best) {
          const v3 = load<f32>(at + row, 4);
          if (!(v3 <= best)) { best = v3; index = i + w + 1; }
        }
        store<f32>(y + (<usize>out << 2), best);
        store<i32>(indices + (<usize>out << 2), index);
      }
    }
  }
}

/**
 * Max pooling over `planes` planes of h×w: each window's maximum and the flat index (into x) of
 * its first maximum, a NaN winning. Padding never wins: windows scan only the elements inside the
 * plane, and every window holds at least one.
 */
export function maxPool2dF32(
  x: usize,
  y: usize,
  indices: usize,
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
    maxPool2x2(x, y, indices, planes, h, w, oh, ow);
    return;
  }
  let out = 0;
  for (let p = 0; p < planes; p++) {
    const base = p * h * w;
    for (let oy = 0; oy < oh; oy++) {
      const y0 = oy * sh - pt;
      // The taps inside the plane, [kiLo, kiHi): the window's rows never leave it in the loop.
      // (Divisions only at the edges: inside, the whole window fits.)
      const kiLo = y0 >= 0 ? 0 : (-y0 + dh - 1) / dh;
      const kiHi = y0 + (kh - 1) * dh < h ? kh : (h - 1 - y0) / dh + 1;
      for (let ox = 0; ox < ow; ox++) {
        const x0 = ox * sw - pl;
        const kjLo = x0 >= 0 ? 0 : (-x0 + dw - 1) / dw;
        const kjHi = x0 + (kw - 1) * dw < w ? kw : (w - 1 - x0) / dw + 1;
        let at = base + (y0 + kiLo * dh) * w + x0 + kjLo * dw;
        let best = load<f32>(x + (<usize>at << 2));
        if (best == best) {
          for (let ki = kiLo; ki < kiHi; ki++) {
            const row = base + (y0 + ki * dh) * w + x0;
            for (let kj = kjLo; kj < kjHi; kj++) {
              const i = row + kj * dw;
              const v = load<f32>(x + (<usize>i << 2));
              // v > best is false for NaN: !(v <= best) is true for v > best and for NaN.
              if (!(v <= best)) {
                best = v;
                at = i;
                if (v != v) {
                  ki = kiHi; // the first NaN wins: stop scanning the window
                  break;
                }
              }
            }
          }
        }
        store<f32>(y + (<usize>out << 2), best);
        store<i32>(indices + (<usize>out << 2), at);
        out++;
      }
    }
  }
}

/** The common 2×2, stride-2 window, unpadded: four loads, compared in scan order. */
function maxPool2x2(x: usize, y: usize, indices: usize, planes: i32, h: i32, w: i32, oh: i32, ow: i32): void {
  let out = 0;
  for (let p = 0; p < planes; p++) {
    const base = p * h * w;
    for (let oy = 0; oy < oh; oy++) {
      let i = base + oy * 2 * w;
      for (let ox = 0; ox < ow; ox++, i += 2) {
        let best = load<f32>(x + (<usize>i << 2));
        let at = i;
        // Scan order (0,0), (0,1), (1,0), (1,1); !(v <= best) takes a larger value or a NaN, and
        // once best is a NaN nothing replaces it (v <= NaN is false, but best != best stops it).
        if (best == best) {
          const v1 = load<f32>(x + (<usize>(i + 1) << 2));
          if (!(v1 <= best)) { best = v1; at = i + 1; }
        }
        if (best == best) {
          const v2 = load<f32>(x + (<usize>(i + w) << 2));
          if (!(v2 <= best)) { best = v2; at = i + w; }
        }
        if (best == best) {
          const v3 = load<f32>(x + (<usize>(i + w + 1) << 2));
          if (!(v3 <= best)) { best = v3; at = i + w + 1; }
        }
        store<f32>(y + (<usize>out << 2), best);
        store<i32>(indices + (<usize>out << 2), at);
        out++;
      }
    }
  }
}

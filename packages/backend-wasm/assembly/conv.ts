/**
 * The convolution kernels' data movement, one image at a time: im2col writes the columns
 * [c·kh·kw, oh·ow] of an image (zero where a window reaches into the padding), col2im adds
 * columns back into an image; the host multiplies them with the weights through matmulF32, so
 * no more than one image's columns are ever held.
 */
import { matmulF32, matmulStridedF32 } from './matmul';

/** Output columns [lo, hi) whose input column ox·sw + x0 lies in [0, w). */
@inline function validLo(x0: i32, sw: i32): i32 {
  return x0 >= 0 ? 0 : (-x0 + sw - 1) / sw;
}
@inline function validHi(x0: i32, sw: i32, w: i32, ow: i32): i32 {
  const last = w - 1 - x0;
  const hi = last < 0 ? 0 : last / sw + 1;
  return hi < ow ? hi : ow;
}

export function im2col(
  x: usize,
  cols: usize,
  c: i32,
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
  unfoldRows(x, cols, 0, c * kh * kw, h, w, kh, kw, sh, sw, pt, pl, dh, dw, oh, ow);
}

/**
 * Rows r0..r0 + count of image x's columns [c·kh·kw, oh·ow] into `cols`, one after another: row r
 * is channel r / (kh·kw)'s values under tap r % (kh·kw) of the window at every output position.
 */
function unfoldRows(
  x: usize,
  cols: usize,
  r0: i32,
  count: i32,
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
  let row = cols;
  const rowBytes = <usize>(oh * ow) << 2;
  const taps = kh * kw;
  for (let r = r0; r < r0 + count; r++) {
    const plane = x + (<usize>((r / taps) * h * w) << 2);
    const tap = r % taps;
    const ki = tap / kw;
    const x0 = (tap % kw) * dw - pl;
    let lo = validLo(x0, sw);
    const hi = validHi(x0, sw, w, ow);
    if (lo > hi) lo = hi;
    for (let oy = 0; oy < oh; oy++) {
      const dst = row + (<usize>(oy * ow) << 2);
      const iy = oy * sh - pt + ki * dh;
      if (iy < 0 || iy >= h) {
        memory.fill(dst, 0, <usize>ow << 2);
        continue;
      }
      if (lo > 0) memory.fill(dst, 0, <usize>lo << 2);
      if (hi < ow) memory.fill(dst + (<usize>hi << 2), 0, <usize>(ow - hi) << 2);
      const src = plane + (<usize>(iy * w + x0) << 2);
      if (sw == 1) memory.copy(dst + (<usize>lo << 2), src + (<usize>lo << 2), <usize>(hi - lo) << 2);
      else for (let ox = lo; ox < hi; ox++) store<f32>(dst + (<usize>ox << 2), load<f32>(src + (<usize>(ox * sw) << 2)));
    }
    row += rowBytes;
  }
}

/** dx [c, h, w] += the columns [c·kh·kw, oh·ow] (after clearing dx when `clear`). */
export function col2im(
  cols: usize,
  dx: usize,
  c: i32,
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
  clear: i32,
): void {
  if (clear) memory.fill(dx, 0, <usize>(c * h * w) << 2);
  let row = cols;
  const rowBytes = <usize>(oh * ow) << 2;
  for (let ci = 0; ci < c; ci++) {
    const plane = dx + (<usize>(ci * h * w) << 2);
    for (let ki = 0; ki < kh; ki++) {
      for (let kj = 0; kj < kw; kj++) {
        const x0 = kj * dw - pl;
        let lo = validLo(x0, sw);
        const hi = validHi(x0, sw, w, ow);
        if (lo > hi) lo = hi;
        for (let oy = 0; oy < oh; oy++) {
          const iy = oy * sh - pt + ki * dh;
          if (iy < 0 || iy >= h) continue;
          const src = row + (<usize>(oy * ow) << 2);
          const dst = plane + (<usize>(iy * w + x0) << 2);
          let ox = lo;
          if (sw == 1) {
            for (; ox + 4 <= hi; ox += 4) {
              const at = dst + (<usize>ox << 2);
              v128.store(at, f32x4.add(v128.load(at), v128.load(src + (<usize>ox << 2))));
            }
          }
          for (; ox < hi; ox++) {
            const at = dst + (<usize>(ox * sw) << 2);
            store<f32>(at, load<f32>(at) + load<f32>(src + (<usize>ox << 2)));
          }
        }
        row += rowBytes;
      }
    }
  }
}

/** dst[i] += src[i] for i < n. */
export function addIntoF32(dst: usize, src: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const at = dst + (<usize>i << 2);
    v128.store(at, f32x4.add(v128.load(at), v128.load(src + (<usize>i << 2))));
  }
  for (; i < n; i++) {
    const at = dst + (<usize>i << 2);
    store<f32>(at, load<f32>(at) + load<f32>(src + (<usize>i << 2)));
  }
}

/** A conv's geometry as the host writes it for the batch kernels below: i32 words in this order. */
@unmanaged
class ConvPlan {
  c: i32;
  h: i32;
  w: i32;
  kh: i32;
  kw: i32;
  sh: i32;
  sw: i32;
  pt: i32;
  pl: i32;
  dh: i32;
  dw: i32;
  oh: i32;
  ow: i32;
  o: i32;
  g: i32;
}

/**
 * A run of whole images of a convolution, one after another on the calling thread: what a thread
 * takes when the batch is shared instead of each image's product (small images, whose products
 * are too small to share). `plan` points at a ConvPlan; `panel` is one image's columns, `work`
 * matmulScratchBytes(oh·ow).
 * mode 0, the forward pass: y[img] = W · im2col(x[img]) per group. mode 1, the input gradient:
 * y[img] = col2im(Wᵀ · x[img]) per group, x being dy. Each image's steps are those the host runs
 * for it, so every split of the batch gives the same bits.
 */
export function convImagesF32(mode: i32, x: usize, w: usize, y: usize, first: i32, count: i32, plan: usize, panel: usize, work: usize): void {
  const p = changetype<ConvPlan>(plan);
  const c = p.c, h = p.h, wd = p.w, kh = p.kh, kw = p.kw;
  const o = p.o, g = p.g, oh = p.oh, ow = p.ow;
  const L = oh * ow;
  const og = o / g;
  const ck = (c / g) * kh * kw;
  const image = <usize>(c * h * wd) << 2;
  const outImage = <usize>(o * L) << 2;
  for (let img = first; img < first + count; img++) {
    const xi = x + <usize>img * (mode == 0 ? image : outImage);
    const yi = y + <usize>img * (mode == 0 ? outImage : image);
    if (mode == 0) im2col(xi, panel, c, h, wd, kh, kw, p.sh, p.sw, p.pt, p.pl, p.dh, p.dw, oh, ow);
    for (let gi = 0; gi < g; gi++) {
      const wg = w + (<usize>(gi * og * ck) << 2);
      const pg = panel + (<usize>(gi * ck * L) << 2);
      const og4 = <usize>(gi * og * L) << 2;
      if (mode == 0) matmulF32(wg, pg, yi + og4, og, L, ck, ck, 1, L, 1, work);
      else matmulF32(wg, xi + og4, pg, ck, L, og, 1, ck, L, 1, work);
    }
    if (mode == 1) col2im(panel, yi, c, h, wd, kh, kw, p.sh, p.sw, p.pt, p.pl, p.dh, p.dw, oh, ow, 1);
  }
}

/**
 * Rows [r0, r0 + count) of a conv's unfolded columns (groups 1; row r is input channel r / (kh·kw)
 * under tap r % (kh·kw)), their columns of the filter gradient dW [o, c·kh·kw] summed over all n
 * images in order: what a thread takes when the gradient is shared by those rows, because each
 * image's product is too small to share. Each thread unfolds only its rows into `panel` and packs
 * only those for the product, so nothing is done twice but packing dy; a one-channel conv's taps
 * split as well as many channels do. The first image's product goes straight into dW, each later
 * one into `partial` and is then added, exactly the one-thread loop's operations on these
 * columns, so every split gives its bits. `plan` points at a ConvPlan (groups 1); `work`
 * matmulScratchBytes(count).
 */
export function convFilterRowsF32(
  x: usize,
  dy: usize,
  dw: usize,
  r0: i32,
  count: i32,
  n: i32,
  plan: usize,
  panel: usize,
  partial: usize,
  work: usize,
): void {
  const p = changetype<ConvPlan>(plan);
  const c = p.c, h = p.h, wd = p.w, kh = p.kh, kw = p.kw;
  const o = p.o, oh = p.oh, ow = p.ow;
  const L = oh * ow;
  const ck = c * kh * kw;
  const target = dw + (<usize>r0 << 2);
  const image = <usize>(c * h * wd) << 2;
  for (let img = 0; img < n; img++) {
    unfoldRows(x + <usize>img * image, panel, r0, count, h, wd, kh, kw, p.sh, p.sw, p.pt, p.pl, p.dh, p.dw, oh, ow);
    const dyi = dy + (<usize>img * <usize>(o * L) << 2);
    if (img == 0) {
      matmulStridedF32(dyi, panel, target, o, count, L, L, 1, 1, L, work, ck, 0);
      continue;
    }
    matmulF32(dyi, panel, partial, o, count, L, L, 1, 1, L, work);
    for (let i = 0; i < o; i++) addIntoF32(target + (<usize>(i * ck) << 2), partial + (<usize>(i * count) << 2), count);
  }
}

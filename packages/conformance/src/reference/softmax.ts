/**
 * Plain-JS softmax, logSoftmax and softmax cross-entropy in float64, with the gradient of
 * sum(out · dy) and a magnitude per element that bounds float32 rounding error (|x| + |logSumExp|
 * for log-probabilities, the unsummed terms for gradients).
 */
import { sizeOf } from './broadcast.js';

export interface SoftmaxReference {
  values: number[];
  magnitude: number[];
  grad: number[];
  gradMagnitude: number[];
}

/** Visits each line along `axis` as the flat indices of its elements. */
function forEachLine(shape: readonly number[], axis: number, visit: (at: number[]) => void): void {
  const outer = sizeOf(shape.slice(0, axis));
  const n = shape[axis] as number;
  const inner = sizeOf(shape.slice(axis + 1));
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) visit(Array.from({ length: n }, (_, k) => (o * n + k) * inner + j));
  }
}

/** softmax (log = false) or logSoftmax (log = true) along `axis`, and the gradient of sum(out · dy). */
export function softmaxReference(
  x: readonly number[],
  shape: readonly number[],
  axis: number,
  dy: readonly number[],
  log: boolean,
): SoftmaxReference {
  const size = x.length;
  const r: SoftmaxReference = {
    values: new Array(size).fill(0),
    magnitude: new Array(size).fill(0),
    grad: new Array(size).fill(0),
    gradMagnitude: new Array(size).fill(0),
  };
  forEachLine(shape, axis, (at) => {
    const xs = at.map((i) => x[i] as number);
    const m = Math.max(...xs);
    const lse = m + Math.log(xs.reduce((s, v) => s + Math.exp(v - m), 0));
    const p = xs.map((v) => Math.exp(v - lse));
    const g = at.map((i) => dy[i] as number);
    if (log) {
      // d/dx of sum(dy · (x - lse)) = dy - p · Σdy
      const sumDy = g.reduce((s, v) => s + v, 0);
      const sumAbsDy = g.reduce((s, v) => s + Math.abs(v), 0);
      at.forEach((i, k) => {
        r.values[i] = (xs[k] as number) - lse;
        r.magnitude[i] = Math.abs(xs[k] as number) + Math.abs(lse);
        r.grad[i] = (g[k] as number) - (p[k] as number) * sumDy;
        r.gradMagnitude[i] = Math.abs(g[k] as number) + (p[k] as number) * sumAbsDy;
      });
    } else {
      // d/dx of sum(dy · p) = p · (dy - Σ dy·p)
      const dot = g.reduce((s, v, k) => s + v * (p[k] as number), 0);
      const absDot = g.reduce((s, v, k) => s + Math.abs(v) * (p[k] as number), 0);
      at.forEach((i, k) => {
        r.values[i] = p[k] as number;
        r.magnitude[i] = p[k] as number;
        r.grad[i] = (p[k] as number) * ((g[k] as number) - dot);
        r.gradMagnitude[i] = (p[k] as number) * (Math.abs(g[k] as number) + absDot);
      });
    }
  });
  return r;
}

/** Mean over the batch of -logSoftmax(logits)[n, labels[n]] for logits [n, c], and its gradient times `dy`. The mean of no rows is NaN (0 / 0), as PyTorch's. */
export function crossEntropyReference(
  logits: readonly number[],
  n: number,
  c: number,
  labels: readonly number[],
  dy: number,
): { loss: number; magnitude: number; grad: number[]; gradMagnitude: number[] } {
  const ls = softmaxReference(logits, [n, c], 1, new Array(n * c).fill(0), true);
  const scale = 1 / Math.max(n, 1);
  let loss = 0;
  let magnitude = 0;
  const grad = new Array<number>(n * c).fill(0);
  const gradMagnitude = new Array<number>(n * c).fill(0);
  for (let row = 0; row < n; row++) {
    const at = row * c + (labels[row] as number);
    loss -= (ls.values[at] as number) * scale;
    magnitude += (ls.magnitude[at] as number) * scale;
    for (let k = 0; k < c; k++) {
      const i = row * c + k;
      const p = Math.exp(ls.values[i] as number);
      grad[i] = dy * scale * (p - (k === labels[row] ? 1 : 0));
      gradMagnitude[i] = Math.abs(dy) * scale * (p + 1);
    }
  }
  return { loss: n === 0 ? Number.NaN : loss, magnitude, grad, gradMagnitude };
}

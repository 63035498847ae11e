import { expSumRow, rowShift } from './softmax';

// Softmax cross-entropy of logits [rows, cols] against int32 labels, fused: one pass for the row
// max, one for exp and its sum (written as probabilities), one to scale. Each row's loss goes to
// an f64 buffer the host sums; the probabilities are what the backward pass needs.

/**
 * probs[r, :] = softmax(logits[r, :]) and rowLoss[r] = logsumexp - logits[r, label] (f64), for
 * `rows` rows from the pointers given: threads take disjoint runs of rows, and the host sums the
 * row losses in order, so the mean has the same bits on any number of threads.
 */
export function softmaxCrossEntropyRows(logits: usize, labels: usize, probs: usize, rowLoss: usize, rows: i32, cols: i32): void {
  const row = <usize>cols << 2;
  for (let r = 0; r < rows; r++) {
    const x = logits + <usize>r * row;
    const p = probs + <usize>r * row;
    const shift = rowShift(x, cols);
    const sum = expSumRow(x, p, cols, shift);
    const inv = f32x4.splat(<f32>(1.0 / sum));
    let j = 0;
    for (; j + 4 <= cols; j += 4) v128.store(p + (<usize>j << 2), f32x4.mul(v128.load(p + (<usize>j << 2)), inv));
    for (; j < cols; j++) store<f32>(p + (<usize>j << 2), load<f32>(p + (<usize>j << 2)) * f32x4.extract_lane(inv, 0));
    const label = load<i32>(labels + (<usize>r << 2));
    store<f64>(rowLoss + (<usize>r << 3), Math.log(sum) + <f64>shift - <f64>load<f32>(x + (<usize>label << 2)));
  }
}

/** dlogits = (probs - onehot(labels)) · dloss / total, for `rows` of the batch's `total` rows from the pointers given. */
export function softmaxCrossEntropyGrad(dloss: usize, probs: usize, labels: usize, dx: usize, rows: i32, cols: i32, total: i32): void {
  const scale = load<f32>(dloss) / <f32>max(total, 1);
  const sv = f32x4.splat(scale);
  const n = rows * cols;
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(dx + (<usize>i << 2), f32x4.mul(v128.load(probs + (<usize>i << 2)), sv));
  for (; i < n; i++) store<f32>(dx + (<usize>i << 2), load<f32>(probs + (<usize>i << 2)) * scale);
  for (let r = 0; r < rows; r++) {
    const at = (<usize>r * <usize>cols + <usize>load<i32>(labels + (<usize>r << 2))) << 2;
    store<f32>(dx + at, (load<f32>(probs + at) - 1) * scale);
  }
}

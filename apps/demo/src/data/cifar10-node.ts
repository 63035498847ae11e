/** Reads CIFAR-10's binary batches in Node from a directory the user names. */
import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CIFAR10_FILES, CIFAR10_SIZES, cifarData } from './cifar10.js';
import type { MnistData } from './mnist.js';

/**
 * The directory holding the batch files: `dir` itself, or the `cifar-10-batches-bin` folder the
 * official archive unpacks into; undefined when neither has data_batch_1.bin.
 */
export async function findCifarDir(dir: string): Promise<string | undefined> {
  for (const candidate of [dir, join(dir, 'cifar-10-batches-bin')]) {
    const ok = await access(join(candidate, CIFAR10_FILES.train[0])).then(
      () => true,
      () => false,
    );
    if (ok) return candidate;
  }
  return undefined;
}

/**
 * Loads the five training batches and the test batch from `dir` (or its cifar-10-batches-bin).
 * With `full`, each split must hold the whole dataset's 50,000 and 10,000 images.
 */
export async function loadCifar10(dir: string, full = true): Promise<MnistData> {
  const found = await findCifarDir(dir);
  if (!found) {
    throw new Error(
      `CIFAR-10: no ${CIFAR10_FILES.train[0]} in ${dir} or ${join(dir, 'cifar-10-batches-bin')}; pass --data-dir with the unpacked "CIFAR-10 binary version" (cifar-10-binary.tar.gz)`,
    );
  }
  const read = async (name: string) => {
    const path = join(found, name);
    try {
      return { bytes: new Uint8Array(await readFile(path)), name: path };
    } catch (err) {
      throw new Error(`CIFAR-10: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
    }
  };
  const train = [];
  for (const name of CIFAR10_FILES.train) train.push(await read(name));
  const test = [await read(CIFAR10_FILES.test[0])];
  return cifarData(train, test, full ? CIFAR10_SIZES : undefined);
}

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CIFAR10_FILES } from '../src/data/cifar10.js';

/** One CIFAR-10 binary batch of `n` records: label i % 10, pixel bytes (i·7 + p) % 256. */
export function cifarBatch(n: number, firstIndex = 0): Uint8Array {
  const bytes = new Uint8Array(n * 3073);
  for (let r = 0; r < n; r++) {
    const i = firstIndex + r;
    bytes[r * 3073] = i % 10;
    for (let p = 0; p < 3072; p++) bytes[r * 3073 + 1 + p] = (i * 7 + p) % 256;
  }
  return bytes;
}

/**
 * A tiny CIFAR-10 as the official archive unpacks it: `dir`/cifar-10-batches-bin with five training
 * batches of `perBatch` records and a test batch of `test`.
 */
export function writeTinyCifar(dir: string, perBatch = 30, test = 40): string {
  const bin = join(dir, 'cifar-10-batches-bin');
  mkdirSync(bin, { recursive: true });
  for (const [b, name] of CIFAR10_FILES.train.entries()) writeFileSync(join(bin, name), cifarBatch(perBatch, b * perBatch));
  writeFileSync(join(bin, CIFAR10_FILES.test[0]), cifarBatch(test, 1000));
  return dir;
}

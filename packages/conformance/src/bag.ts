/**
 * Tensors a test made, freed when it ends, so hundreds of cases don't pile up buffers on a GPU
 * or wasm backend. Disposing a leaf frees its `.grad` too.
 */
import type { Tensor } from '@surrograd/core';

export class TensorBag {
  private readonly tensors: Tensor[] = [];

  add<T extends Tensor>(t: T): T {
    this.tensors.push(t);
    return t;
  }

  addAll<T extends Tensor>(ts: readonly T[]): T[] {
    for (const t of ts) this.add(t);
    return [...ts];
  }

  dispose(): void {
    for (const t of this.tensors.splice(0)) t.dispose();
  }
}

/** Runs `body` with a fresh bag and always frees what it collected. */
export async function withBag<T>(body: (bag: TensorBag) => Promise<T>): Promise<T> {
  const bag = new TensorBag();
  try {
    return await body(bag);
  } finally {
    bag.dispose();
  }
}

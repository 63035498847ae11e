import type { Tensor } from '@surrograd/core';

/**
 * Sparsity and dead units of hidden layers, accumulated over batches. A unit is active on an
 * example when its output is non-zero; sparsity is the fraction of exact zeros among all outputs
 * of a layer; a dead unit is one active on no example.
 */
export class HiddenActivity {
  private readonly zeros: number[];
  private readonly outputs: number[];
  private readonly everActive: Uint8Array[];

  constructor(readonly widths: readonly number[]) {
    this.zeros = widths.map(() => 0);
    this.outputs = widths.map(() => 0);
    this.everActive = widths.map((w) => new Uint8Array(w));
  }

  /** Adds one batch of a layer: its count of zeros, its number of outputs, and which units were active. */
  add(layer: number, zeros: number, outputs: number, activeUnits: ArrayLike<number>): void {
    const seen = this.everActive[layer];
    if (!seen) throw new Error(`HiddenActivity: layer ${layer} out of range for ${this.widths.length} hidden layers`);
    if (activeUnits.length !== seen.length) {
      throw new Error(`HiddenActivity: layer ${layer} has ${seen.length} units, got an activity vector of ${activeUnits.length}`);
    }
    this.zeros[layer] = (this.zeros[layer] as number) + zeros;
    this.outputs[layer] = (this.outputs[layer] as number) + outputs;
    for (let u = 0; u < seen.length; u++) if (activeUnits[u] !== 0) seen[u] = 1;
  }

  /** Per layer: fraction of outputs that were exactly zero. */
  sparsity(): number[] {
    return this.zeros.map((z, i) => (this.outputs[i] ? z / (this.outputs[i] as number) : 0));
  }

  /** Per layer: fraction of units never active. */
  deadUnits(): number[] {
    return this.everActive.map((seen) => {
      let dead = 0;
      for (const s of seen) if (s === 0) dead++;
      return seen.length ? dead / seen.length : 0;
    });
  }
}

/**
 * Reduces one hidden layer's batch [n, units] on the device, so only a scalar and a [units]
 * vector are read back: the number of zeros and, per unit, 1 if any example was non-zero.
 */
export function hiddenBatchSummary(h: Tensor): { zeros: Tensor; active: Tensor } {
  const nonzero = h.ne(0).cast('float32');
  return { zeros: h.eq(0).cast('float32').sum(), active: nonzero.max(0) };
}

import { memory } from '@surrograd/core';

/**
 * Fails loudly when training leaks: from the second step on, the backend's live tensors and bytes
 * must be the same at the same point of every step. Not from the first: optimizer state made
 * there may share storage with that step's gradients (SGD's momentum starts as a clone), and
 * holds its own bytes only from the second step.
 */
export class MemoryGuard {
  private baseline: { numTensors: number; numBytes: number } | null = null;

  check(step: number): void {
    const { numTensors, numBytes } = memory();
    if (step < 2) return;
    if (!this.baseline) {
      this.baseline = { numTensors, numBytes };
      return;
    }
    if (numTensors > this.baseline.numTensors || numBytes > this.baseline.numBytes) {
      throw new Error(
        `memory grew during training: at step ${step} the backend holds ${numTensors} tensors / ${numBytes} bytes, ` +
          `after the second step it held ${this.baseline.numTensors} / ${this.baseline.numBytes} (a tensor is not freed each step)`,
      );
    }
  }
}

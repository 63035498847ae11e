/**
 * Buffer donation, jax's `donate_argnums` for the one buffer an in-place op replaces. When the
 * tensor being modified is the only holder of its buffer (no views, not saved by any node) and no
 * graph or tangent will read its old value, the kernel that reads that value may write its result
 * into the same buffer: `x.add_(1)` under noGrad then allocates nothing on wasm and webgpu.
 *
 * The offer names one tensor object (the op's view of the old value). A kernel that accepts it
 * hands the offer on to its own output, so a chain such as clamp's maximum-then-minimum stays in
 * one buffer; the old value is gone from then on, which is why only ops that read it once opt in.
 */
import type { Tensor } from '../tensor.js';

let offered: Tensor | null = null;

/** Runs `fn` with `t`'s buffer offered to the first kernel that reads `t` (and nothing else on that buffer). */
export function withDonation<T>(t: Tensor, fn: () => T): T {
  const previous = offered;
  offered = t;
  try {
    return fn();
  } finally {
    offered = previous;
  }
}

/**
 * The index of the input whose buffer a kernel about to run may write into, or undefined. An input
 * whose buffer also backs another input is never offered: the kernel would read what it writes.
 */
export function donatedInput(inputs: readonly Tensor[]): number | undefined {
  if (offered === null) return undefined;
  const index = inputs.indexOf(offered);
  if (index < 0) return undefined;
  for (let j = 0; j < inputs.length; j++) {
    if (j !== index && (inputs[j] as Tensor).storage === offered.storage) return undefined;
  }
  return index;
}

/** Called when a kernel wrote into the offered buffer: its output `t` holds that value now, and carries the offer on. */
export function donationAccepted(t: Tensor): void {
  offered = t;
}

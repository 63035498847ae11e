/**
 * firingRate: how often each unit spikes — for spiking networks' rate regularizers and for
 * dead-unit counts. A brand-new kernel, 'FiringRate', that core knows nothing about: the plugin
 * registers a hand-written implementation per backend (kernels/), and falls back to core ops on
 * any backend without one, so it works everywhere and is fast where it has a kernel.
 */
import { getKernel, isTensor, runKernel, type Tensor, tidy } from '@surrograd/core';

/** The kernel's name, as registered with `registerKernel`. Like kind names, kernel names are global. */
export const FIRING_RATE = 'FiringRate';

/*
 * The kernel contract, which every backend's FiringRate implements: [x] float32 of shape [..., C]
 * → float32 [C], for each unit c the fraction of positions i (all leading dimensions together)
 * where x[i, c] > 0 (NaN counts as no spike). With no positions (a leading dimension of 0) every
 * rate is NaN, the mean of nothing. No attrs. Callers have checked rank ≥ 1 and dtype.
 */

/** The same result from core ops: the reference every FiringRate kernel matches. */
export function firingRateComposite(x: Tensor): Tensor {
  const leading = Array.from({ length: x.rank - 1 }, (_, i) => i);
  return tidy(() => {
    const fired = x.gt(0).cast('float32');
    return leading.length ? fired.mean(leading) : fired;
  });
}

/** Per-unit firing rate over the last dimension; not differentiable (a statistic). */
export function firingRate(x: Tensor): Tensor {
  if (!isTensor(x)) throw new TypeError('firingRate: expected a Tensor');
  if (x.rank < 1) throw new RangeError('firingRate: x must have at least one dimension [..., units], got a scalar');
  if (x.dtype !== 'float32') throw new TypeError(`firingRate: x must be float32, got ${x.dtype}`);
  if (getKernel(FIRING_RATE, x.backend.name)) return runKernel(FIRING_RATE, [x.detach()]);
  return firingRateComposite(x.detach());
}

/**
 * The recurrent connection of RLeaky and RSynaptic, as snnTorch builds it: all-to-all through an
 * `nn.Linear(n, n)` (or an `nn.Conv2d(c, c, k, padding k // 2)` for images), or one-to-one, each
 * neuron's last spike scaled by V (snnTorch's `RecurrentOneToOne`).
 */
import { nn, type Tensor } from '@surrograd/core';
import { neuronError, scalarOrTensor } from './checks.js';

/** How a recurrent neuron feeds its spikes back (snnTorch's keyword arguments, camelCased). */
export interface RecurrentOptions {
  /** Dense (or convolutional) feedback of every neuron's spike to every neuron (default true), else one-to-one by V. */
  allToAll?: boolean;
  /** Neurons per sample for all-to-all dense feedback: the `nn.Linear(n, n)`. */
  linearFeatures?: number;
  /** Channels for all-to-all convolutional feedback (with `kernelSize`): the `nn.Conv2d(c, c, k)`. */
  conv2dChannels?: number;
  /** Kernel of the convolutional feedback, padded to keep the image's size. */
  kernelSize?: number | [number, number];
  /** One-to-one feedback weight (default 1): a number or a tensor (per neuron). */
  V?: number | Tensor;
  /** Learn the feedback weights (default true, as snnTorch). */
  learnRecurrent?: boolean;
}

/** V · spk, one weight per neuron (or one for all). */
export class RecurrentOneToOne extends nn.Module {
  /** The feedback weight: a parameter when learnt, else a buffer. */
  declare V: Tensor;

  constructor(v: Tensor, learn: boolean) {
    super();
    if (learn) (this as { V: Tensor }).V = v.isLeaf ? v.requiresGrad_(true) : v.detach().requiresGrad_(true);
    else this.registerBuffer('V', v);
  }

  /** Each neuron's spike scaled by its weight. */
  forward(spk: Tensor): Tensor {
    return spk.mul(this.V);
  }
}

/** The feedback module the options describe, with snnTorch's checks. */
export function recurrentModule(layer: string, o: RecurrentOptions): nn.Module {
  const learn = o.learnRecurrent ?? true;
  if (!(o.allToAll ?? true)) return new RecurrentOneToOne(scalarOrTensor(layer, 'V', o.V ?? 1), learn);
  let m: nn.Module;
  if (o.linearFeatures !== undefined) {
    if (o.kernelSize !== undefined || o.conv2dChannels !== undefined) {
      throw neuronError(layer, 'give linearFeatures or (conv2dChannels and kernelSize), not both');
    }
    m = new nn.Linear(o.linearFeatures, o.linearFeatures);
  } else if (o.conv2dChannels !== undefined && o.kernelSize !== undefined) {
    const k = typeof o.kernelSize === 'number' ? [o.kernelSize, o.kernelSize] : o.kernelSize;
    m = new nn.Conv2d(o.conv2dChannels, o.conv2dChannels, o.kernelSize, {
      padding: [Math.floor((k[0] as number) / 2), Math.floor((k[1] as number) / 2)],
    });
  } else {
    throw neuronError(
      layer,
      'allToAll feedback needs linearFeatures (dense) or both conv2dChannels and kernelSize (convolutional), matching the spikes; or set allToAll: false',
    );
  }
  // Frozen weights stay in the state dict under their keys, as buffers (a tensor that needs no
  // gradient is not a parameter here).
  if (!learn) for (const [name, p] of m.namedParameters()) m.registerBuffer(name, p.requiresGrad_(false));
  return m;
}

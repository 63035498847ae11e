/**
 * Spike losses, as snnTorch's `functional` (snntorch/functional/loss.py): each is made with its
 * options and then called on the outputs over time, as `loss_fn = SF.ce_rate_loss(); loss =
 * loss_fn(spk_rec, targets)`. Outputs are [T, batch, classes]; labels are [batch] class indices.
 */
import { nn, type Tensor, tidy } from '@surrograd/core';
import { checkOutputs, classCounts, labelTensor, type PopulationOptions, populationSize, targetsOf } from './targets.js';

/** Labels: an int32 tensor, number[] or Int32Array of class indices. */
export type Labels = Tensor | readonly number[] | Int32Array;

/** A loss over time: outputs [T, batch, classes] and labels → a scalar tensor. */
export type SpikeLoss = (outputs: Tensor, labels: Labels) => Tensor;

/** Cross-entropy of the spikes at every step, averaged over the steps: the correct class learns to fire at each (snnTorch's `ce_rate_loss`). */
export function ceRateLoss(): SpikeLoss {
  return (spk, labels) => {
    const out = checkOutputs('ceRateLoss', 'spikes', spk);
    return tidy(() => {
      const y = labelTensor('ceRateLoss', out, labels);
      const steps = out.shape[0] as number;
      let loss = nn.crossEntropy(out.select(0, 0), y);
      for (let t = 1; t < steps; t++) loss = loss.add(nn.crossEntropy(out.select(0, t), y));
      return loss.div(steps);
    });
  };
}

/** Cross-entropy of the spike counts over all steps (snnTorch's `ce_count_loss`); with a population code, of each class's group count. */
export function ceCountLoss(options: PopulationOptions = {}): SpikeLoss {
  return (spk, labels) => {
    const out = checkOutputs('ceCountLoss', 'spikes', spk);
    const perClass = populationSize('ceCountLoss', out, options);
    return tidy(() => nn.crossEntropy(classCounts(out, perClass), labelTensor('ceCountLoss', out, labels)));
  };
}

/** Cross-entropy of each output neuron's highest membrane over time (snnTorch's `ce_max_membrane_loss`, from SpyTorch). */
export function ceMaxMembraneLoss(): SpikeLoss {
  return (mem, labels) => {
    const out = checkOutputs('ceMaxMembraneLoss', 'membranes', mem);
    return tidy(() => nn.crossEntropy(out.max(0), labelTensor('ceMaxMembraneLoss', out, labels)));
  };
}

/** Options of {@link mseCountLoss}. */
export interface MseCountLossOptions extends PopulationOptions {
  /** Target firing rate of the correct class, as a fraction of the steps (default 1). */
  correctRate?: number;
  /** Target firing rate of the other classes (default 0). */
  incorrectRate?: number;
}

/**
 * Squared error between spike counts and target counts (⌊T·correctRate⌋ for the label,
 * ⌊T·incorrectRate⌋ elsewhere), over T (snnTorch's `mse_count_loss`, from SLAYER). With a
 * population code, per class: counts of each group against ⌊T·rate·groupSize⌋.
 */
export function mseCountLoss(options: MseCountLossOptions = {}): SpikeLoss {
  const correct = options.correctRate ?? 1;
  const incorrect = options.incorrectRate ?? 0;
  for (const [k, v] of [
    ['correctRate', correct],
    ['incorrectRate', incorrect],
  ] as const) {
    if (typeof v !== 'number' || !(v >= 0 && v <= 1)) throw new RangeError(`mseCountLoss: ${k} must be in [0, 1], got ${String(v)}`);
  }
  return (spk, labels) => {
    const out = checkOutputs('mseCountLoss', 'spikes', spk);
    const perClass = populationSize('mseCountLoss', out, options);
    const [steps, , neurons] = out.shape as [number, number, number];
    return tidy(() => {
      const y = labelTensor('mseCountLoss', out, labels);
      const [on, off] = [Math.trunc(steps * correct * perClass), Math.trunc(steps * incorrect * perClass)];
      const target = targetsOf(y, neurons / perClass, on, off, out.dtype);
      return nn.mseLoss(classCounts(out, perClass), target).div(steps);
    });
  };
}

/** Options of {@link mseMembraneLoss}. */
export interface MseMembraneLossOptions {
  /** Labels are [T, batch]: a target per step (default false). */
  timeVarTargets?: boolean;
  /** Target membrane of the correct class (default 1). */
  onTarget?: number;
  /** Target membrane of the other classes (default 0). */
  offTarget?: number;
}

/** Squared error between the membranes and a target membrane per class, averaged over the steps (snnTorch's `mse_membrane_loss`). */
export function mseMembraneLoss(options: MseMembraneLossOptions = {}): SpikeLoss {
  const on = options.onTarget ?? 1;
  const off = options.offTarget ?? 0;
  return (mem, labels) => {
    const out = checkOutputs('mseMembraneLoss', 'membranes', mem);
    const [steps, batch, classes] = out.shape as [number, number, number];
    const want = options.timeVarTargets ? [steps, batch] : [batch];
    return tidy(() => {
      const y = labelTensor('mseMembraneLoss', out, labels);
      if (y.shape.join() !== want.join()) {
        throw new RangeError(
          `mseMembraneLoss: labels must be ${JSON.stringify(want)} for membranes ${JSON.stringify(out.shape)}, got ${JSON.stringify(y.shape)}`,
        );
      }
      const target = targetsOf(y, classes, on, off, out.dtype);
      let loss = nn.mseLoss(out.select(0, 0), options.timeVarTargets ? target.select(0, 0) : target);
      for (let t = 1; t < steps; t++) loss = loss.add(nn.mseLoss(out.select(0, t), options.timeVarTargets ? target.select(0, t) : target));
      return loss.div(steps);
    });
  };
}

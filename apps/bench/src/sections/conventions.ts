/**
 * What other libraries keep for backward, per activation element, beyond the output itself
 * (an output kept for backward costs nothing extra; an input kept alive costs its 4 bytes).
 * PyTorch: tools/autograd/derivatives.yaml (result vs self); a custom autograd.Function keeps
 * what ctx.save_for_backward gets, the input x in the thread's and SUGAR's code. tfjs 4.22:
 * each kernel's gradient config (inputsToSave / outputsToSave); tf.customGrad keeps what save() gets.
 */

export interface Convention {
  bytes: number;
  saves: string;
}

const OUTPUT: Convention = { bytes: 0, saves: 'the output' };
const INPUT: Convention = { bytes: 4, saves: 'the input x' };
const CUSTOM_PT: Convention = { bytes: 4, saves: 'x, via ctx.save_for_backward' };
const CUSTOM_TF: Convention = { bytes: 4, saves: 'x, via save() in tf.customGrad' };

/** By core's activation entry name; absent: the library has no such op. */
export const PYTORCH: Readonly<Record<string, Convention>> = {
  relu: OUTPUT,
  leakyRelu: INPUT,
  elu: INPUT,
  gelu: INPUT,
  geluTanh: INPUT,
  silu: INPUT,
  sigmoid: OUTPUT,
  tanh: OUTPUT,
  softplus: INPUT,
  hardtanh: INPUT,
};

export const TFJS: Readonly<Record<string, Convention>> = {
  relu: INPUT,
  leakyRelu: INPUT,
  elu: OUTPUT,
  sigmoid: OUTPUT,
  tanh: OUTPUT,
  softplus: INPUT,
  hardtanh: { bytes: 4, saves: 'the input x (clipByValue)' },
  silu: { bytes: 8, saves: 'x and sigmoid(x) (x·sigmoid(x): Mul keeps both inputs)' },
};

const NOTHING: Convention = { bytes: 0, saves: 'nothing (identity gradient)' };

/**
 * Surrogate activations have no built-in op: users write a custom Function / customGrad that
 * saves x, or nothing when the gradient is the identity (`needsInput` false).
 */
export function pytorchConvention(entry: string, surrogate: boolean, needsInput: boolean): Convention | null {
  return PYTORCH[entry] ?? (surrogate ? (needsInput ? CUSTOM_PT : NOTHING) : null);
}

export function tfjsConvention(entry: string, surrogate: boolean, needsInput: boolean): Convention | null {
  return TFJS[entry] ?? (surrogate ? (needsInput ? CUSTOM_TF : NOTHING) : null);
}

/**
 * Saving and loading a conv net's or the spiking net's weights as a safetensors file: its state
 * dict under PyTorch's (and snnTorch's) key names, with the activation in the header's metadata,
 * so the file also opens in PyTorch.
 */
import { readSafetensors, saveSafetensors } from '@surrograd/core';
import { type ImageShape, MNIST_SHAPE } from '../data/mnist.js';
import type { ActivationChoice } from './activations.js';
import { CNN, type ConvNetName } from './cnn.js';
import { type Encoding, SpikingNet } from './snn.js';

const FORMAT = 'surrograd-demo-cnn';

/** The safetensors bytes of the model's state dict, with the activation in `__metadata__`. */
export function saveCnnWeights(model: CNN | SpikingNet): Promise<Uint8Array> {
  const metadata: Record<string, string> = { format: FORMAT, model: model.kind, activation: JSON.stringify(model.activation) };
  if (model instanceof SpikingNet) metadata.encoding = model.encoding;
  else metadata.input = JSON.stringify(model.input);
  return saveSafetensors(model.stateDict(), metadata);
}

/** Whether `bytes` start as a safetensors file does (a header length, then '{'). */
export function isSafetensors(bytes: Uint8Array): boolean {
  return bytes.length > 8 && bytes[8] === 0x7b;
}

/**
 * A CNN with the saved weights. `activation` replaces the saved one when given; `source` names the
 * file in errors. The file is checked before the model allocates anything.
 */
export function loadCnnWeights(bytes: Uint8Array, source: string, activation?: ActivationChoice): CNN | SpikingNet {
  const { tensors, metadata } = (() => {
    try {
      return readSafetensors(bytes);
    } catch (err) {
      throw new Error(`weights ${source}: ${(err as Error).message}`);
    }
  })();
  try {
    if (metadata.format !== FORMAT)
      throw new Error(`weights ${source}: not a ${FORMAT} file (its format is '${metadata.format ?? 'none'}')`);
    let saved: ActivationChoice;
    try {
      saved = JSON.parse(metadata.activation ?? '') as ActivationChoice;
    } catch {
      throw new Error(`weights ${source}: its activation metadata is not valid JSON`);
    }
    const kind = metadata.model ?? 'cnn';
    if (!['cnn', 'vgg', 'vgg-bn', 'resnet', 'snn'].includes(kind)) throw new Error(`weights ${source}: unknown model '${kind}'`);
    const encoding = (metadata.encoding ?? 'rate') as Encoding;
    // Files from before input shapes were saved hold nets for MNIST's 1×28×28.
    let input = MNIST_SHAPE;
    try {
      if (metadata.input) input = JSON.parse(metadata.input) as ImageShape;
    } catch {
      throw new Error(`weights ${source}: its input metadata is not valid JSON`);
    }
    const model =
      kind === 'snn' ? new SpikingNet(activation ?? saved, 0, encoding) : new CNN(activation ?? saved, 0, kind as ConvNetName, input);
    try {
      model.loadStateDict(tensors);
    } catch (err) {
      model.dispose();
      throw new Error(`weights ${source}: ${(err as Error).message}`);
    }
    return model;
  } finally {
    for (const t of Object.values(tensors)) t.dispose();
  }
}

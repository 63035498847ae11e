/**
 * A tfjs-layers layer applying one of our activations, so a tfjs-layers user trains with a
 * surrogate gradient without writing a custom layer:
 *
 *   model.add(surrogateActivation({ activation: 'reluWithLeakyGrad', options: { slope: 0.1 } }));
 *
 * Registered with tf.serialization, so a saved model loads back with it.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { ActivationOptions } from '../ops/activation-op.js';
import { tfActivationByName } from '../ops/index.js';

type LayerArgs = NonNullable<ConstructorParameters<typeof tfl.layers.Layer>[0]>;

export interface SurrogateActivationArgs extends LayerArgs {
  /** A library activation by name: 'reluWithLeakyGrad', 'signSTE', 'heaviside/atan', 'roundSTE/clip', … */
  activation: string;
  /** Its options (defaults as in core), e.g. { slope: 0.1 }. */
  options?: ActivationOptions;
}

/** Serialized config: plain JSON. */
interface SurrogateActivationConfig extends tf.serialization.ConfigDict {
  activation: string;
  options: tf.serialization.ConfigDict;
}

export class SurrogateActivation extends tfl.layers.Layer {
  static readonly className = 'SurrogateActivation';
  readonly activation: string;
  readonly options: ActivationOptions;

  constructor(args: SurrogateActivationArgs) {
    super(args);
    if (!args || typeof args.activation !== 'string') {
      throw new TypeError("SurrogateActivation: expected { activation: string }, e.g. { activation: 'reluWithLeakyGrad' }");
    }
    this.activation = args.activation;
    this.options = { ...args.options };
    // Fails now, naming the known activations, rather than at the first call.
    tfActivationByName(this.activation);
    this.supportsMasking = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    if (!x || (Array.isArray(inputs) && inputs.length !== 1)) {
      throw new Error(`SurrogateActivation '${this.name}': expects exactly one input tensor`);
    }
    return tfActivationByName(this.activation)(x, this.options);
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape | tfl.Shape[] {
    return inputShape;
  }

  override getConfig(): tf.serialization.ConfigDict {
    const config: SurrogateActivationConfig = { activation: this.activation, options: { ...this.options } };
    return { ...super.getConfig(), ...config };
  }
}

tf.serialization.registerClass(SurrogateActivation);

/** `new SurrogateActivation(args)`, in the style of tf.layers.* factories. */
export function surrogateActivation(args: SurrogateActivationArgs): SurrogateActivation {
  return new SurrogateActivation(args);
}

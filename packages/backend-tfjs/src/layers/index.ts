/**
 * @surrograd/backend-tfjs/layers: our activations as a tfjs-layers layer (needs
 * @tensorflow/tfjs-layers, or @tensorflow/tfjs which includes it). Importing this module
 * registers SurrogateActivation with tf.serialization.
 */
export { SurrogateActivation, type SurrogateActivationArgs, surrogateActivation } from './surrogate-activation.js';

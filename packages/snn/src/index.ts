/**
 * @surrograd/snn: spiking neural networks on surrograd, with snnTorch's semantics. Neurons are
 * `nn` modules stepped as snnTorch's (`const [spk, mem] = lif.forward(cur, mem)`); spikes are
 * core's `heaviside` with any of its surrogates in backward.
 */

export * as functional from './functional/index.js';
export { ALIF, type ALIFOptions, type ALIFParameters } from './neurons/alif.js';
export { Alpha, type AlphaOptions } from './neurons/alpha.js';
export { IF, type IFOptions } from './neurons/integrate-and-fire.js';
export { Lapicque, type LapicqueOptions } from './neurons/lapicque.js';
export { Leaky, type LeakyOptions } from './neurons/leaky.js';
export { RecurrentOneToOne, type RecurrentOptions } from './neurons/recurrent.js';
export { RLeaky, type RLeakyOptions } from './neurons/rleaky.js';
export { RSynaptic, type RSynapticOptions } from './neurons/rsynaptic.js';
export { type ResetMechanism, SpikingNeuron, type SpikingNeuronOptions } from './neurons/spiking-neuron.js';
export { Synaptic, type SynapticOptions } from './neurons/synaptic.js';
export * as spikegen from './spikegen.js';

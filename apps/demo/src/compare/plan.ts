import { type ActivationChoice, activationRegistry, parseActivation, parseActivationSpec } from '../model/activations.js';
import type { ModelName } from '../model/describe.js';
import type { OptimizerName, Schedule } from '../train/config.js';
import { DEFAULTS, SNN_DEFAULTS } from '../train/defaults.js';

/** A network and the optimizer settings it is trained with in the comparison. */
export interface NetPlan {
  name: string;
  description: string;
  /** The architecture (default the MLP of `hidden`). */
  model?: ModelName;
  /** What it compares when --activations is not given (default the thread's activations). */
  activations?: readonly string[];
  hidden: number[];
  optimizer: OptimizerName;
  lr: number;
  momentum: number;
  schedule: Schedule;
}

/** The spiking net's comparison: snnTorch's default surrogate and the field's common ones. */
export const SNN_SURROGATES: readonly string[] = [
  'heaviside/atan',
  'heaviside/fastSigmoid',
  'heaviside/sigmoid',
  'heaviside/triangular',
  'heaviside/straightThrough',
];

export const NETS: Record<string, NetPlan> = {
  default: {
    name: 'default',
    description: 'The default net',
    hidden: DEFAULTS.hidden,
    optimizer: DEFAULTS.optimizer,
    lr: DEFAULTS.lr,
    momentum: DEFAULTS.momentum,
    schedule: DEFAULTS.schedule,
  },
  // Deep and narrow at a high learning rate, where ReLU units die: Adam at 0.01 (ten times its
  // usual rate) left a third of this net's ReLU units dead after one epoch in our runs.
  deep: {
    name: 'deep',
    description: 'Deep narrow net, 8 hidden layers of 64 at a high learning rate',
    hidden: Array(8).fill(64),
    optimizer: 'adam',
    lr: 0.01,
    momentum: 0,
    schedule: 'constant',
  },
  // The spiking net of snnTorch's tutorial 5: what it compares is the surrogate of its spikes.
  snn: {
    name: 'snn',
    description: "Spiking net 784-1000-10 Leaky, 25 steps (snnTorch's tutorial 5), rate-coded input",
    model: 'snn',
    activations: SNN_SURROGATES,
    hidden: [],
    optimizer: 'adam',
    lr: SNN_DEFAULTS.lr,
    momentum: 0,
    schedule: DEFAULTS.schedule,
  },
};

/** The forum thread's comparison: ReLU, leaky ReLU, ReLU forward with a leaky gradient (two slopes), bSiLU. */
export const THREAD_ACTIVATIONS = ['relu', 'leakyRelu:slope=0.01', 'reluWithLeakyGrad:slope=0.01', 'reluWithLeakyGrad:slope=0.1', 'bSiLU'];

/**
 * What a net compares: the given specs, or its own list (the thread's activations by default).
 * The spiking net takes heaviside surrogates only; other specs are skipped for it with a note.
 */
export function netActivations(net: NetPlan, specs: readonly string[] | undefined): { choices: ActivationChoice[]; skipped: string[] } {
  const planned = plannedActivations(specs ?? net.activations ?? THREAD_ACTIVATIONS);
  if (net.model !== 'snn') return planned;
  const spiking = planned.choices.filter((c) => c.name.startsWith('heaviside/'));
  const others = planned.choices
    .filter((c) => !c.name.startsWith('heaviside/'))
    .map((c) => `${c.name}: the snn net spikes through heaviside surrogates, skipped for it`);
  return { choices: spiking, skipped: [...planned.skipped, ...others] };
}

/** The choices whose function core exports, and a note for each skipped one. */
export function plannedActivations(specs: readonly string[]): { choices: ActivationChoice[]; skipped: string[] } {
  const choices: ActivationChoice[] = [];
  const skipped: string[] = [];
  for (const spec of specs) {
    if (activationRegistry().has(parseActivationSpec(spec).name)) choices.push(parseActivation(spec));
    else skipped.push(`${spec}: not in the installed @surrograd/core, skipped`);
  }
  return { choices, skipped };
}

export function plannedNets(names: string): NetPlan[] {
  return names.split(',').map((name) => {
    const net = NETS[name.trim()];
    if (!net) throw new Error(`--nets: unknown net '${name}'; known: ${Object.keys(NETS).join(', ')}`);
    return net;
  });
}

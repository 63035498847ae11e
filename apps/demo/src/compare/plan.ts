import { type ActivationChoice, activationRegistry, parseActivation, parseActivationSpec } from '../model/activations.js';
import type { OptimizerName, Schedule } from '../train/config.js';
import { DEFAULTS } from '../train/defaults.js';

/** A network and the optimizer settings it is trained with in the comparison. */
export interface NetPlan {
  name: string;
  description: string;
  hidden: number[];
  optimizer: OptimizerName;
  lr: number;
  momentum: number;
  schedule: Schedule;
}

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
};

/** The forum thread's comparison: ReLU, leaky ReLU, ReLU forward with a leaky gradient (two slopes), bSiLU. */
export const THREAD_ACTIVATIONS = ['relu', 'leakyRelu:slope=0.01', 'reluWithLeakyGrad:slope=0.01', 'reluWithLeakyGrad:slope=0.1', 'bSiLU'];

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

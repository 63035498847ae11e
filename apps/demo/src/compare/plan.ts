import type { DatasetName } from '../cli/load-data.js';
import { type ActivationChoice, activationLabel, activationRegistry, parseActivation, parseActivationSpec } from '../model/activations.js';
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
  /** What every other activation is tested against (default relu; the spiking net's snnTorch default). */
  baseline?: string;
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

/** SUGAR's comparison on CNNs: ReLU, leaky ReLU, ReLU with a leaky gradient, and B-SiLU (SUGAR's surrogate). */
export const SUGAR_ACTIVATIONS: readonly string[] = ['relu', 'leakyRelu:slope=0.01', 'reluWithLeakyGrad:slope=0.01', 'bSiLU'];

/**
 * How the VGG-style and ResNet-style nets train in the comparison: SUGAR's activations, Adam at
 * 3e-3 (three times its usual rate, where this VGG's ReLU units die) with a cosine decay.
 */
const SUGAR_TRAINING = {
  activations: SUGAR_ACTIVATIONS,
  hidden: [] as number[],
  optimizer: 'adam' as OptimizerName,
  lr: 3e-3,
  momentum: 0,
  schedule: 'cosine' as Schedule,
};

export const NETS: Record<string, NetPlan> = {
  default: {
    name: 'default',
    description: 'Default MLP 784-128-128-10',
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
    description: 'Deep narrow MLP, 8 hidden layers of 64 at a high learning rate',
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
    baseline: 'heaviside/atan',
    hidden: [],
    optimizer: 'adam',
    lr: SNN_DEFAULTS.lr,
    momentum: 0,
    schedule: DEFAULTS.schedule,
  },
  lenet: {
    name: 'lenet',
    description: 'LeNet-5 (conv 6, pool, conv 16, pool, 120, 84, 10)',
    model: 'cnn',
    hidden: [],
    optimizer: 'adam',
    lr: 1e-3,
    momentum: 0,
    schedule: 'cosine',
  },
  // SUGAR's setting in small: a plain VGG stack without BatchNorm, where dying ReLUs grow with depth.
  vgg: {
    name: 'vgg',
    description: 'VGG-style CNN without BatchNorm (conv 16, 16, pool, conv 32, 32, pool, 128, 10)',
    model: 'vgg',
    ...SUGAR_TRAINING,
  },
  'vgg-bn': {
    name: 'vgg-bn',
    description: 'VGG-style CNN with BatchNorm after each conv',
    model: 'vgg-bn',
    ...SUGAR_TRAINING,
  },
  resnet: {
    name: 'resnet',
    description: 'ResNet-8-style CNN (basic blocks of 8, 16, 32 channels, BatchNorm)',
    model: 'resnet',
    ...SUGAR_TRAINING,
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

/** One comparison: a net on a dataset, its activations over seeds, each tested against the baseline. */
export interface Study {
  /** `<net>-<dataset>`: names its charts and JSON. */
  id: string;
  net: NetPlan;
  dataset: DatasetName;
  choices: ActivationChoice[];
  /** The label of the activation the others are tested against (undefined: it did not run). */
  baseline: string | undefined;
  /** Training settings where they differ from the command's. */
  epochs?: number;
  limit?: number;
  testLimit?: number;
}

/**
 * The studies of nets × datasets: a net's activations (or `specs`), the spiking net on grayscale
 * 28×28 data only. What can't run is listed in `skipped` with the reason.
 */
export function planStudies(
  nets: readonly NetPlan[],
  datasets: readonly DatasetName[],
  specs: readonly string[] | undefined,
): { studies: Study[]; skipped: string[] } {
  const studies: Study[] = [];
  const skipped: string[] = [];
  for (const dataset of datasets) {
    for (const net of nets) {
      if (net.model === 'snn' && dataset === 'cifar10') {
        skipped.push(`snn on cifar10: the spiking net takes 28×28 grayscale images, skipped`);
        continue;
      }
      const planned = netActivations(net, specs);
      for (const note of planned.skipped) if (!skipped.includes(note)) skipped.push(note);
      if (planned.choices.length === 0) continue;
      studies.push({ id: `${net.name}-${dataset}`, net, dataset, choices: planned.choices, baseline: baselineOf(net, planned.choices) });
    }
  }
  return { studies, skipped };
}

/** The net's baseline if it is among the choices, else the first choice. */
export function baselineOf(net: NetPlan, choices: readonly ActivationChoice[]): string | undefined {
  const labels = choices.map(activationLabel);
  const wanted = activationLabel(parseActivation(net.baseline ?? 'relu'));
  return labels.includes(wanted) ? wanted : labels[0];
}

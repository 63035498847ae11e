import type { DatasetName } from '../cli/load-data.js';
import type { StudySettings } from './run-studies.js';

/** One study of a preset: a net on a dataset, with what it trains on where that differs from the preset's. */
export interface StudyPreset {
  net: string;
  dataset: DatasetName;
  epochs?: number;
  limit?: number;
  testLimit?: number;
  /** Activation specs (default: the net's own list). */
  activations?: readonly string[];
}

export interface ReportPreset {
  name: string;
  description: string;
  settings: StudySettings;
  studies: readonly StudyPreset[];
}

/**
 * The committed report (docs/results): every net, five seeds, sized so that the whole run takes
 * under an hour on two cores. The CNNs train on subsets of Fashion-MNIST; SUGAR's setting (the
 * VGG-style net without BatchNorm) gets the most data and epochs; CIFAR-10 runs when --data-dir has it.
 */
export const FULL: ReportPreset = {
  name: 'full',
  description: 'every net, 5 seeds, sized for under an hour on two cores',
  settings: { seeds: 5, epochs: 1, batch: 128, testLimit: 2000 },
  studies: [
    { net: 'default', dataset: 'mnist' },
    { net: 'deep', dataset: 'mnist' },
    { net: 'lenet', dataset: 'fashion-mnist', epochs: 2, limit: 20000 },
    { net: 'vgg', dataset: 'fashion-mnist', epochs: 4, limit: 10000 },
    { net: 'vgg-bn', dataset: 'fashion-mnist', epochs: 2, limit: 5000 },
    { net: 'resnet', dataset: 'fashion-mnist', epochs: 2, limit: 5000 },
    { net: 'vgg', dataset: 'cifar10', epochs: 4, limit: 10000 },
    { net: 'snn', dataset: 'mnist', limit: 10000 },
  ],
};

/** The same studies on a few hundred images and three seeds: CI runs it to keep the command working. */
export const TINY: ReportPreset = {
  name: 'tiny',
  description: 'every study of the full report on a few hundred images, 3 seeds (a smoke test of the command)',
  settings: { seeds: 3, epochs: 1, batch: 64, limit: 256, testLimit: 128 },
  studies: FULL.studies.map((s) => ({
    net: s.net,
    dataset: s.dataset,
    limit: s.net === 'snn' || s.net.startsWith('vgg') || s.net === 'resnet' ? 128 : 256,
    ...(s.net === 'default' || s.net === 'deep' ? { activations: ['relu', 'reluWithLeakyGrad:slope=0.1'] } : {}),
    ...(s.net === 'snn' ? { activations: ['heaviside/atan', 'heaviside/fastSigmoid'] } : {}),
    ...(s.net.startsWith('vgg') || s.net === 'resnet' || s.net === 'lenet' ? { activations: ['relu', 'bSiLU'] } : {}),
  })),
};

export const PRESETS: Record<string, ReportPreset> = { full: FULL, tiny: TINY };

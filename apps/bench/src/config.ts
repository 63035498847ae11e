/** What a run measures and how often: the full bench, or the smoke mode CI runs to keep it working. */
import type { Repetitions } from './measure/timer.js';

export const SECTION_IDS = ['activations', 'fourWays', 'mlp', 'matmul', 'dispatch', 'savedBytes', 'cnn', 'snn', 'threads'] as const;
export type SectionId = (typeof SECTION_IDS)[number];

export interface MlpShape {
  /** Layer widths, input first: [784, 256, 256, 10]. */
  dims: number[];
  batch: number;
  lr: number;
}

/** The LeNet-5 training step of section 7. */
export interface CnnShape {
  batch: number;
  lr: number;
}

/** A conv layer timed in section 7: NCHW input [batch, inChannels, size, size], square kernel, stride 1. */
export interface ConvLayerShape {
  name: string;
  batch: number;
  inChannels: number;
  outChannels: number;
  size: number;
  kernel: number;
  padding: number;
}

/** The spiking layer of section 8: currents [steps, batch, neurons] through one Leaky layer. */
export interface SnnShape {
  steps: number;
  batch: number;
  neurons: number;
}

export interface BenchConfig {
  mode: 'full' | 'smoke';
  sections: readonly SectionId[];
  /** Elements of the activation input (sections 1, 2 and 6). */
  activationElements: number;
  activationReps: Repetitions;
  mlp: MlpShape;
  mlpReps: Repetitions;
  /** Square matmul sizes n (n×n·n×n), besides the MLP's own shapes. */
  squareSizes: number[];
  matmulReps: Repetitions;
  /** Elements of the tiny tensors in the dispatch section, and ops per timed batch. */
  tinyElements: number;
  opsPerBatch: number;
  dispatchReps: Repetitions;
  cnn: CnnShape;
  convLayers: ConvLayerShape[];
  cnnReps: Repetitions;
  snn: SnnShape;
  snnReps: Repetitions;
  /** The square product of section 9 (threads): n×n·n×n. */
  threadsSquare: number;
  /**
   * Section 9's repetitions: more than the other sections', since a 2-thread call on a shared
   * machine has more ways to be slowed (either thread preempted) and its median needs more samples.
   */
  threadsReps: Repetitions;
  /** Consecutive MLP steps per timed run of section 9, reported per step. */
  threadsStepsPerRun: number;
  /** Let the webgpu backend use SwiftShader (a software Vulkan driver) when no GPU driver is configured. */
  softwareGpu: boolean;
}

export const FULL: BenchConfig = {
  mode: 'full',
  sections: SECTION_IDS,
  activationElements: 1 << 22,
  activationReps: { warmup: 2, runs: 15, budgetMs: 8_000 },
  mlp: { dims: [784, 256, 256, 10], batch: 128, lr: 0.01 },
  mlpReps: { warmup: 3, runs: 15, budgetMs: 15_000 },
  squareSizes: [128, 256, 512],
  matmulReps: { warmup: 2, runs: 9, budgetMs: 5_000 },
  tinyElements: 4,
  opsPerBatch: 2000,
  dispatchReps: { warmup: 2, runs: 9, budgetMs: 5_000 },
  cnn: { batch: 64, lr: 0.01 },
  convLayers: [
    { name: 'LeNet conv1 (64, 1→6, 28×28, 5×5)', batch: 64, inChannels: 1, outChannels: 6, size: 28, kernel: 5, padding: 0 },
    { name: 'VGG block (32, 64→64, 32×32, 3×3, padding 1)', batch: 32, inChannels: 64, outChannels: 64, size: 32, kernel: 3, padding: 1 },
  ],
  cnnReps: { warmup: 2, runs: 9, budgetMs: 20_000 },
  snn: { steps: 25, batch: 128, neurons: 1000 },
  snnReps: { warmup: 2, runs: 11, budgetMs: 10_000 },
  threadsSquare: 512,
  threadsReps: { warmup: 10, runs: 31, budgetMs: 15_000 },
  threadsStepsPerRun: 5,
  softwareGpu: false,
};

/** Tiny sizes and one or two repetitions: proves every path runs, measures nothing worth reading. */
export const SMOKE: BenchConfig = {
  mode: 'smoke',
  sections: SECTION_IDS,
  activationElements: 1000,
  activationReps: { warmup: 1, runs: 2 },
  mlp: { dims: [12, 8, 8, 4], batch: 4, lr: 0.01 },
  mlpReps: { warmup: 1, runs: 2 },
  squareSizes: [8],
  matmulReps: { warmup: 1, runs: 2 },
  tinyElements: 4,
  opsPerBatch: 5,
  dispatchReps: { warmup: 1, runs: 2 },
  cnn: { batch: 2, lr: 0.01 },
  convLayers: [{ name: 'tiny (2, 2→3, 6×6, 3×3, padding 1)', batch: 2, inChannels: 2, outChannels: 3, size: 6, kernel: 3, padding: 1 }],
  cnnReps: { warmup: 1, runs: 2 },
  snn: { steps: 3, batch: 2, neurons: 8 },
  snnReps: { warmup: 1, runs: 2 },
  threadsSquare: 16,
  threadsReps: { warmup: 1, runs: 2 },
  threadsStepsPerRun: 2,
  softwareGpu: false,
};

/** What a run measures and how often: the full bench, or the smoke mode CI runs to keep it working. */
import type { Repetitions } from './measure/timer.js';

export const SECTION_IDS = ['activations', 'fourWays', 'mlp', 'matmul', 'dispatch', 'savedBytes'] as const;
export type SectionId = (typeof SECTION_IDS)[number];

export interface MlpShape {
  /** Layer widths, input first: [784, 256, 256, 10]. */
  dims: number[];
  batch: number;
  lr: number;
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
  softwareGpu: false,
};

/** The JSON a run writes (results/latest.json): everything the tables and docs/benchmarks.md show. */
import type { BenchConfig } from './config.js';
import type { BackendStatus } from './contenders/ours.js';
import type { Machine } from './machine.js';
import type { Stats } from './measure/stats.js';

export const RESULTS_SCHEMA = 1;

/** One timed thing, or why it has no time. */
export interface Timed {
  stats: Stats | null;
  error?: string;
}

export interface PeerStatus {
  label: string;
  version: string;
  status: 'ok' | 'unavailable';
  reason?: string;
}

export interface ActivationRow extends Timed {
  backend: string;
  activation: string;
  pass: 'forward' | 'backward';
  /** Bytes the pass must read and write at least (inputs, outputs, saved tensors). */
  bytes: number;
  gbPerS: number | null;
  /** gbPerS over the copy's (a GPU backend's: over its own GPU copy's): 1 is the memory-bandwidth limit. */
  ofCopy: number | null;
  /** Not a speed number (a GPU backend on a software driver). */
  software?: boolean;
}

export interface ActivationSection {
  elements: number;
  /** Float32Array.prototype.set of the same elements: reads and writes 8 bytes each. */
  copy: Timed & { bytes: number; gbPerS: number | null };
  /**
   * Per GPU backend: a buffer-to-buffer copy of the same bytes on its device, the limit its rows'
   * "of copy" is measured against (the other backends' is `copy`).
   */
  gpuCopies?: (Timed & { backend: string; bytes: number; gbPerS: number | null; software?: boolean })[];
  rows: ActivationRow[];
}

export type FourWay = 'fused' | 'straightThrough' | 'detach' | 'tfjs customGrad' | 'jax-js stopGradient';

export interface FourWaysRow extends Timed {
  /** Our backend's label, or the peer's ('tfjs-cpu', 'jax-js-wasm jit'). */
  runsOn: string;
  way: FourWay;
  /** What was called, as the user writes it. */
  code: string;
  /** Peak bytes held during forward + backward, minus before; null where the library exposes no counter. */
  tempBytes: number | null;
  /** Our backend this row is compared with (peers), or its own label. */
  group: string;
  /** Time over the fused call's on the same group. */
  vsFused: number | null;
  software?: boolean;
  note?: string;
}

export interface FourWaysSection {
  elements: number;
  slope: number;
  rows: FourWaysRow[];
}

export interface MlpRow extends Timed {
  contender: string;
  kind: 'ours' | 'peer';
  /** Loss of the first step, the same data and initial weights for everyone: shows each does the same work. */
  firstLoss: number | null;
  /** Time over tfjs-cpu's. */
  vsTfjsCpu: number | null;
  software?: boolean;
}

export interface MlpSection {
  dims: number[];
  batch: number;
  flopsPerStep: number;
  rows: MlpRow[];
}

export interface ConvRow extends Timed {
  layer: string;
  contender: string;
  /** 'forward', 'forward+backward' (both gradients) or the same-size GEMM. */
  pass: string;
  /** For forward+backward, three times the forward's FLOPs. */
  gflops: number | null;
  /** GFLOP/s over the same backend's GEMM of the im2col size. */
  ofGemm: number | null;
  /** forward+backward: peak bytes of tensors held beyond inputs and weights (a fused kernel's own panel not included). */
  peakBytes?: number | null;
}

export interface CnnSection {
  batch: number;
  flopsPerStep: number;
  /** One SGD step of LeNet-5, per contender. */
  steps: MlpRow[];
  conv: ConvRow[];
}

export interface SnnRow extends Timed {
  contender: string;
  /** 'sequence' (Leaky.sequence: the scan kernels) or 'stepwise' (T calls of Leaky.forward, the graph of every step). */
  path: 'sequence' | 'stepwise';
  /** Peak bytes held during one forward+backward beyond the currents, their gradient, the two outputs and their gradients. */
  peakTemporaryBytes: number | null;
}

export interface SnnSection {
  steps: number;
  batch: number;
  neurons: number;
  rows: SnnRow[];
}

export interface ThreadsRow extends Timed {
  /** What was timed: a product or the MLP step. */
  task: string;
  /** Who ran it: the wasm backend on some threads, or a peer. */
  contender: string;
  /** The wasm backend's threads; null for a peer. */
  threads: number | null;
  /** For a product: its GFLOP/s at the median time. */
  gflops: number | null;
}

export interface ThreadsSection {
  /** The cores the runtime reports. */
  cores: number;
  /** The thread counts compared. */
  counts: number[];
  rows: ThreadsRow[];
  /** Parallel calls that ran on fewer threads than asked because the machine was busy (the backend's dynamicThreads), while the section ran. */
  callsOnFewerThreads?: number;
}

export interface MatmulRow extends Timed {
  contender: string;
  shape: string;
  /** Where the shape comes from: 'layer 1 forward', 'layer 2 dW', 'square'. */
  role: string;
  m: number;
  k: number;
  n: number;
  transposeA: boolean;
  transposeB: boolean;
  gflops: number | null;
  software?: boolean;
}

export interface MatmulSection {
  rows: MatmulRow[];
}

export interface DispatchRow extends Timed {
  contender: string;
  op: string;
  /** Microseconds per op (stats are per op too). */
  usPerOp: number | null;
  software?: boolean;
}

export interface DispatchSection {
  elements: number;
  opsPerBatch: number;
  rows: DispatchRow[];
}

export interface SavedBytesRow {
  activation: string;
  /** What surrograd's backward keeps, measured: bytes per element beyond the output. */
  ours: number | null;
  oursSaves: string;
  error?: string;
  /** Conventions of the other libraries for the same activation, bytes per element and what. */
  pytorch: { bytes: number; saves: string } | null;
  tfjs: { bytes: number; saves: string } | null;
}

export interface SavedBytesSection {
  backend: string;
  elements: number;
  rows: SavedBytesRow[];
}

export interface Goal {
  /** The backend whose issue set the goal. */
  backend: string;
  name: string;
  /** The bound: the measured ratio must be at most this, or (direction 'atLeast') the rate at least this. */
  target: number;
  direction: 'atMost' | 'atLeast';
  /** What target and measured count: a ratio ('×') or a rate. */
  unit: '×' | 'GFLOP/s' | 'µs';
  measured: number | null;
  met: boolean | null;
  detail: string;
}

export interface BenchResults {
  schema: number;
  mode: BenchConfig['mode'];
  /** The command line's options, to reproduce this run. */
  argv: string[];
  date: string;
  machine: Machine;
  config: BenchConfig;
  backends: BackendStatus[];
  peers: PeerStatus[];
  sections: {
    activations?: ActivationSection;
    fourWays?: FourWaysSection;
    mlp?: MlpSection;
    matmul?: MatmulSection;
    dispatch?: DispatchSection;
    savedBytes?: SavedBytesSection;
    cnn?: CnnSection;
    snn?: SnnSection;
    threads?: ThreadsSection;
  };
  goals: Goal[];
  durationS: number;
}

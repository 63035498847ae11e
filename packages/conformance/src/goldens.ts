/**
 * The golden files, read from the package's goldens/ folder next to src/ and dist/, so they ship
 * as plain JSON files (regenerate with scripts/goldens/make_goldens.py).
 */
import { readFileSync } from 'node:fs';

/** JSON cannot hold these, so the files spell them as strings. */
export type GoldenNumber = number | 'NaN' | 'Infinity' | '-Infinity' | '-0';

export interface GoldenTensor {
  shape: number[];
  dtype: 'float32' | 'int32' | 'bool';
  data: (GoldenNumber | boolean)[];
}

export type GoldenArg = GoldenTensor | number | null;

export interface OpCase {
  name: string;
  op: string;
  inputs: GoldenArg[];
  kwargs?: Record<string, unknown>;
  out: GoldenTensor;
  cotangent: GoldenTensor;
  grads: (GoldenTensor | null)[];
  /** The sign of a zero output is IEEE arithmetic here, so it is checked. */
  signedZeros?: boolean;
  /** An op without a gradient (bool or int output, a creation function): only its value is checked. */
  valueOnly?: boolean;
  /** Gradients at NaN inputs are PyTorch kernel accidents (relu'(NaN) = 1, ...): not checked. */
  lenientGradsAtNaN?: boolean;
  /** A tangent per input (null for non-float inputs), when some input is float. */
  tangents?: (GoldenTensor | null)[];
  /** The output's tangent by torch.autograd.forward_ad for those tangents. */
  jvp?: GoldenTensor;
}

export interface ThreadCase {
  name: string;
  program: 'NSReLU' | 'FWBWMismatch' | 'LeakyReLU';
  inputs: GoldenTensor[];
  args: number[];
  out: GoldenTensor;
  cotangent: GoldenTensor;
  grads: (GoldenTensor | null)[];
}

export type ParamName = 'W1' | 'b1' | 'W2' | 'b2';
export type NamedParams = Record<ParamName, GoldenTensor>;

/** A learning-rate schedule of an mlp.json run: its class and options (SequentialLR nests them). */
export interface SchedulerSpec {
  kind: 'StepLR' | 'CosineAnnealingLR' | 'LinearLR' | 'OneCycleLR' | 'SequentialLR';
  options: Record<string, unknown>;
}

export interface MlpRun {
  name: string;
  optimizer: 'SGD' | 'Adam' | 'AdamW' | 'RMSprop' | 'Adagrad';
  options: Record<string, unknown>;
  steps: number;
  losses: number[];
  params: NamedParams;
  /** The lr each step used, where the run has a schedule or clipping. */
  lrs?: number[];
  scheduler?: SchedulerSpec;
  /** clipGradNorm_'s maxNorm before each step, and the total norms it returned. */
  clipGradNorm?: number;
  gradNorms?: number[];
}

export interface MlpGolden {
  x: GoldenTensor;
  labels: GoldenTensor;
  params: NamedParams;
  loss: GoldenTensor;
  grads: NamedParams;
  runs: MlpRun[];
}

export interface DoubleBackwardCase {
  name: string;
  fn: string;
  inputs: GoldenTensor[];
  out: GoldenTensor;
  cotangent: GoldenTensor;
  firstGrads: GoldenTensor[];
  wrt: number;
  cotangent2: GoldenTensor;
  secondGrads: GoldenTensor[];
}

/** One in-place program: y = x * 2, its steps applied to y in place, then backward. */
export interface InPlaceCase {
  name: string;
  /** [op, ...args]; an arg 'x' is the input, 'x<0' its negative mask, [lo, hi] clamp's bounds. */
  steps: (string | number | number[])[][];
  x: GoldenTensor;
  out: GoldenTensor;
  cotangent: GoldenTensor;
  grad: GoldenTensor;
}

/** Tensor and module hooks (hooks.json); see scripts/goldens/make_hooks.py. */
export interface HooksGolden {
  tensor: { x: GoldenTensor; w: GoldenTensor; yGrad: GoldenTensor; xGrad: GoldenTensor };
  module: {
    weight: GoldenTensor;
    bias: GoldenTensor;
    x: GoldenTensor;
    out: GoldenTensor;
    cotangent: GoldenTensor;
    xGrad: GoldenTensor;
    weightGrad: GoldenTensor;
    biasGrad: GoldenTensor;
    hookGradInput: GoldenTensor;
    hookGradOutput: GoldenTensor;
  };
}

function load<T>(file: string): T {
  const url = new URL(`../goldens/${file}`, import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')) as T;
}

/** A CNN's state dict as a safetensors file written by PyTorch, and a file of every dtype (state-dict.json). */
export interface StateDictGolden {
  model: { file: string; keys: string[]; input: GoldenTensor; output: GoldenTensor };
  dtypes: {
    file: string;
    metadata: Record<string, string>;
    shapes: Record<string, number[]>;
    values: Record<string, unknown>;
  };
}

/** One case of surrogates.json: a heaviside surrogate as its source library computes it. */
export interface SurrogateCase {
  surrogate: string;
  options: Record<string, number>;
  source: string;
  x: GoldenTensor;
  out: GoldenTensor;
  cotangent: GoldenTensor;
  grad: GoldenTensor;
}

/** One case of learnable-surrogates.json: gradients to x and to a surrogate parameter passed as a tensor. */
export interface LearnableSurrogateCase {
  surrogate: string;
  option: string;
  source: string;
  x: GoldenTensor;
  param: GoldenTensor;
  cotangent: GoldenTensor;
  gradX: GoldenTensor;
  gradParam: GoldenTensor;
}

export const loadLearnableSurrogateCases = (): LearnableSurrogateCase[] =>
  load<{ cases: LearnableSurrogateCase[] }>('learnable-surrogates.json').cases;
export const loadSurrogateCases = (): SurrogateCase[] => load<{ cases: SurrogateCase[] }>('surrogates.json').cases;
export const loadStateDictGolden = (): StateDictGolden => load<StateDictGolden>('state-dict.json');
export const loadOpCases = (): OpCase[] => load<{ cases: OpCase[] }>('ops.json').cases;
export const loadThreadCases = (): ThreadCase[] => load<{ cases: ThreadCase[] }>('thread.json').cases;
export const loadInPlaceCases = (): InPlaceCase[] => load<{ cases: InPlaceCase[] }>('in-place.json').cases;
export const loadHooks = (): HooksGolden => load<HooksGolden>('hooks.json');
export const loadMlp = (): MlpGolden => load<MlpGolden>('mlp.json');
export const loadDoubleBackwardCases = (): DoubleBackwardCase[] => load<{ cases: DoubleBackwardCase[] }>('double-backward.json').cases;

export interface ActivationCase {
  kind: 'pytorch' | 'straightThrough';
  name: string;
  options: Record<string, number | string>;
  input: GoldenTensor;
  out: GoldenTensor;
  cotangent: GoldenTensor;
  grad: GoldenTensor;
  /** A tangent of the input, and the output's tangent by torch.autograd.forward_ad. */
  tangent: GoldenTensor;
  jvp: GoldenTensor;
}

/** One case of forward-ad.json (see scripts/goldens/make_forward_ad.py). */
export type ForwardAdCase =
  | {
      kind: 'jvp';
      name: string;
      program: string;
      primals: GoldenTensor[];
      tangents: (GoldenTensor | null)[];
      out: GoldenTensor;
      jvp: GoldenTensor;
    }
  | {
      kind: 'reverseOverForward';
      name: string;
      program: string;
      primals: GoldenTensor[];
      tangents: GoldenTensor[];
      cotangent: GoldenTensor;
      grad: GoldenTensor;
    }
  | {
      kind: 'jacobian' | 'hessian';
      name: string;
      program: string;
      argnums: number | number[];
      primals: GoldenTensor[];
      matrices: GoldenTensor[];
    };

/** forward-ad.json: programs' tangents, reverse over forward, Jacobians and Hessians from PyTorch. */
export interface ForwardAdGolden {
  /** The fixed data of the mlpLoss program: inputs [4, 3], output weights [2], targets [4]. */
  data: { mlpLoss: [GoldenTensor, GoldenTensor, GoldenTensor] };
  cases: ForwardAdCase[];
}

export const loadForwardAd = (): ForwardAdGolden => load<ForwardAdGolden>('forward-ad.json');

export const loadActivationCases = (): ActivationCase[] => load<{ cases: ActivationCase[] }>('activations.json').cases;

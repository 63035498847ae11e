import type { Tensor } from '../tensor.js';
import { SavedTensor } from './saved-tensor.js';

/**
 * The `ctx` of a custom Function, as PyTorch's: what forward leaves for backward. Per-call state
 * goes on it as plain properties (`ctx.slope = slope`); tensors go through `saveForBackward`.
 */
export class FunctionContext {
  /** For each forward argument: is it a tensor whose gradient is needed? */
  needsInputGrad: boolean[] = [];
  /** @internal */ materializeGrads = true;
  /** @internal */ readonly nonDifferentiable = new Set<Tensor>();
  private saved: (SavedTensor | null)[] = [];
  private freed = false;

  constructor(
    /** Name of the Function this context belongs to, shown in errors. */
    readonly functionName: string,
  ) {}

  /** Keeps tensors (or nulls) for backward. Call at most once per forward, as in PyTorch. */
  saveForBackward(...tensors: (Tensor | null | undefined)[]): void {
    for (const s of this.saved) s?.free();
    this.saved = tensors.map((t, i) => {
      if (t === null || t === undefined) return null;
      if (typeof (t as Tensor).assertAlive !== 'function') {
        throw new TypeError(`${this.functionName}: saveForBackward argument ${i} is not a tensor; store other values as ctx properties`);
      }
      return new SavedTensor(t);
    });
  }

  /** The tensors saved in forward, checked against in-place modification. */
  get savedTensors(): Tensor[] {
    if (this.freed) {
      throw new Error(
        `${this.functionName}: trying to backward through the graph a second time (or to read saved tensors after they were freed). ` +
          'Saved values are freed by backward(); pass { retainGraph: true } to the first backward to keep them.',
      );
    }
    return this.saved.map((s, i) => (s ? s.unpack(this.functionName, i) : null)) as Tensor[];
  }

  /** Outputs that get no gradient (e.g. indices or masks); backward receives zeros for them. */
  markNonDifferentiable(...outputs: Tensor[]): void {
    for (const t of outputs) this.nonDifferentiable.add(t);
  }

  /** With false, backward receives null (not zeros) for outputs that got no gradient. */
  setMaterializeGrads(value: boolean): void {
    this.materializeGrads = value;
  }

  /** @internal */
  get savedEntries(): readonly (SavedTensor | null)[] {
    return this.saved;
  }

  /** @internal frees saved buffers; later reads of savedTensors are an error. */
  freeSaved(): void {
    if (this.freed) return;
    this.freed = true;
    for (const s of this.saved) s?.free();
    this.saved = [];
  }

  /** True once backward (without retainGraph) has freed the saved tensors. */
  get isFreed(): boolean {
    return this.freed;
  }
}

/** The ctx type a forward/backward sees: the context plus typed per-call state. */
// biome-ignore lint/suspicious/noExplicitAny: per-call state is user-defined, as PyTorch's ctx attributes
export type FunctionCtx<State extends object = Record<string, any>> = FunctionContext & State;

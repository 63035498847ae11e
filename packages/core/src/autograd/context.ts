import { fmt } from '../shape.js';
import { Tensor } from '../tensor.js';
import { SavedTensor } from './saved-tensor.js';

/** A tensor kept as a ctx attribute (directly, or inside arrays and plain objects on ctx). */
interface AttributeTensor {
  /** Where it sits, for errors: `ctx.neg`, `ctx.parts[1]`. */
  readonly path: string;
  /** The tensor ctx owns and frees with the graph (the attribute's value from then on). */
  readonly owned: Tensor;
  /** The tensor the user stored, whose version is checked before backward. */
  readonly original: Tensor;
  readonly version: number;
}

/**
 * The `ctx` of a custom Function, as PyTorch's: what forward leaves for backward. Per-call state
 * goes on it as plain properties (`ctx.slope = slope`), tensors included (`ctx.neg = x.lt(0)`,
 * also inside arrays and plain objects): those live until the graph is freed and are checked for
 * in-place changes before backward, like tensors given to `saveForBackward` (the documented way).
 */
export class FunctionContext {
  /** For each forward argument: is it a tensor whose gradient is needed? */
  needsInputGrad: boolean[] = [];
  /**
   * For each forward argument: does it carry a forward-mode tangent (inside `jvp`)? Forward may
   * skip saving what only `jvp` would read when all are false (a surrograd addition to PyTorch's ctx).
   */
  needsInputTangent: readonly boolean[] = NO_TANGENTS;
  /** @internal true while the jvp rule runs: savedTensors then prefers saveForForward's */
  inJvp = false;
  /** @internal no backward will read what forward saves (inferenceMode, or nothing records): saving keeps plain references */
  noBackward = false;
  /** @internal */ materializeGrads = true;
  /** @internal outputs marked non-differentiable; null until markNonDifferentiable (most calls mark none) */
  nonDifferentiable: Set<Tensor> | null = null;
  /** @internal inputs forward modified in place and returns (markDirty) */
  dirty: Set<Tensor> | null = null;
  private saved: (SavedTensor | null)[] = [];
  private forwardSaved: (Tensor | null)[] | null = null;
  private freed = false;
  private attributes: AttributeTensor[] | null = null;

  constructor(
    /** Name of the Function this context belongs to, shown in errors. */
    readonly functionName: string,
  ) {}

  /** Keeps tensors (or nulls) for backward. Call at most once per forward, as in PyTorch. */
  saveForBackward(...tensors: (Tensor | null | undefined)[]): void {
    if (this.noBackward) {
      // Nothing will run backward: keep plain references (no buffer retained, no version noted).
      this.forwardSaved = tensors.map((t) => t ?? null);
      return;
    }
    for (const s of this.saved) s?.free();
    this.saved = tensors.map((t, i) => {
      if (t === null || t === undefined) return null;
      if (typeof (t as Tensor).assertAlive !== 'function') {
        throw new TypeError(`${this.functionName}: saveForBackward argument ${i} is not a tensor; store other values as ctx properties`);
      }
      return new SavedTensor(t);
    });
  }

  /**
   * Keeps tensors for the jvp rule, as PyTorch's `save_for_forward`: inside jvp, `savedTensors`
   * gives these. (jvp runs right after forward, so they need no version check.)
   */
  saveForForward(...tensors: (Tensor | null | undefined)[]): void {
    this.forwardSaved = tensors.map((t, i) => {
      if (t === null || t === undefined) return null;
      if (!(t instanceof Tensor)) throw new TypeError(`${this.functionName}: saveForForward argument ${i} is not a tensor`);
      return t;
    });
  }

  /** The tensors saved in forward, checked against in-place modification (inside jvp: those of saveForForward, if any). */
  get savedTensors(): Tensor[] {
    if ((this.inJvp || this.noBackward) && this.forwardSaved !== null) return this.forwardSaved as Tensor[];
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
    this.nonDifferentiable ??= new Set();
    for (const t of outputs) this.nonDifferentiable.add(t);
  }

  /**
   * Inputs that forward modified in place and returns, as PyTorch's `ctx.mark_dirty`: each comes
   * back as the same tensor object, now an output of this Function (its history rebased), with its
   * version bumped so that nodes which saved its old value refuse to use it.
   */
  markDirty(...tensors: Tensor[]): void {
    tensors.forEach((t, i) => {
      if (!(t instanceof Tensor)) throw new TypeError(`${this.functionName}: markDirty argument ${i} is not a tensor`);
      (this.dirty ??= new Set()).add(t);
    });
  }

  /** With false, backward receives null (not zeros) for outputs that got no gradient. */
  setMaterializeGrads(value: boolean): void {
    this.materializeGrads = value;
  }

  /** @internal */
  get savedEntries(): readonly (SavedTensor | null)[] {
    return this.saved;
  }

  /** @internal frees saved buffers and attribute tensors; later reads of savedTensors are an error. */
  freeSaved(): void {
    if (this.freed) return;
    this.freed = true;
    for (const s of this.saved) s?.free();
    this.saved = [];
    for (const a of this.attributes ?? []) a.owned.dispose();
  }

  /**
   * @internal After forward: takes ownership of the tensors forward left on ctx attributes, so the
   * forward scope doesn't free them. A tensor forward made is adopted as it is; one that existed
   * before (an input) or that forward returns becomes an alias ctx owns, so freeing the graph
   * never disposes a tensor the caller holds, and an output on ctx makes no reference cycle.
   */
  captureAttributes(madeInForward: (t: Tensor) => boolean, isOutput: (t: Tensor) => boolean, untrack: (t: Tensor) => void): void {
    const adopt = (t: Tensor, path: string): Tensor => {
      if (t.isDisposed) return t;
      const mine = madeInForward(t) && !isOutput(t);
      const owned = mine ? t : new Tensor(t.storage.retain(), [...t.shape], t.dtype);
      untrack(owned);
      (this.attributes ??= []).push({ path, owned, original: t, version: t.version });
      return owned;
    };
    // Containers are copied only where an alias replaces a tensor: the caller's arrays stay as they
    // are. Primitives are skipped before any path is built (built-in ops keep shapes on ctx).
    const walk = (value: unknown, path: () => string): unknown => {
      if (value === null || typeof value !== 'object') return value;
      if (value instanceof Tensor) return adopt(value, path());
      if (Array.isArray(value)) {
        let copy: unknown[] | null = null;
        for (let i = 0; i < value.length; i++) {
          const v = value[i];
          if (v === null || typeof v !== 'object') continue;
          const w = walk(v, () => `${path()}[${i}]`);
          if (w !== v) (copy ??= value.slice())[i] = w;
        }
        return copy ?? value;
      }
      if (Object.getPrototypeOf(value) !== Object.prototype) return value;
      const record = value as Record<string, unknown>;
      let copy: Record<string, unknown> | null = null;
      for (const k of Object.keys(record)) {
        const v = record[k];
        const w = walk(v, () => `${path()}.${k}`);
        if (w !== v) (copy ??= { ...record })[k] = w;
      }
      return copy ?? value;
    };
    const keys = Object.keys(this);
    // Most Functions (every built-in op that keeps nothing) add no attribute at all.
    if (keys.length === INTERNAL_KEYS.size) return;
    const self = this as unknown as Record<string, unknown>;
    for (const key of keys) {
      if (INTERNAL_KEYS.has(key)) continue;
      const value = self[key];
      const adopted = walk(value, () => `ctx.${key}`);
      if (adopted !== value) self[key] = adopted;
    }
  }

  /** @internal Before backward: the attribute tensors are still there and unmodified since forward. */
  checkAttributes(): void {
    if (this.attributes === null) return;
    if (this.freed) {
      throw new Error(
        `${this.functionName}: trying to backward through the graph a second time: the tensors on ctx (${this.attributes[0]?.path}) ` +
          'were freed by the first backward(); pass { retainGraph: true } to it to keep them.',
      );
    }
    for (const a of this.attributes) {
      if (a.original.version !== a.version) {
        throw new Error(
          `${this.functionName}: one of the tensors needed for gradient computation has been modified by an in-place operation: ` +
            `${a.path} (shape ${fmt(a.original.shape)}, ${a.original.dtype}) is at version ${a.original.version}; expected version ${a.version}. ` +
            'Compute the gradient before updating it, or keep a clone on ctx.',
        );
      }
    }
  }

  /** True once backward (without retainGraph) has freed the saved tensors. */
  get isFreed(): boolean {
    return this.freed;
  }
}

const NO_TANGENTS: readonly boolean[] = Object.freeze([]);

/** Fields of the context itself: everything else on ctx is user state, searched for tensors. */
const INTERNAL_KEYS = new Set(Object.keys(new FunctionContext('')));

/** The ctx type a forward/backward sees: the context plus typed per-call state. */
// biome-ignore lint/suspicious/noExplicitAny: per-call state is user-defined, as PyTorch's ctx attributes
export type FunctionCtx<State extends object = Record<string, any>> = FunctionContext & State;

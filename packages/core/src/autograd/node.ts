import type { Backend } from '../backend.js';
import type { DType } from '../dtype.js';
import type { Tensor } from '../tensor.js';
import type { FunctionContext } from './context.js';
import type { GradHook, HookList } from './hook-list.js';

/** Where an input's gradient goes: into a leaf's `.grad`, or into output `outputIndex` of `node`. */
export interface Edge {
  readonly node: Node | null;
  readonly outputIndex: number;
  /** The leaf itself when `node` is null. */
  readonly leaf: Tensor | null;
}

/** Shape, dtype and backend of a tensor a node saw: one of its inputs (null for a non-tensor argument) or outputs. */
export interface TensorMeta {
  readonly shape: readonly number[];
  readonly dtype: DType;
  readonly backendName: string;
  /** The backend its tensors live on: backward runs there. */
  readonly backend: Backend;
}

export type BackwardFn = (ctx: FunctionContext, ...grads: (Tensor | null)[]) => unknown;

let nextSeq = 0;

/**
 * One recorded call of a differentiable Function. Reference-counted by the tensors it made and by
 * the nodes that consume them: when the last goes, its saved tensors are freed, as PyTorch's are
 * when the graph is garbage collected. Internal: exposed only as {@link Tensor.gradFn}'s type.
 *
 * @internal
 */
export class Node {
  readonly seq = nextSeq++;
  private refs = 0;
  /** Output tensors that asked for `.grad` via retainGrad(), by output index. */
  readonly retainedOutputs = new Map<number, Tensor>();
  /** Gradient hooks registered on its outputs (registerHook on a non-leaf), by output index. */
  hooks: Map<number, HookList<GradHook>> | null = null;

  constructor(
    readonly name: string,
    readonly ctx: FunctionContext,
    /** One per forward argument; null where no gradient is needed. */
    readonly edges: (Edge | null)[],
    readonly inputs: (TensorMeta | null)[],
    readonly outputs: readonly TensorMeta[],
    readonly backwardFn: BackwardFn,
    readonly onceDifferentiable: boolean,
  ) {
    for (const e of edges) e?.node?.retain();
  }

  retain(): void {
    this.refs++;
  }

  release(): void {
    if (--this.refs > 0) return;
    this.ctx.freeSaved();
    for (const e of this.edges) e?.node?.release();
    this.edges.fill(null);
  }
}

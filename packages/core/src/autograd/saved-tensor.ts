import { fmt } from '../shape.js';
import type { Storage } from '../storage.js';
import { Tensor } from '../tensor.js';
import { aliasOf } from './alias.js';
import { copyTangents, forwardAdActive, tangentCarrier, tangentLevels } from './forward-ad.js';
import { isGradEnabled } from './grad-mode.js';
import type { Node } from './node.js';

/**
 * A tensor kept for backward: holds its buffer and the version it had, so that an in-place update
 * afterwards (an optimizer step, `assign`) is an error rather than a silently wrong gradient.
 */
export class SavedTensor {
  readonly storage: Storage;
  readonly version: number;
  /** Set when the saved tensor is an output of the function that saved it. */
  outputOf: Node | null = null;
  outputIndex = 0;
  /** Inside jvp: holds the original's tangents, for a view made after the original is gone. */
  private carrier: Tensor | null = null;
  /** The carrier's tangents lost the graph they had (an output's: see captureTangents). */
  private tangentGraphDropped = false;

  constructor(readonly original: Tensor) {
    original.assertAlive('saveForBackward');
    this.storage = original.storage.retain();
    this.version = original.version;
    if (original.tangents !== null && forwardAdActive()) this.captureTangents();
  }

  /**
   * Keeps the original's current tangents; `keepGraph` false for an output's (captured after its
   * node exists): a tangent built from the saved output leads back to that node, and holding its
   * graph here would be a reference cycle that never frees.
   */
  captureTangents(keepGraph = true): void {
    this.carrier?.dispose();
    this.tangentGraphDropped = false;
    this.carrier = tangentCarrier(this.original, (t) => {
      if (!keepGraph && t.requiresGrad) this.tangentGraphDropped = true;
      return aliasOf(t, keepGraph);
    });
  }

  unpack(fnName: string, index: number): Tensor {
    const t = this.original;
    if (t.version !== this.version) {
      throw new Error(
        `${fnName}: one of the tensors needed for gradient computation has been modified by an in-place operation: ` +
          `saved tensor ${index} (shape ${fmt(t.shape)}, ${t.dtype}) is at version ${t.version}; expected version ${this.version}. ` +
          'Compute the gradient before updating it (e.g. call backward before optimizer.step()), or save a clone.',
      );
    }
    if (!t.isDisposed && t.storage === this.storage) return t;
    if (this.tangentGraphDropped && isGradEnabled() && tangentLevels([this.carrier]) !== null) {
      // Keeping that graph here would be a cycle through this node that never frees: refuse
      // rather than return a tangent whose gradient is silently missing.
      throw new Error(
        `${fnName}: saved output ${index} (shape ${fmt(t.shape)}) was disposed before this backward, which records a graph ` +
          "through its forward-mode tangent (reverse mode over jvp over backward); the tangent's graph is not kept once the output is freed. " +
          'Keep the output alive until then: compute it outside tidy, or return it from the tidy.',
      );
    }
    // The original was disposed (e.g. by tidy): hand out a view on the saved buffer, still in the graph.
    const view = new Tensor(this.storage.retain(), [...t.shape], t.dtype);
    const node = this.outputOf ?? t.gradFn;
    if (node) {
      node.retain();
      view.gradFn = node;
      view.outputIndex = this.outputOf ? this.outputIndex : t.outputIndex;
    }
    if (this.carrier !== null) copyTangents(this.carrier, view, (tangent) => aliasOf(tangent, true));
    return view;
  }

  free(): void {
    this.storage.release();
    this.carrier?.dispose();
    this.carrier = null;
  }
}

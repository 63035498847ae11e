/** Hook lists and the hook types of tensors (see hooks.ts for how backward runs them). Imports no Tensor value, so tensor.ts can use it. */
import type { Tensor } from '../tensor.js';

/** A gradient hook: receives the gradient; returns a replacement, or nothing to keep it. */
// biome-ignore lint/suspicious/noConfusingVoidType: a hook may return nothing
export type GradHook = (grad: Tensor) => Tensor | undefined | null | void;
/** Runs after a leaf's `.grad` was updated by backward; receives the leaf. */
export type PostAccumulateGradHook = (leaf: Tensor) => void;

/** What `registerHook` returns: `remove()` unregisters the hook (safe to call twice). */
export interface RemovableHandle {
  /** Unregisters the hook; calling it again does nothing. */
  remove(): void;
}

/** A list of hooks in registration order, with handles that remove one each. */
export class HookList<F> {
  private readonly entries: { fn: F }[] = [];

  add(fn: F): RemovableHandle {
    const entry = { fn };
    this.entries.push(entry);
    return {
      remove: () => {
        const i = this.entries.indexOf(entry);
        if (i >= 0) this.entries.splice(i, 1);
      },
    };
  }

  get size(): number {
    return this.entries.length;
  }

  /** A snapshot, so a hook that removes itself doesn't skip the next one. */
  list(): F[] {
    return this.entries.map((e) => e.fn);
  }
}

import type { Backend, DataId } from './backend.js';

/**
 * A backend buffer shared by tensors (reshape views, detach, saved tensors). Buffers are never
 * written after creation: "in-place" updates rebind a tensor to a new Storage, so sharing one is
 * always safe and a saved tensor can never be corrupted, only detected as stale by its version.
 */
export class Storage {
  private refs = 1;
  constructor(
    readonly backend: Backend,
    readonly dataId: DataId,
  ) {}

  retain(): this {
    this.refs++;
    return this;
  }

  release(): void {
    if (--this.refs === 0) this.backend.dispose(this.dataId);
  }

  get alive(): boolean {
    return this.refs > 0;
  }
}

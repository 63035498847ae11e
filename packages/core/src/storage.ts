import type { Backend, DataId } from './backend.js';

/**
 * A backend buffer shared by tensors (reshape views, detach, saved tensors). A shared buffer is
 * never written after creation: "in-place" updates rebind a tensor to a new Storage, so sharing one
 * is always safe and a saved tensor can never be corrupted, only detected as stale by its version.
 * Only a buffer with one holder may be written again, by an in-place op (ops/donation.ts).
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

  /** How many holders (tensors, saved tensors) share the buffer; 1 means its tensor is the only reader. */
  get refCount(): number {
    return this.refs;
  }

  get alive(): boolean {
    return this.refs > 0;
  }
}

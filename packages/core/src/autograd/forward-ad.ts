/**
 * Forward-mode AD's state. A tangent rides on its primal tensor, one per open level (one level per
 * running `jvp`), and each Function's `jvp` rule computes its outputs' tangents from its inputs'
 * as the ops run: dual numbers, as PyTorch's forward AD. Levels nest (jacfwd of jacfwd, hessian):
 * while a rule computes level L's tangents only the levels below L are visible, so outer levels
 * differentiate the inner computation and no level ever sees its own tangents twice.
 *
 * A primal owns its tangents: disposing it disposes them, so scopes and tidy free tangents with
 * the tensors that carry them.
 */
import { track, untrack } from '../scope.js';
import { Tensor } from '../tensor.js';

/** One tangent of a tensor, at one level; a tensor's slots form a short list (one per nesting). */
export interface TangentSlot {
  readonly level: number;
  readonly tangent: Tensor;
  next: TangentSlot | null;
}

/** The levels of the running jvp calls, outermost first. */
const open: number[] = [];
let nextLevel = 1;
/** Levels at or above it are hidden: inside a rule computing that level, and inside forward bodies (0). */
let ceiling = Number.POSITIVE_INFINITY;

/** Opens a level for a new jvp call. */
export function enterLevel(): number {
  const level = nextLevel++;
  open.push(level);
  return level;
}

/** Closes the innermost level; tangents left at it on surviving tensors are never seen again. */
export function exitLevel(level: number): void {
  if (open[open.length - 1] !== level) throw new Error('internal: forward-AD levels closed out of order');
  open.pop();
}

/** Whether any jvp is running (a cheap check before looking at tangents). */
export function forwardAdActive(): boolean {
  return open.length !== 0;
}

function visible(level: number): boolean {
  return level < ceiling && open.includes(level);
}

/** The open, visible levels at which some tensor among `args` has a tangent, ascending; null when none. */
export function tangentLevels(args: readonly unknown[]): number[] | null {
  if (open.length === 0) return null;
  let levels: number[] | null = null;
  for (const a of args) {
    if (!(a instanceof Tensor)) continue;
    for (let s = a.tangents; s !== null; s = s.next) {
      if (visible(s.level) && !levels?.includes(s.level)) (levels ??= []).push(s.level);
    }
  }
  return levels === null ? null : levels.sort((x, y) => x - y);
}

/**
 * Whether any of these tensors carries a visible tangent: a fused kernel (which no jvp rule covers)
 * must then give way to differentiable ops, so the tangents propagate.
 */
export function carriesTangents(...ts: Tensor[]): boolean {
  return open.length !== 0 && tangentLevels(ts) !== null;
}

/** `t`'s tangent at `level`, or null (a constant at that level). */
export function tangentAt(t: Tensor, level: number): Tensor | null {
  for (let s = t.tangents; s !== null; s = s.next) if (s.level === level) return s.tangent;
  return null;
}

/** Gives `t` the tangent `tangent` at `level`, which it now owns (replacing and freeing an old one). */
export function attachTangent(t: Tensor, level: number, tangent: Tensor): void {
  untrack(tangent);
  removeSlot(t, level)?.dispose();
  t.tangents = { level, tangent, next: t.tangents };
}

/** Takes `t`'s tangent at `level` off it: the caller's scope owns it now. Null when it has none. */
export function takeTangent(t: Tensor, level: number): Tensor | null {
  const tangent = removeSlot(t, level);
  if (tangent) track(tangent);
  return tangent;
}

function removeSlot(t: Tensor, level: number): Tensor | null {
  let prev: TangentSlot | null = null;
  for (let s = t.tangents; s !== null; prev = s, s = s.next) {
    if (s.level !== level) continue;
    if (prev) prev.next = s.next;
    else t.tangents = s.next;
    return s.tangent;
  }
  return null;
}

/** Gives `to` aliases of `from`'s tangents (a new tensor object on the same buffer keeps its tangents). */
export function copyTangents(from: Tensor, to: Tensor, alias: (t: Tensor) => Tensor): void {
  for (let s = from.tangents; s !== null; s = s.next) if (visible(s.level)) attachTangent(to, s.level, alias(s.tangent));
}

/** An in-place op's tangents: `to` (rebound to `from`'s value) trades its visible tangents for `from`'s. */
export function moveTangents(from: Tensor, to: Tensor): void {
  for (let s = to.tangents; s !== null; s = s.next) if (visible(s.level)) removeSlot(to, s.level)?.dispose();
  for (let s = from.tangents; s !== null; s = s.next) {
    if (!visible(s.level)) continue;
    removeSlot(from, s.level);
    to.tangents = { level: s.level, tangent: s.tangent, next: to.tangents };
  }
}

/**
 * A new tensor object (outside every scope) on `t`'s buffer carrying aliases of all its open
 * tangents, hidden ones included: what a saved tensor keeps so that a view of it made after the
 * original is gone still has the original's tangents. Null when `t` has none.
 */
export function tangentCarrier(t: Tensor, alias: (t: Tensor) => Tensor): Tensor | null {
  let carrier: Tensor | null = null;
  for (let s = t.tangents; s !== null; s = s.next) {
    if (!open.includes(s.level)) continue;
    if (carrier === null) {
      carrier = new Tensor(t.storage.retain(), [...t.shape], t.dtype);
      untrack(carrier);
    }
    const tangent = alias(s.tangent);
    untrack(tangent);
    carrier.tangents = { level: s.level, tangent, next: carrier.tangents };
  }
  return carrier;
}

/** Runs fn with the levels at or above `level` hidden. */
export function withTangentsBelow<T>(level: number, fn: () => T): T {
  const prev = ceiling;
  ceiling = Math.min(prev, level);
  try {
    return fn();
  } finally {
    ceiling = prev;
  }
}

/**
 * Tensor lifetimes: `tidy(fn)` frees every tensor created in fn except those it returns, as in tfjs.
 * Core also uses scopes internally around a custom Function's forward and each backward step.
 */
import type { Tensor } from './tensor.js';

/**
 * Every tracked tensor, in creation order, as one stack: a scope is the part of it above its
 * start. A tensor knows its slot (`trackIndex`), so untracking is one store and ending a scope one
 * pass over its part: no Set per scope, and an op's scope costs a few array writes.
 */
const tracked: (Tensor | null)[] = [];

/** A scope: where its part of the stack starts. */
export interface Scope {
  /** Index in the tracked stack of the scope's first slot. */
  readonly start: number;
}

const scopes: Scope[] = [];

/** Called by Tensor's constructor. */
export function track(t: Tensor): void {
  if (scopes.length === 0) return;
  t.trackIndex = tracked.length;
  tracked.push(t);
}

/** Removes a tensor from every scope: it outlives them (a `.grad`, optimizer state, `keep`). */
export function untrack(t: Tensor): void {
  const i = t.trackIndex;
  t.trackIndex = -1;
  if (i < 0 || tracked[i] !== t) return;
  tracked[i] = null;
  // Trailing free slots are dropped, so a long scope whose tensors come and go stays short.
  const floor = scopes.length > 0 ? (scopes[scopes.length - 1] as Scope).start : 0;
  while (tracked.length > floor && tracked[tracked.length - 1] === null) tracked.pop();
}

export function beginScope(): Scope {
  const s: Scope = { start: tracked.length };
  scopes.push(s);
  return s;
}

/** Whether `t` is tracked by `scope` (not by an outer one). */
function inScope(scope: Scope, t: Tensor): boolean {
  const i = t.trackIndex;
  return i >= scope.start && tracked[i] === t;
}

const NOTHING: readonly Tensor[] = [];

/** Ends the innermost scope: disposes its tensors except `keep`, which move to the parent scope. */
export function endScope(scope: Scope, keep: Iterable<Tensor> = NOTHING): void {
  if (scopes[scopes.length - 1] !== scope) throw new Error('internal: scopes ended out of order');
  const list: readonly Tensor[] = Array.isArray(keep) ? keep : [...keep];
  // The kept tensors of this scope, taken out of its part before anything is disposed (a tensor
  // kept twice is taken once: its slot is already free the second time). One kept tensor, an
  // op's usual output, needs no list of its own.
  let survivors: readonly Tensor[] = list.length === 1 ? list : [];
  if (list.length === 1) {
    const t = list[0] as Tensor;
    if (inScope(scope, t)) tracked[t.trackIndex] = null;
    else survivors = NOTHING;
  } else {
    for (const t of list) {
      if (!inScope(scope, t)) continue;
      tracked[t.trackIndex] = null;
      (survivors as Tensor[]).push(t);
    }
  }
  // Disposing untracks each tensor (its slot becomes null); a dispose that makes tensors tracks
  // them above the end, and they go too.
  for (let i = scope.start; i < tracked.length; i++) {
    const t = tracked[i];
    if (t) t.dispose();
  }
  tracked.length = scope.start;
  scopes.pop();
  if (survivors.length > 1) (survivors as Tensor[]).sort((a, b) => a.id - b.id);
  for (const t of survivors) {
    if (scopes.length > 0) {
      t.trackIndex = tracked.length;
      tracked.push(t);
    } else t.trackIndex = -1;
  }
}

/** What `tidy` may return: a tensor, a primitive, or arrays/objects nesting them; every tensor found inside survives the tidy. */
export type TensorContainer =
  // biome-ignore lint/suspicious/noConfusingVoidType: tidy(() => { … }) returns void
  void | Tensor | number | string | boolean | null | undefined | TensorContainer[] | { [key: string]: TensorContainer };

/** Every tensor inside a (nested) result. */
export function collectTensors(value: unknown, out: Set<Tensor>, isTensor: (v: unknown) => v is Tensor): Set<Tensor> {
  if (isTensor(value)) out.add(value);
  else if (Array.isArray(value)) for (const v of value) collectTensors(v, out, isTensor);
  else if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype)
    for (const v of Object.values(value)) collectTensors(v, out, isTensor);
  return out;
}

/** Runs fn and frees every tensor it created except its result (for ops that make temporaries). */
export function scoped<T extends Tensor>(fn: () => T): T {
  const s = beginScope();
  try {
    const r = fn();
    endScope(s, [r]);
    return r;
  } catch (err) {
    endScope(s);
    throw err;
  }
}

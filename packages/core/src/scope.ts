/**
 * Tensor lifetimes: `tidy(fn)` frees every tensor created in fn except those it returns, as in tfjs.
 * Core also uses scopes internally around a custom Function's forward and each backward step.
 */
import type { Tensor } from './tensor.js';

type Scope = Set<Tensor>;
const scopes: Scope[] = [];

/** Called by Tensor's constructor. */
export function track(t: Tensor): void {
  scopes[scopes.length - 1]?.add(t);
}

/** Removes a tensor from every scope: it outlives them (a `.grad`, optimizer state, `keep`). */
export function untrack(t: Tensor): void {
  for (let i = scopes.length - 1; i >= 0; i--) if ((scopes[i] as Scope).delete(t)) return;
}

export function beginScope(): Scope {
  const s: Scope = new Set();
  scopes.push(s);
  return s;
}

/** Ends the innermost scope: disposes its tensors except `keep`, which move to the parent scope. */
export function endScope(scope: Scope, keep: Iterable<Tensor> = []): void {
  if (scopes[scopes.length - 1] !== scope) throw new Error('internal: scopes ended out of order');
  scopes.pop();
  const kept = new Set(keep);
  for (const t of scope) if (!kept.has(t)) t.dispose();
  const parent = scopes[scopes.length - 1];
  if (parent) for (const t of kept) if (scope.has(t)) parent.add(t);
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

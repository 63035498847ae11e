import { beginScope, collectTensors, endScope, type TensorContainer, untrack } from './scope.js';
import { isTensor, type Tensor } from './tensor.js';

/**
 * Runs fn and frees every tensor created inside it except those it returns (arrays and plain
 * objects are searched). Never frees a tensor that became a `.grad` or optimizer state.
 */
export function tidy<T extends TensorContainer>(fn: () => T): T {
  if (typeof fn !== 'function') throw new TypeError('tidy: expected a function');
  const scope = beginScope();
  let result: T;
  try {
    result = fn();
  } catch (err) {
    endScope(scope);
    throw err;
  }
  if (result instanceof Promise) {
    endScope(scope);
    throw new Error('tidy: the function returned a Promise; tidy is synchronous (await outside it, or dispose tensors yourself)');
  }
  endScope(scope, collectTensors(result, new Set(), isTensor));
  return result;
}

/** Keeps a tensor alive past the enclosing tidy scopes. */
export function keep<T extends Tensor>(t: T): T {
  untrack(t);
  return t;
}

/** Frees every tensor in a (nested) container. */
export function dispose(container: TensorContainer): void {
  for (const t of collectTensors(container, new Set(), isTensor)) t.dispose();
}

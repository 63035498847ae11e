import { beginScope, collectTensors, endScope, type TensorContainer, untrack } from './scope.js';
import { isTensor, type Tensor } from './tensor.js';

/**
 * Runs fn and frees every tensor created inside it except those it returns (arrays and plain
 * objects are searched). Never frees a tensor that became a `.grad` or optimizer state.
 */
export function tidy<T extends TensorContainer>(fn: () => T): T {
  if (typeof fn !== 'function') throw new TypeError('tidy: expected a function');
  // An async function is refused before it runs: the tensors it would make after its first
  // await could not be tracked by a synchronous scope, and would leak.
  if (fn.constructor?.name === 'AsyncFunction' || fn.constructor?.name === 'AsyncGeneratorFunction') throw asyncError();
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
    // Nothing will await it: keep its rejection from becoming an unhandled one.
    result.catch(() => {});
    throw asyncError();
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

function asyncError(): Error {
  return new Error(
    'tidy: the function is async (or returned a Promise); tidy is synchronous: await outside it, or dispose tensors yourself',
  );
}

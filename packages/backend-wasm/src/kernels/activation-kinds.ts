import type { DerivativeKind, ForwardKind } from '@surrograd/core';
import { COMPILED_KINDS } from '../generated/activation-kinds.js';

/**
 * Byte offsets in the scratch block of the forward kind's parameters and the derivative kind's,
 * each written as f32 and, F64_PARAMS_OFFSET bytes further, as f64 (assembly/activation.ts).
 */
export const FORWARD_PARAMS_OFFSET = 0;
export const DERIVATIVE_PARAMS_OFFSET = 512;
export const F64_PARAMS_OFFSET = 128;
/** Parameters a kind may have: 32 f32 then 32 f64 fit before F64_PARAMS_OFFSET and the next block. */
export const MAX_PARAMS = 32;

const sameParams = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((p, i) => p === b[i]);

/**
 * The id of a forward kind's compiled SIMD loop, or null when the kernels were built without it
 * (a kind registered after the build, or whose expression changed): those run in JavaScript.
 */
export function compiledForward(kind: ForwardKind): number | null {
  const c = COMPILED_KINDS.forward[kind.name];
  return c && c.text === kind.text && sameParams(c.params, kind.params) ? c.id : null;
}

/** The id of a derivative kind's compiled loop (or, for mask kinds, mask loop), or null as for {@link compiledForward}. */
export function compiledDerivative(kind: DerivativeKind): number | null {
  const c = COMPILED_KINDS.derivative[kind.name];
  return c &&
    c.text === kind.text &&
    c.from === kind.from &&
    c.predicate === (kind.predicateText ?? null) &&
    sameParams(c.params, kind.params)
    ? c.id
    : null;
}

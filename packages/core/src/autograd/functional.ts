/** JAX-style transforms: `grad(f)` and `valueAndGrad(f)`, nestable for higher derivatives. */

import { clone, zerosLike } from '../ops/index.js';
import { beginScope, endScope } from '../scope.js';
import { fmt } from '../shape.js';
import { Tensor } from '../tensor.js';
import { aliasOf } from './alias.js';
import { gradients } from './backward.js';
import { enableGrad, isGradEnabled, isInferenceMode } from './grad-mode.js';

/** Options of {@link grad} and {@link valueAndGrad}, as JAX's. */
export interface GradOptions<A extends number | readonly number[] = number | readonly number[]> {
  /** Which positional arguments to differentiate with respect to (default 0); a list gives a tuple of gradients. */
  argnums?: A;
}

/** What a grad transform returns for `argnums` A: one Tensor for a number, a tuple of Tensors for a list. */
export type GradsFor<A extends number | readonly number[]> = A extends readonly number[] ? { -readonly [K in keyof A]: Tensor } : Tensor;

/** How many grad transforms are evaluating their function right now. */
let depth = 0;

/** Runs a reverse-mode transform's function with recording on, counted as one level of nesting. */
export function traced<T>(fn: () => T): T {
  depth++;
  try {
    return enableGrad(fn);
  } finally {
    depth--;
  }
}

/**
 * The arguments of a reverse-mode transform with those at `argnums` replaced by fresh leaves that
 * require grad (`vars`). `nested`: an enclosing transform may differentiate through the result
 * (through an argument, or through a variable of the outer function that f closes over), so the
 * gradients must be recorded. Forward-mode tangents ride along on the new leaves.
 */
export function differentiationVars(
  op: string,
  args: readonly unknown[],
  argnums: readonly number[],
): { wrapped: unknown[]; vars: Tensor[]; nested: boolean } {
  if (isInferenceMode())
    throw new Error(`${op}: inferenceMode records no graph, so nothing can be differentiated inside it; call ${op} outside it`);
  for (const i of argnums) {
    const a = args[i];
    if (!(a instanceof Tensor)) throw new TypeError(`${op}: argument ${i} must be a Tensor to differentiate with respect to it`);
    a.assertAlive(op);
  }
  const nested = isGradEnabled() && (depth > 0 || argnums.some((i) => (args[i] as Tensor).requiresGrad));
  const wrapped = [...args];
  const vars = argnums.map((i) => {
    const a = args[i] as Tensor;
    const v = a.requiresGrad && nested ? enableGrad(() => clone(a)) : aliasOf(a, false);
    if (v.isLeaf) v.requiresGrad = true;
    wrapped[i] = v;
    return v;
  });
  return { wrapped, vars, nested };
}

/** A function {@link grad} transforms: any arguments in (those differentiated must be tensors), a scalar tensor out. */
// biome-ignore lint/suspicious/noExplicitAny: f's extra arguments are the caller's
export type Fn = (...args: any[]) => Tensor;

/**
 * `valueAndGrad(f)(...args)` → [f(...args), df/dargs[argnums]] for a scalar-valued f. Inside
 * another grad, the result stays differentiable, so `grad(grad(f))` gives second derivatives.
 */
export function valueAndGrad<F extends Fn, const A extends number | readonly number[] = 0>(
  f: F,
  options: GradOptions<A> = {},
): (...args: Parameters<F>) => [Tensor, GradsFor<A>] {
  const many = Array.isArray(options.argnums);
  const argnums = many ? [...(options.argnums as readonly number[])] : [(options.argnums as number | undefined) ?? 0];
  return (...args: Parameters<F>) => {
    const scope = beginScope();
    let value: Tensor;
    let grads: Tensor[];
    try {
      const { wrapped, vars, nested } = differentiationVars('grad', args, argnums);
      const out = traced(() => f(...(wrapped as Parameters<F>)));
      if (!(out instanceof Tensor)) throw new TypeError('grad: the function must return a Tensor');
      if (out.size !== 1) throw new Error(`grad: the function must return a one-element tensor, got shape ${fmt(out.shape)}`);
      const gs = out.requiresGrad ? gradients(out, vars, { createGraph: nested, allowUnused: true }) : vars.map(() => null);
      grads = gs.map((g, j) => g ?? zerosLike(vars[j] as Tensor));
      value = nested ? out : aliasOf(out, false);
    } catch (err) {
      endScope(scope);
      throw err;
    }
    endScope(scope, [value, ...grads]);
    return [value, (many ? grads : grads[0]) as GradsFor<A>];
  };
}

/** `grad(f)(...args)` → df/dargs[argnums] for a scalar-valued f: a Tensor, or a tuple for a list of argnums. */
export function grad<F extends Fn, const A extends number | readonly number[] = 0>(
  f: F,
  options: GradOptions<A> = {},
): (...args: Parameters<F>) => GradsFor<A> {
  const vg = valueAndGrad(f, options);
  return (...args: Parameters<F>) => {
    const [value, g] = vg(...args);
    value.dispose();
    return g;
  };
}

/**
 * Forward-mode AD, as `torch.func.jvp`: `jvp(f, primals, tangents)` runs f once on dual tensors
 * and returns f's outputs with their tangents, J·v, without building a graph for backward.
 */
import { clone, zerosLike } from '../ops/index.js';
import { beginScope, endScope } from '../scope.js';
import { fmt, shapesEqual } from '../shape.js';
import { Tensor } from '../tensor.js';
import { aliasOf } from './alias.js';
import { attachTangent, enterLevel, exitLevel, takeTangent } from './forward-ad.js';
import { isGradEnabled, isInferenceMode } from './grad-mode.js';

/** A function {@link jvp} differentiates: tensors in, a tensor or an array of tensors out. */
// biome-ignore lint/suspicious/noExplicitAny: f's arguments are the caller's
export type JvpFn = (...args: any[]) => Tensor | readonly Tensor[];

/** What {@link jvp} returns for f: f's outputs, then their tangents in the same form. */
export type JvpResult<F extends JvpFn> = ReturnType<F> extends Tensor ? [Tensor, Tensor] : [Tensor[], Tensor[]];

/**
 * `jvp(f, primals, tangents)` → `[f(...primals), J·tangents]`, as `torch.func.jvp`: the
 * Jacobian-vector product by forward mode, one pass alongside f. Each tangent has its primal's
 * shape and dtype. Every built-in op and activation has a jvp rule; a custom Function needs its own
 * `jvp` (an error names it otherwise). Surrogate activations use their surrogate derivative,
 * exactly as backward does, so jvp and vjp are transposes of one linear map. Nests with itself
 * (jacfwd of jacfwd) and with `grad` / `jacrev` both ways (hessian is forward over reverse).
 */
export function jvp<F extends JvpFn>(f: F, primals: readonly Tensor[], tangents: readonly Tensor[]): JvpResult<F> {
  if (typeof f !== 'function') throw new TypeError('jvp: expected a function as the first argument');
  if (isInferenceMode()) throw new Error('jvp: inferenceMode tracks no tangents; call jvp outside inferenceMode (noGrad is fine)');
  if (!Array.isArray(primals) || !Array.isArray(tangents)) {
    throw new TypeError('jvp: primals and tangents must be arrays of tensors, e.g. jvp(f, [x], [v])');
  }
  if (primals.length !== tangents.length || primals.length === 0) {
    throw new Error(
      `jvp: expected as many tangents as primals (at least one), got ${primals.length} primals and ${tangents.length} tangents`,
    );
  }
  primals.forEach((p, i) => {
    const t = tangents[i];
    if (!(p instanceof Tensor)) throw new TypeError(`jvp: primal ${i} is not a Tensor`);
    if (!(t instanceof Tensor)) throw new TypeError(`jvp: tangent ${i} is not a Tensor`);
    p.assertAlive('jvp');
    t.assertAlive('jvp');
    if (!shapesEqual(p.shape, t.shape) || p.dtype !== t.dtype) {
      throw new Error(
        `jvp: tangent ${i} has shape ${fmt(t.shape)} ${t.dtype}, but primal ${i} has ${fmt(p.shape)} ${p.dtype}; each tangent must match its primal`,
      );
    }
    if (p.dtype !== 'float32' && p.dtype !== 'float64') {
      throw new TypeError(`jvp: primal ${i} is ${p.dtype}; forward-mode AD needs floating-point primals`);
    }
    if (t.backend !== p.backend) {
      throw new Error(`jvp: tangent ${i} is on backend '${t.backend.name}', but its primal is on '${p.backend.name}'`);
    }
  });
  const level = enterLevel();
  const scope = beginScope();
  try {
    const duals = primals.map((p, i) => {
      // A leaf that requires grad is cloned through the graph, so backward through jvp reaches it.
      const d = p.isLeaf && p.requiresGrad && isGradEnabled() ? clone(p) : aliasOf(p, true);
      attachTangent(d, level, aliasOf(tangents[i] as Tensor, true));
      return d;
    });
    const result = f(...duals);
    const many = Array.isArray(result);
    const outs = (many ? result : [result]) as Tensor[];
    outs.forEach((o, i) => {
      if (!(o instanceof Tensor)) throw new TypeError(`jvp: f must return a Tensor or an array of Tensors; output ${i} is ${typeof o}`);
      o.assertAlive('jvp');
    });
    const taken = new Map<Tensor, Tensor>();
    const outTangents = outs.map((o) => {
      const known = taken.get(o);
      if (known) return aliasOf(known, true);
      const t = takeTangent(o, level) ?? zerosLike(o);
      taken.set(o, t);
      return t;
    });
    endScope(scope, [...outs, ...outTangents]);
    return (many ? [outs, outTangents] : [outs[0], outTangents[0]]) as JvpResult<F>;
  } catch (err) {
    endScope(scope);
    throw err;
  } finally {
    exitLevel(level);
  }
}

/**
 * Full Jacobians and Hessians, as `torch.func`'s: `jacrev` (one backward per output element),
 * `jacfwd` (one jvp per input element) and `hessian` = jacfwd(jacrev(f)). The result of each
 * Jacobian has shape `output.shape ++ input.shape`.
 */
import { allocArray, type DType } from '../dtype.js';
import { concat, fromValues, reshape, zeros } from '../ops/index.js';
import { onBackend } from '../registry.js';
import { beginScope, endScope } from '../scope.js';
import { Tensor } from '../tensor.js';
import { gradients } from './backward.js';
import { differentiationVars, type Fn, traced } from './functional.js';
import { jvp } from './jvp.js';

/** Options of {@link jacrev}, {@link jacfwd} and {@link hessian}, as torch.func's. */
export interface JacobianOptions<A extends number | readonly number[] = number | readonly number[]> {
  /** Which positional arguments to differentiate with respect to (default 0); a list gives one Jacobian per argument. */
  argnums?: A;
}

/** A function whose Jacobian is taken: tensors in, a tensor or an array of tensors out. */
// biome-ignore lint/suspicious/noExplicitAny: f's arguments are the caller's
export type JacobianFn = (...args: any[]) => Tensor | readonly Tensor[];

/**
 * What a Jacobian transform returns: for a tensor output, one Jacobian (a number `argnums`) or one
 * per argument (a list); for an array of outputs, that for each output.
 */
export type JacobianOf<F extends JacobianFn, A> = ReturnType<F> extends Tensor ? PerArg<A> : PerArg<A>[];
/** One Jacobian for a number `argnums`, a tuple of them for a list. */
export type PerArg<A> = A extends readonly number[] ? { -readonly [K in keyof A]: Tensor } : Tensor;

function argnumsOf(options: JacobianOptions): { argnums: number[]; many: boolean } {
  const many = Array.isArray(options.argnums);
  return { many, argnums: many ? [...(options.argnums as readonly number[])] : [(options.argnums as number | undefined) ?? 0] };
}

function outputsOf(op: string, result: unknown): { outs: Tensor[]; many: boolean } {
  const many = Array.isArray(result);
  const outs = (many ? result : [result]) as Tensor[];
  outs.forEach((o, i) => {
    if (!(o instanceof Tensor)) throw new TypeError(`${op}: f must return a Tensor or an array of Tensors; output ${i} is ${typeof o}`);
  });
  return { outs, many };
}

/** The one-hot tensor of `like`'s shape and dtype with a 1 at flat index `k`, on its backend. */
function basis(like: Tensor, k: number, op: string): Tensor {
  const v = allocArray(like.dtype, like.size);
  v[k] = 1;
  return onBackend(like.backend, () => fromValues(v, like.shape, like.dtype, op));
}

/**
 * Runs a transform's body in a scope that keeps only the Jacobians it returns (per output, per
 * argument), nested the way torch.func returns them.
 */
function collect<T>(body: () => { jac: Tensor[][]; manyOut: boolean; manyArg: boolean }): T {
  const scope = beginScope();
  try {
    const { jac, manyOut, manyArg } = body();
    endScope(scope, jac.flat());
    const perOut = jac.map((row) => (manyArg ? row : row[0]));
    return (manyOut ? perOut : perOut[0]) as T;
  } catch (err) {
    endScope(scope);
    throw err;
  }
}

/** Joins a Jacobian's one-wide slices (rows along axis 0, columns along 1) into shape `full`; zeros when there are none (an empty output or input). */
function assemble(parts: Tensor[] | undefined, axis: 0 | 1, full: number[], dtype: DType): Tensor {
  return parts === undefined || parts.length === 0 ? zeros(full, { dtype }) : reshape(concat(parts, axis), full);
}

/**
 * `jacrev(f)(...args)`: the Jacobian of f at args by reverse mode, one backward per output element
 * (cheap for few outputs), as `torch.func.jacrev`. Differentiable: nests under jacfwd, grad, jvp.
 */
export function jacrev<F extends JacobianFn, const A extends number | readonly number[] = 0>(
  f: F,
  options: JacobianOptions<A> = {},
): (...args: Parameters<F>) => JacobianOf<F, A> {
  const { argnums, many: manyArg } = argnumsOf(options);
  return (...args: Parameters<F>) => {
    return collect<JacobianOf<F, A>>(() => {
      const { wrapped, vars, nested } = differentiationVars('jacrev', args, argnums);
      const { outs, many: manyOut } = outputsOf(
        'jacrev',
        traced(() => f(...wrapped)),
      );
      const jac = outs.map((o) => {
        const rows: Tensor[][] = vars.map(() => []);
        for (let j = 0; j < o.size; j++) {
          const gs = o.requiresGrad
            ? gradients(o, vars, { gradOutputs: [basis(o, j, 'jacrev')], retainGraph: true, createGraph: nested, allowUnused: true })
            : vars.map(() => null);
          gs.forEach((g, a) => {
            const v = vars[a] as Tensor;
            (rows[a] as Tensor[]).push(g ? reshape(g, [1, v.size]) : zeros([1, v.size], { dtype: v.dtype }));
          });
        }
        return vars.map((v, a) => assemble(rows[a], 0, [...o.shape, ...v.shape], v.dtype));
      });
      return { jac, manyOut, manyArg };
    });
  };
}

/**
 * `jacfwd(f)(...args)`: the Jacobian of f at args by forward mode, one jvp per input element
 * (cheap for few inputs), as `torch.func.jacfwd`.
 */
export function jacfwd<F extends JacobianFn, const A extends number | readonly number[] = 0>(
  f: F,
  options: JacobianOptions<A> = {},
): (...args: Parameters<F>) => JacobianOf<F, A> {
  const { argnums, many: manyArg } = argnumsOf(options);
  return (...args: Parameters<F>) => {
    for (const i of argnums) {
      const a = args[i];
      if (!(a instanceof Tensor)) throw new TypeError(`jacfwd: argument ${i} must be a Tensor to differentiate with respect to it`);
      a.assertAlive('jacfwd');
    }
    return collect<JacobianOf<F, A>>(() => {
      // cols[o]: the Jacobian columns of output o for one argument; shapes from the first jvp.
      let shapes: { outs: Tensor[]; many: boolean } | null = null;
      const columns = argnums.map((i) => {
        const x = args[i] as Tensor;
        const cols: Tensor[][] = [];
        const along = (xd: Tensor) => {
          const call = [...args];
          call[i] = xd;
          const r = outputsOf('jacfwd', f(...call));
          shapes ??= r;
          return r.outs;
        };
        for (let k = 0; k < x.size; k++) {
          const [, ts] = jvp(along, [x], [basis(x, k, 'jacfwd')]);
          ts.forEach((t, o) => {
            (cols[o] ??= []).push(reshape(t, [t.size, 1]));
          });
        }
        return { x, cols };
      });
      // Every argument empty: f still runs once, for the output shapes.
      const { outs, many: manyOut } = (shapes as { outs: Tensor[]; many: boolean } | null) ?? outputsOf('jacfwd', f(...args));
      const jac = outs.map((o, oi) => columns.map(({ x, cols }) => assemble(cols[oi], 1, [...o.shape, ...x.shape], o.dtype)));
      return { jac, manyOut, manyArg };
    });
  };
}

/**
 * `hessian(f)(...args)`: second derivatives of a scalar-valued f, as `torch.func.hessian`: forward
 * over reverse, jacfwd(jacrev(f)). Shape `input.shape ++ input.shape`; with a list of argnums, the
 * blocks `[i][j]` = d²f / d arg_i d arg_j.
 */
export function hessian<F extends Fn, const A extends number | readonly number[] = 0>(
  f: F,
  options: JacobianOptions<A> = {},
): (...args: Parameters<F>) => A extends readonly number[] ? Tensor[][] : Tensor {
  const inner = jacrev(f, options as JacobianOptions) as unknown as JacobianFn;
  return jacfwd(inner, options as JacobianOptions) as never;
}

/**
 * JavaScript loops for activation kinds the kernels were not built with (registered in core at
 * run time): each expression compiled once to a loop over views of linear memory, with core's
 * JavaScript emitter, or interpreted where code generation is not allowed (strict CSP).
 */
import { type DerivativeKind, type Expr, emitExpr, evalExpr, type ForwardKind, jsAlgebra, scalarMath, scalarUnary } from '@surrograd/core';

type Params = Readonly<Record<string, number>>;
type Views = Float32Array | Int32Array;
/** A loop over n elements: out[i] from a[i] (and b[i] for derivatives). */
type Loop = (a: Views, b: Views, out: Views, n: number, p: Params) => void;

const helpers = { erf: scalarMath.erf, roundHalfEven: scalarMath.roundHalfEven, sign: scalarUnary.sign, pow: scalarMath.pow };
const cache = new WeakMap<object, Loop>();
let codegenAllowed = true;

function statements(e: Expr, target: string): string {
  const { temps, result } = emitExpr(e, jsAlgebra, '_t');
  return `${temps.map(([n, c]) => `const ${n} = ${c};`).join(' ')} ${target} = ${result};`;
}

function compile(params: readonly string[], body: string): Loop | null {
  if (!codegenAllowed) return null;
  const prelude = params.map((n) => `const ${n} = p[${JSON.stringify(n)}];`).join('\n');
  try {
    const names = Object.keys(helpers);
    const factory = new Function(...names, `return function (A, B, OUT, n, p) {\n${prelude}\n${body}\n};`);
    return factory(...names.map((n) => helpers[n as keyof typeof helpers])) as Loop;
  } catch (err) {
    if (err instanceof EvalError) {
      codegenAllowed = false;
      return null;
    }
    throw err;
  }
}

function cached(key: object, make: () => Loop): Loop {
  let loop = cache.get(key);
  if (!loop) cache.set(key, (loop = make()));
  return loop;
}

/** y = f(x). */
export function forwardLoop(kind: ForwardKind): Loop {
  return cached(kind, () => {
    const fast = compile(kind.params, `for (let i = 0; i < n; i++) { const x = A[i]; ${statements(kind.expr, 'OUT[i]')} }`);
    return (
      fast ??
      ((x, _b, y, n, p) => {
        const env: Record<string, number> = { ...p, x: 0 };
        for (let i = 0; i < n; i++) {
          env.x = x[i] as number;
          y[i] = evalExpr(kind.expr, env);
        }
      })
    );
  });
}

/** Mask words of the kind's predicate on x: bit i % 32 of word i / 32. */
export function maskLoop(kind: DerivativeKind): Loop {
  const predicate = kind.predicate as Expr;
  return cached(predicate, () => {
    const fast = compile(
      kind.params,
      `for (let i = 0, w = 0; i < n; w++) {
  const stop = Math.min(i + 32, n);
  let bits = 0;
  for (let b = 0; i < stop; i++, b++) { const x = A[i]; let bit; ${statements(predicate, 'bit')} bits |= (bit !== 0 ? 1 : 0) << b; }
  OUT[w] = bits;
}`,
    );
    return (
      fast ??
      ((x, _b, words, n, p) => {
        const env: Record<string, number> = { ...p, x: 0 };
        for (let i = 0, w = 0; i < n; w++) {
          const stop = Math.min(i + 32, n);
          let bits = 0;
          for (let b = 0; i < stop; i++, b++) {
            env.x = x[i] as number;
            bits |= (evalExpr(predicate, env) !== 0 ? 1 : 0) << b;
          }
          words[w] = bits;
        }
      })
    );
  });
}

/** dx = dy · g(saved), saved being x or y (mask kinds need no per-kind loop: see activationGradMask). */
export function derivativeLoop(kind: DerivativeKind): Loop {
  return cached(kind, () => {
    const v = kind.from;
    const fast = compile(
      kind.params,
      `for (let i = 0; i < n; i++) { const ${v} = B[i]; let g; ${statements(kind.expr, 'g')} OUT[i] = A[i] * g; }`,
    );
    return (
      fast ??
      ((dy, s, dx, n, p) => {
        const env: Record<string, number> = { ...p, [v]: 0 };
        for (let i = 0; i < n; i++) {
          env[v] = s[i] as number;
          dx[i] = (dy[i] as number) * evalExpr(kind.expr, env);
        }
      })
    );
  });
}

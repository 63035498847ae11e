/**
 * A row's vjp and jvp expressions as functions of tensors, compiled once per rule into a tree of
 * closures (no expression walk, no algebra built per call: these run in every backward). The
 * tensor ops they call record, so the rules differentiate again.
 *
 * A variable may be null, a structural zero (an operand without a tangent): terms with a null
 * factor drop, so a constant operand costs nothing and can't turn a zero tangent into NaN
 * (0 · log(-1)). A rule whose every term drops gives null.
 */
import type { Expr, ExprAlgebra } from '../activations/expr.js';
import { floatDTypeOf, tensorAlgebra, type Value } from '../activations/tensor-eval.js';
import type { DType } from '../dtype.js';
import type { Tensor } from '../tensor.js';

/** Tensors (or null, a structural zero) for a rule's variables. */
export type RuleEnv = Record<string, Tensor | null>;
/** A compiled rule: its value for `env`, or null where every term drops. */
export type Rule = (env: RuleEnv) => Tensor | null;

type V = Value | null;
type Node = (env: RuleEnv, alg: ExprAlgebra<Value>) => V;

const algebras = new Map<DType, ExprAlgebra<Value>>();
function algebraFor(dtype: DType): ExprAlgebra<Value> {
  let alg = algebras.get(dtype);
  if (!alg) {
    // Variables are read by the compiled tree, never through the algebra.
    alg = tensorAlgebra(dtype, (name) => {
      throw new Error(`elementwise rule: no value for '${name}'`);
    });
    algebras.set(dtype, alg);
  }
  return alg;
}

function compileNode(e: Expr): Node {
  switch (e.op) {
    case 'num': {
      const v = e.value;
      return () => v;
    }
    case 'var': {
      const name = e.name;
      return (env) => env[name] ?? null;
    }
    case 'select': {
      const [c, a, b] = [compileNode(e.cond), compileNode(e.a), compileNode(e.b)];
      return (env, alg) => {
        const [va, vb] = [a(env, alg), b(env, alg)];
        return va === null && vb === null ? null : alg.select(c(env, alg) ?? 0, va ?? 0, vb ?? 0);
      };
    }
    default:
      if ('arg' in e) {
        const [fn, a] = [e.op, compileNode(e.arg)];
        return (env, alg) => {
          const v = a(env, alg);
          if (v !== null) return alg.unary(fn, v);
          return fn === 'neg' ? null : alg.unary(fn, 0);
        };
      } else {
        const [fn, a, b] = [e.op, compileNode(e.a), compileNode(e.b)];
        return (env, alg) => {
          const [va, vb] = [a(env, alg), b(env, alg)];
          if (va !== null && vb !== null) return alg.binary(fn, va, vb);
          if (fn === 'mul' || (fn === 'div' && va === null)) return null;
          if (fn === 'add') return va ?? vb;
          if (fn === 'sub') return va === null ? (vb === null ? null : alg.unary('neg', vb)) : va;
          return alg.binary(fn, va ?? 0, vb ?? 0);
        };
      }
  }
}

/** Compiles a rule expression; its tensors compute in the float dtype of the env's tensors. */
export function compileRule(e: Expr): Rule {
  const root = compileNode(e);
  return (env) => {
    const dtype = floatDTypeOf(env);
    const result = root(env, algebraFor(dtype));
    if (result === null) return null;
    if (typeof result === 'number') throw new Error('elementwise rule: the expression reads no tensor');
    return result.dtype === 'bool' ? result.cast(dtype) : result;
  };
}

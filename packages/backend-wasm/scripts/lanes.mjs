/**
 * Expressions of core's expression language as AssemblyScript SIMD lanes: shared by the
 * activation emitter (emit-activations.mjs) and the elementwise emitter (emit-elementwise.mjs).
 * This file is the wasm backend's spelling of each primitive, once.
 *
 * Values are typed: a comparison gives a lane mask (all ones or zero) and arithmetic a float; a
 * mask used as a number becomes 1.0/0.0 and a number used as a condition becomes (v != 0), which
 * is the language's semantics (comparisons and and/or/not give 1 or 0, select tests for non-zero).
 * Shared subexpressions are computed once.
 */
/**
 * Lane arithmetic per precision: f32x4 (four lanes, the hot kinds) or f64x2 (two lanes, for
 * expressions that compose transcendental functions, where float32 intermediates cancel).
 */
export const LANES = {
  f32: { v: 'f32x4', suffix: 'F32x4', scalar: 'f32', int: 'i32x4', maskBits: 'i32x4.bitmask' },
  f64: { v: 'f64x2', suffix: 'F64x2', scalar: 'f64', int: 'i64x2', maskBits: 'i64x2.bitmask' },
};

/** An AssemblyScript literal of the lane type. */
export function literal(v, scalar) {
  if (Number.isNaN(v)) return `<${scalar}>NaN`;
  if (v === Number.POSITIVE_INFINITY) return `<${scalar}>Infinity`;
  if (v === Number.NEGATIVE_INFINITY) return `<${scalar}>(-Infinity)`;
  if (Object.is(v, -0)) return `<${scalar}>(-0.0)`;
  return `<${scalar}>(${String(v)})`;
}

export const NATIVE_UNARY = { neg: 'neg', abs: 'abs', sqrt: 'sqrt', floor: 'floor', round: 'nearest' };
export const LIBRARY_UNARY = { exp: 'exp', log: 'log', log1p: 'log1p', tanh: 'tanh', sigmoid: 'sigmoid', erf: 'erf', sign: 'sign' };
// wasm max/min propagate NaN, as the table's do.
export const NATIVE_BINARY = { add: 'add', sub: 'sub', mul: 'mul', div: 'div', max: 'max', min: 'min' };
export const COMPARE = { gt: 'gt', ge: 'ge', lt: 'lt', le: 'le', eq: 'eq', ne: 'ne' };
// No vector form: each f64 lane through the libm function, as the reference computes them.
export const LANEWISE_UNARY = { sin: 'Math.sin', cos: 'Math.cos', expm1: 'Math.expm1' };
/** f64 lane by lane, through libm. */
export const LANEWISE_BINARY = { atan2: (a, b) => `Math.atan2(${a}, ${b})` };
export const TRANSCENDENTAL = new Set([
  'exp',
  'log',
  'log1p',
  'tanh',
  'sigmoid',
  'erf',
  'pow',
  ...Object.keys(LANEWISE_UNARY),
  ...Object.keys(LANEWISE_BINARY),
  'fmod',
]);

export function usesAny(e, ops) {
  if (ops.has(e.op)) return true;
  if (e.op === 'select') return [e.cond, e.a, e.b].some((c) => usesAny(c, ops));
  if ('arg' in e) return usesAny(e.arg, ops);
  if ('a' in e) return usesAny(e.a, ops) || usesAny(e.b, ops);
  return false;
}

/** What only f64 lanes spell: libm lane by lane (sin, cos, expm1, atan2) and fmod. */
const F64_ONLY = new Set([...Object.keys(LANEWISE_UNARY), ...Object.keys(LANEWISE_BINARY), 'fmod']);

/**
 * float32 lanes, four at a time, wherever the f32x4 library (simd-math.ts: exp, log, log1p, tanh,
 * sigmoid, erf, pow, each to a few ulp) spells every function the expression uses, composed or
 * not: that is what the derivatives of bSiLU, silu, gelu and the sigmoid surrogates need to run
 * near memory speed. float64 lanes only where a function has no f32x4 form.
 */
export function precisionOf(e) {
  return usesAny(e, F64_ONLY) ? 'f64' : 'f32';
}

/**
 * Statements computing `expr` over v128 lanes of precision `p`. `vars` maps variable names to
 * [code, type]. Returns { lines, result (a number lane vector), mask (a lane mask) }.
 */
export function emitVector(expr, vars, p) {
  const L = LANES[p];
  const lines = [];
  const cache = new Map();
  let count = 0;
  const temp = (code, type) => {
    const name = `t${count++}`;
    lines.push(`const ${name} = ${code};`);
    return [name, type];
  };
  const asFloat = ([code, type]) => (type === 'float' ? code : `v128.and(${code}, ${L.v}.splat(1.0))`);
  const asMask = ([code, type]) => (type === 'mask' ? code : `${L.v}.ne(${code}, ${L.v}.splat(0.0))`);
  const visit = (e) => {
    const key = JSON.stringify(e);
    const hit = cache.get(key);
    if (hit) return hit;
    let out;
    if (e.op === 'num') out = temp(`${L.v}.splat(${literal(e.value, L.scalar)})`, 'float');
    else if (e.op === 'var') {
      out = vars[e.name];
      if (!out) throw new Error(`wasm lanes: no value for variable '${e.name}'`);
    } else if (e.op === 'select') {
      const c = visit(e.cond);
      const a = visit(e.a);
      const b = visit(e.b);
      out = temp(`v128.bitselect(${asFloat(a)}, ${asFloat(b)}, ${asMask(c)})`, 'float');
    } else if (e.op === 'not') out = temp(`v128.not(${asMask(visit(e.arg))})`, 'mask');
    else if (e.op in NATIVE_UNARY) out = temp(`${L.v}.${NATIVE_UNARY[e.op]}(${asFloat(visit(e.arg))})`, 'float');
    else if (e.op in LIBRARY_UNARY) out = temp(`${LIBRARY_UNARY[e.op]}${L.suffix}(${asFloat(visit(e.arg))})`, 'float');
    else if (e.op in LANEWISE_UNARY) {
      if (p !== 'f64') throw new Error(`wasm lanes: '${e.op}' has only f64 lanes`);
      const [v] = visit(e.arg).map((c, i) => (i === 0 ? c : null));
      const f = LANEWISE_UNARY[e.op];
      out = temp(
        `f64x2.replace_lane(f64x2.splat(${f}(f64x2.extract_lane(${asFloat([v, 'float'])}, 0))), 1, ${f}(f64x2.extract_lane(${asFloat([v, 'float'])}, 1)))`,
        'float',
      );
    } else if (e.op in LANEWISE_BINARY) {
      if (p !== 'f64') throw new Error(`wasm lanes: '${e.op}' has only f64 lanes`);
      const [a, b] = [asFloat(visit(e.a)), asFloat(visit(e.b))];
      const f = LANEWISE_BINARY[e.op];
      const lane = (i) => f(`f64x2.extract_lane(${a}, ${i})`, `f64x2.extract_lane(${b}, ${i})`);
      out = temp(`f64x2.replace_lane(f64x2.splat(${lane(0)}), 1, ${lane(1)})`, 'float');
    } else if (e.op === 'fmod') {
      // C's fmod from f64 lanes: f32 operands make a / b, its truncation and b · trunc(a / b)
      // exact in f64 while the quotient stays below about 2^29 (far faster than a lane-wise %).
      // A zero keeps a's sign; an infinite b leaves a finite a as it is.
      if (p !== 'f64') throw new Error("wasm lanes: 'fmod' has only f64 lanes");
      const [a, b] = [asFloat(visit(e.a)), asFloat(visit(e.b))];
      const [q] = temp(`f64x2.trunc(f64x2.div(${a}, ${b}))`, 'float');
      const [r] = temp(`f64x2.sub(${a}, f64x2.mul(${b}, ${q}))`, 'float');
      const [signed] = temp(`v128.bitselect(f64x2.mul(${a}, f64x2.splat(0.0)), ${r}, f64x2.eq(${r}, f64x2.splat(0.0)))`, 'float');
      const inf = 'f64x2.splat(Infinity)';
      out = temp(
        `v128.bitselect(${a}, ${signed}, v128.and(f64x2.eq(f64x2.abs(${b}), ${inf}), f64x2.lt(f64x2.abs(${a}), ${inf})))`,
        'float',
      );
    } else if (e.op in NATIVE_BINARY) out = temp(`${L.v}.${NATIVE_BINARY[e.op]}(${asFloat(visit(e.a))}, ${asFloat(visit(e.b))})`, 'float');
    else if (e.op === 'pow') out = temp(`pow${L.suffix}(${asFloat(visit(e.a))}, ${asFloat(visit(e.b))})`, 'float');
    else if (e.op in COMPARE) out = temp(`${L.v}.${COMPARE[e.op]}(${asFloat(visit(e.a))}, ${asFloat(visit(e.b))})`, 'mask');
    else if (e.op === 'and' || e.op === 'or') out = temp(`v128.${e.op}(${asMask(visit(e.a))}, ${asMask(visit(e.b))})`, 'mask');
    else throw new Error(`wasm lanes: no AssemblyScript form for '${e.op}'`);
    cache.set(key, out);
    return out;
  };
  const result = visit(expr);
  return { lines, result: asFloat(result), mask: asMask(result) };
}

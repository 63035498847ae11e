/**
 * The activation emitter: turns every forward and derivative kind registered in core's activation
 * table (packages/core/src/activations/) into AssemblyScript SIMD loops, written to
 * assembly/generated/activations.ts, and the host's index of them to
 * src/generated/activation-kinds.ts. Run by scripts/build-wasm.mjs before compiling; reads core's
 * built dist, which the turbo build task builds first.
 *
 * Each expression is emitted once per loop through lanes.mjs (this backend's spelling of the
 * expression language), over f32x4 lanes or, where transcendentals compose, f64x2.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { emitVector, precisionOf } from './lanes.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

let core;
try {
  core = await import('@surrograd/core');
} catch (err) {
  throw new Error(`emit-activations: cannot load @surrograd/core (build it first: turbo builds it before this package): ${err.message}`);
}
if (typeof core.listForwardKinds !== 'function') {
  throw new Error("emit-activations: @surrograd/core's build has no activation table (listForwardKinds); rebuild core");
}

const paramVar = (name) => `p_${name}`;
/** Byte offset, from P, of the parameters as f64 (the host writes each kind's parameters as f32 at P and as f64 here). */
const F64_PARAMS = 128;

/**
 * An @inline function computing one vector of the expression from variable `v` (and the
 * parameters at P): `returns` 'value' or 'mask'.
 */
function laneFunction(name, expr, v, params, p, returns) {
  const vars = { [v]: [v, 'float'], ...Object.fromEntries(params.map((q) => [q, [paramVar(q), 'float']])) };
  const { lines, result, mask } = emitVector(expr, vars, p);
  const loads = params.map((q, i) =>
    p === 'f32'
      ? `  const ${paramVar(q)} = v128.load32_splat(P, ${i * 4});`
      : `  const ${paramVar(q)} = v128.load64_splat(P, ${F64_PARAMS + i * 8});`,
  );
  return `@inline function ${name}(${v}: v128, P: usize): v128 {
${[...loads, ...lines.map((l) => `  ${l}`)].join('\n')}
  return ${returns === 'mask' ? mask : result};
}
`;
}

const at = (base, index = 'i') => `${base} + (<usize>${index} << 2)`;

/** Four f32 lanes through an f64x2 lane function: low and high halves, demoted back together. */
const viaF64 = (fn, v4) =>
  `i32x4.shuffle(f32x4.demote_f64x2_zero(${fn}(f64x2.promote_low_f32x4(${v4}), P)), f32x4.demote_f64x2_zero(${fn}(f64x2.promote_low_f32x4(i32x4.shuffle(${v4}, ${v4}, 2, 3, 2, 3)), P)), 0, 1, 4, 5)`;

/** Code for four f32 lanes of forward kind `id` at x vector `v4`, parameters at `P`. */
function forwardApply(id, kind) {
  const fn = `forwardLanes${id}`;
  return precisionOf(kind.expr) === 'f32' ? (v4) => `${fn}(${v4}, P)` : (v4) => viaF64(fn, v4);
}

/** Code for four predicate bits of mask kind `id` at x vector `v4`, parameters at `P`. */
function maskBits(id, kind) {
  const fn = `maskLanes${id}`;
  return precisionOf(kind.predicate) === 'f32'
    ? (v4) => `i32x4.bitmask(${fn}(${v4}, P))`
    : (v4) =>
        `(i64x2.bitmask(${fn}(f64x2.promote_low_f32x4(${v4}), P)) | (i64x2.bitmask(${fn}(f64x2.promote_low_f32x4(i32x4.shuffle(${v4}, ${v4}, 2, 3, 2, 3)), P)) << 2))`;
}

/** Vectors per iteration of the main loops. */
const UNROLL = 4;

/**
 * The main loop over UNROLL vectors at a time: every load, then every computation, then every
 * store (so Y may be X). Independent chains side by side let the CPU overlap them: the
 * polynomial behind exp is a chain of dependent operations, and one vector per iteration left it
 * latency-bound (measured: bSiLU's derivative ran 2.2× faster this way).
 */
function unrolled(load, compute, store) {
  const each = (f) => Array.from({ length: UNROLL }, (_, u) => `    ${f(u)}`).join('\n');
  return `  for (; i + ${UNROLL * 4} <= n; i += ${UNROLL * 4}) {
    const o = <usize>i << 2;
${each(load)}
${each(compute)}
${each(store)}
  }`;
}

function forwardLoop(id, kind) {
  const p = precisionOf(kind.expr);
  const fn = `forwardLanes${id}`;
  const apply = forwardApply(id, kind);
  return `// forward '${kind.name}' (${p} lanes): ${kind.text}
${laneFunction(fn, kind.expr, 'x', kind.params, p, 'value')}
function forward${id}(X: usize, Y: usize, n: i32, P: usize): void {
  let i = 0;
${unrolled(
  (u) => `const x${u} = v128.load(X + o, ${u * 16});`,
  (u) => `const y${u} = ${apply(`x${u}`)};`,
  (u) => `v128.store(Y + o, y${u}, ${u * 16});`,
)}
  for (; i + 4 <= n; i += 4) v128.store(${at('Y')}, ${apply(`v128.load(${at('X')})`)});
  for (; i < n; i++) store<f32>(${at('Y')}, f32x4.extract_lane(${apply(`v128.load32_splat(${at('X')})`)}, 0));
}
`;
}

function maskLoop(id, kind) {
  const p = precisionOf(kind.predicate);
  const fn = `maskLanes${id}`;
  // Four predicate bits from four floats.
  const bits = maskBits(id, kind);
  return `// mask of '${kind.name}' (${p} lanes): ${kind.predicateText}
${laneFunction(fn, kind.predicate, 'x', kind.params, p, 'mask')}
function mask${id}(X: usize, W: usize, n: i32, P: usize): void {
  let i = 0;
  for (; i + 32 <= n; i += 32) {
    let word = 0;
    for (let v = 0; v < 8; v++) word |= ${bits(`v128.load(${at('X', '(i + v * 4)')})`)} << (v * 4);
    store<i32>(W + (<usize>(i >> 5) << 2), word);
  }
  if (i < n) {
    let word = 0;
    for (let b = 0; i < n; i++, b++) word |= (${bits(`v128.load32_splat(${at('X')})`)} & 1) << b;
    store<i32>(W + (<usize>(i >> 5) << 2), word);
  }
}
`;
}

/**
 * y = f(x) and the mask words of a predicate in one pass, for the (forward, mask) pairs the
 * library's entries use: each x vector is loaded once and gives four y lanes and four mask bits.
 * Handles whole 32-element groups and returns how many elements it did (the caller finishes
 * the tail with the separate loops).
 */
function forwardMaskLoop(f, forward, m, mask) {
  const y = forwardApply(f, forward);
  const bits = maskBits(m, mask);
  const vectors = Array.from({ length: 8 }, (_, v) => v);
  const body = vectors
    .map(
      (v) => `    const x${v} = v128.load(X + at, ${v * 16});
    v128.store(Y + at, ${y(`x${v}`).replaceAll(', P)', ', PF)')}, ${v * 16});
    word |= ${bits(`x${v}`).replaceAll(', P)', ', PD)')}${v ? ` << ${v * 4}` : ''};`,
    )
    .join('\n');
  return `// forward '${forward.name}' with the mask of '${mask.name}'
function forwardMask${f}_${m}(X: usize, Y: usize, W: usize, n: i32, PF: usize, PD: usize): i32 {
  let i = 0;
  for (; i + 32 <= n; i += 32) {
    const at = <usize>i << 2;
    let word = 0;
${body}
    store<i32>(W + (<usize>(i >> 5) << 2), word);
  }
  return i;
}
`;
}

function derivativeLoop(id, kind) {
  const p = precisionOf(kind.expr);
  const fn = `derivativeLanes${id}`;
  const v = kind.from;
  // dx = dy · g in the lanes' precision (the reference multiplies in float64).
  const product =
    p === 'f32'
      ? (dy4, s4) => `f32x4.mul(${dy4}, ${fn}(${s4}, P))`
      : (dy4, s4) => {
          const half = (d, s) => `f64x2.mul(f64x2.promote_low_f32x4(${d}), ${fn}(f64x2.promote_low_f32x4(${s}), P))`;
          const hi = (q) => `i32x4.shuffle(${q}, ${q}, 2, 3, 2, 3)`;
          return `i32x4.shuffle(f32x4.demote_f64x2_zero(${half(dy4, s4)}), f32x4.demote_f64x2_zero(${half(hi(dy4), hi(s4))}), 0, 1, 4, 5)`;
        };
  return `// derivative '${kind.name}' from ${v} (${p} lanes): ${kind.text}
${laneFunction(fn, kind.expr, v, kind.params, p, 'value')}
function derivative${id}(DY: usize, S: usize, DX: usize, n: i32, P: usize): void {
  let i = 0;
${unrolled(
  (u) => `const dy${u} = v128.load(DY + o, ${u * 16});
    const s${u} = v128.load(S + o, ${u * 16});`,
  (u) => `const dx${u} = ${product(`dy${u}`, `s${u}`)};`,
  (u) => `v128.store(DX + o, dx${u}, ${u * 16});`,
)}
  for (; i + 4 <= n; i += 4) {
    const dy = v128.load(${at('DY')});
    const s = v128.load(${at('S')});
    v128.store(${at('DX')}, ${product('dy', 's')});
  }
  for (; i < n; i++) {
    const dy = v128.load32_splat(${at('DY')});
    const s = v128.load32_splat(${at('S')});
    store<f32>(${at('DX')}, f32x4.extract_lane(${product('dy', 's')}, 0));
  }
}
`;
}

function dispatch(name, signature, args, ids, call) {
  const cases = ids.map((id) => `    case ${id}: ${call(id, args)}; break;`).join('\n');
  return `export function ${name}(${signature}): void {
  switch (kind) {
${cases}
    default: unreachable();
  }
}
`;
}

const forwards = core.listForwardKinds();
const derivatives = core.listDerivativeKinds();
const fromSaved = derivatives.map((d, id) => ({ d, id })).filter(({ d }) => d.from === 'x' || d.from === 'y');
const fromMask = derivatives.map((d, id) => ({ d, id })).filter(({ d }) => d.from === 'mask');

const forwardIds = new Map(forwards.map((k, id) => [k.name, id]));
const derivativeIds = new Map(derivatives.map((k, id) => [k.name, id]));
const pairs = [
  ...new Map(
    core
      .activationEntries()
      .filter((e) => derivatives[derivativeIds.get(e.derivative)]?.from === 'mask')
      .map((e) => [`${e.forward}/${e.derivative}`, { f: forwardIds.get(e.forward), m: derivativeIds.get(e.derivative) }]),
  ).values(),
];
/** Pair ids in the fused dispatch: forward id · PAIR_STRIDE + mask id. */
const PAIR_STRIDE = 256;

const assembly = `// Generated by scripts/emit-activations.mjs from core's activation table. Do not edit.
// Kind ids index src/generated/activation-kinds.ts. P points at the kind's parameters: f32 from
// byte 0, the same as f64 from byte ${F64_PARAMS}.

import { erfF32x4, expF32x4, log1pF32x4, logF32x4, powF32x4, sigmoidF32x4, signF32x4, tanhF32x4 } from '../simd-math';
import { erfF64x2, expF64x2, log1pF64x2, logF64x2, powF64x2, sigmoidF64x2, signF64x2, tanhF64x2 } from '../simd-math64';

${forwards.map((k, id) => forwardLoop(id, k)).join('\n')}
${fromMask.map(({ d, id }) => maskLoop(id, d)).join('\n')}
${fromSaved.map(({ d, id }) => derivativeLoop(id, d)).join('\n')}
${pairs.map(({ f, m }) => forwardMaskLoop(f, forwards[f], m, derivatives[m])).join('\n')}
/**
 * y = f(x) and mask words in one pass over whole 32-element groups, for the library's
 * (forward, mask) pairs; returns the elements done (0 for other pairs: the caller does the rest).
 */
export function forwardMaskKind(kind: i32, maskKind: i32, X: usize, Y: usize, W: usize, n: i32, PF: usize, PD: usize): i32 {
  switch (kind * ${PAIR_STRIDE} + maskKind) {
${pairs.map(({ f, m }) => `    case ${f * PAIR_STRIDE + m}: return forwardMask${f}_${m}(X, Y, W, n, PF, PD);`).join('\n')}
    default: return 0;
  }
}

/** y = f(x) for forward kind \`kind\`. */
${dispatch(
  'forwardKind',
  'kind: i32, X: usize, Y: usize, n: i32, P: usize',
  'X, Y, n, P',
  forwards.map((_, id) => id),
  (id, a) => `forward${id}(${a})`,
)}
/** Mask words (bit i of word i >> 5 = predicate(x_i)) for mask derivative kind \`kind\`. */
${dispatch(
  'maskKind',
  'kind: i32, X: usize, W: usize, n: i32, P: usize',
  'X, W, n, P',
  fromMask.map(({ id }) => id),
  (id, a) => `mask${id}(${a})`,
)}
/** dx = dy · g(saved) for a derivative kind reading x or y. */
${dispatch(
  'derivativeKind',
  'kind: i32, DY: usize, S: usize, DX: usize, n: i32, P: usize',
  'DY, S, DX, n, P',
  fromSaved.map(({ id }) => id),
  (id, a) => `derivative${id}(${a})`,
)}`;

const kindIndex = {
  forward: Object.fromEntries(forwards.map((k, id) => [k.name, { id, text: k.text, params: k.params }])),
  derivative: Object.fromEntries(
    derivatives.map((k, id) => [k.name, { id, from: k.from, text: k.text, predicate: k.predicateText ?? null, params: k.params }]),
  ),
};

const host = `// Generated by scripts/emit-activations.mjs from core's activation table. Do not edit.
// The kinds compiled into the wasm kernels, with the expression text each was compiled from: a
// kind registered (or re-registered) in core after the build runs on the JavaScript fallback.

/** A forward kind compiled into the kernels. */
export interface CompiledForwardKind {
  /** Its id in the kernels' forward dispatch. */
  readonly id: number;
  /** The expression text it was compiled from. */
  readonly text: string;
  /** Its parameters, in the order the kernels read them. */
  readonly params: readonly string[];
}

/** A derivative kind compiled into the kernels. */
export interface CompiledDerivativeKind extends CompiledForwardKind {
  /** What it reads: 'x', 'y', 'mask' or 'none'. */
  readonly from: string;
  /** For mask kinds, the predicate text the mask was compiled from; otherwise null. */
  readonly predicate: string | null;
}

/** Every kind compiled into the kernels, by name. */
export interface CompiledKinds {
  /** Forward kinds by name. */
  readonly forward: Readonly<Record<string, CompiledForwardKind>>;
  /** Derivative kinds by name. */
  readonly derivative: Readonly<Record<string, CompiledDerivativeKind>>;
}

/** The kinds the kernels were built with; others run on the JavaScript fallback. */
export const COMPILED_KINDS: CompiledKinds = ${JSON.stringify(kindIndex, null, 2).replace(/"/g, "'")};
`;

mkdirSync(join(root, 'assembly', 'generated'), { recursive: true });
mkdirSync(join(root, 'src', 'generated'), { recursive: true });
writeFileSync(join(root, 'assembly', 'generated', 'activations.ts'), assembly);
writeFileSync(join(root, 'src', 'generated', 'activation-kinds.ts'), host);
console.log(`backend-wasm: emitted ${forwards.length} forward and ${derivatives.length} derivative activation kinds`);

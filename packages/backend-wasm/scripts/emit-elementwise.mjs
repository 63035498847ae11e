/**
 * The elementwise emitter: turns every row of core's elementwise table
 * (packages/core/src/elementwise/table.ts) into the `Unary` and `Binary` kernels' AssemblyScript,
 * written to assembly/generated/elementwise.ts, and the host's op codes (the rows' order) to
 * src/generated/elementwise-ops.ts. Run by scripts/build-wasm.mjs before compiling; reads core's
 * built dist. No op is spelled here: float32 rows go through the SIMD lanes of lanes.mjs (the
 * same code as the activation kinds), int32 and bool rows through the integer spelling below.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { emitVector, precisionOf } from './lanes.mjs';
import { walkRows } from './walk-rows.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const core = await import('@surrograd/core');
if (!core.UNARY_TABLE || !core.BINARY_TABLE) {
  throw new Error("emit-elementwise: @surrograd/core's build has no elementwise table (UNARY_TABLE); rebuild core");
}

const unaryOps = Object.keys(core.UNARY_TABLE);
const binaryOps = Object.keys(core.BINARY_TABLE);

// ---- integers: int32 arithmetic as the cpu's typed arrays store it (wrapping; float math truncated) ----

/** Operations on i32x4 lanes, where an expression uses only these (neg, abs, +, -, *, max, min). */
const I32X4_UNARY = { neg: 'i32x4.neg', abs: 'i32x4.abs' };
const I32X4_BINARY = { add: 'i32x4.add', sub: 'i32x4.sub', mul: 'i32x4.mul', max: 'i32x4.max_s', min: 'i32x4.min_s' };
function isVectorInt(e) {
  if (e.op === 'var') return true;
  if (e.op in I32X4_UNARY) return isVectorInt(e.arg);
  if (e.op in I32X4_BINARY) return isVectorInt(e.a) && isVectorInt(e.b);
  return false;
}

/** An i32x4 expression (only for isVectorInt expressions). */
function vectorInt(e) {
  if (e.op === 'var') return e.name;
  if (e.op in I32X4_UNARY) return `${I32X4_UNARY[e.op]}(${vectorInt(e.arg)})`;
  return `${I32X4_BINARY[e.op]}(${vectorInt(e.a)}, ${vectorInt(e.b)})`;
}

/**
 * An i32 expression for a row that keeps integers ('keep', 'bool'): comparisons give 1 or 0;
 * division and pow compute in f64 and wrap as a typed array store. A float primitive here is an
 * error: such a row is 'float', and the host casts its integer inputs to float32.
 */
function scalarInt(e, op) {
  const f64 = (x) => `<f64>${scalarInt(x, op)}`;
  switch (e.op) {
    case 'num':
      return Number.isInteger(e.value) && Math.abs(e.value) < 2 ** 31 ? `<i32>(${e.value})` : `toInt32(<f64>(${e.value}))`;
    case 'var':
      return e.name;
    case 'neg':
      return `(-${scalarInt(e.arg, op)})`;
    case 'abs':
      return `abs<i32>(${scalarInt(e.arg, op)})`;
    case 'sign':
      return `(<i32>(${scalarInt(e.arg, op)} > 0) - <i32>(${scalarInt(e.arg, op)} < 0))`;
    case 'floor':
    case 'round':
      return scalarInt(e.arg, op);
    case 'not':
      return `<i32>(${scalarInt(e.arg, op)} == 0)`;
    case 'select':
      return `select<i32>(${scalarInt(e.a, op)}, ${scalarInt(e.b, op)}, ${scalarInt(e.cond, op)} != 0)`;
    case 'add':
      return `(${scalarInt(e.a, op)} + ${scalarInt(e.b, op)})`;
    case 'sub':
      return `(${scalarInt(e.a, op)} - ${scalarInt(e.b, op)})`;
    case 'mul':
      return `(${scalarInt(e.a, op)} * ${scalarInt(e.b, op)})`;
    case 'max':
    case 'min':
      return `${e.op}<i32>(${scalarInt(e.a, op)}, ${scalarInt(e.b, op)})`;
    case 'div':
      return `toInt32(${f64(e.a)} / ${f64(e.b)})`;
    case 'pow':
      return `toInt32(ieeePow(${f64(e.a)}, ${f64(e.b)}))`;
    case 'gt':
    case 'ge':
    case 'lt':
    case 'le':
    case 'eq':
    case 'ne': {
      const sym = { gt: '>', ge: '>=', lt: '<', le: '<=', eq: '==', ne: '!=' }[e.op];
      return `<i32>(${scalarInt(e.a, op)} ${sym} ${scalarInt(e.b, op)})`;
    }
    case 'and':
    case 'or':
      return `<i32>((${scalarInt(e.a, op)} != 0) ${e.op === 'and' ? '&&' : '||'} (${scalarInt(e.b, op)} != 0))`;
    default:
      throw new Error(
        `emit-elementwise: row '${op}' keeps integers but uses '${e.op}', which has no integer meaning; make its dtypes 'float'`,
      );
  }
}

// ---- float32 lanes ----

const at = (base, index = 'i') => `${base} + (<usize>${index} << 2)`;

/** An @inline lane function of the row's variables, in the lanes' precision. */
function laneFunction(name, expr, variables, p) {
  const vars = Object.fromEntries(variables.map((v) => [v, [v, 'float']]));
  const { lines, result } = emitVector(expr, vars, p);
  return `@inline function ${name}(${variables.map((v) => `${v}: v128`).join(', ')}): v128 {
${lines.map((l) => `  ${l}`).join('\n')}
  return ${result};
}
`;
}

/** Four f32 lanes of `fn` (of f32 or f64 lanes) applied to f32x4 arguments. */
function applyF32x4(fn, p, args) {
  if (p === 'f32') return `${fn}(${args.join(', ')})`;
  const lo = args.map((a) => `f64x2.promote_low_f32x4(${a})`);
  const hi = args.map((a) => `f64x2.promote_low_f32x4(i32x4.shuffle(${a}, ${a}, 2, 3, 2, 3))`);
  return `i32x4.shuffle(f32x4.demote_f64x2_zero(${fn}(${lo.join(', ')})), f32x4.demote_f64x2_zero(${fn}(${hi.join(', ')})), 0, 1, 4, 5)`;
}

/** Whether an expression has an integer meaning (scalarInt can spell it). */
function hasIntForm(e, op) {
  try {
    scalarInt(e, op);
    return true;
  } catch {
    return false;
  }
}

/**
 * The dtypes a row's kernels take: float32 unless the row is logical; int32 and bool where the
 * row keeps its dtype or its expression has an integer meaning (div: truncating, x / 0 = 0, as a
 * typed array stores it), bool always for a logical row. The host casts other inputs.
 */
function variantsOf(row, e, op) {
  const int = row.dtypes !== 'float' || hasIntForm(e, op);
  return { F32: row.dtypes !== 'bool', I32: row.dtypes !== 'bool' && int, U8: int };
}

function unaryRow(op, id) {
  const e = core.unaryForward(op);
  const p = precisionOf(e);
  const lanes = `unaryLanes${id}`;
  const apply = (v4) => applyF32x4(lanes, p, [v4]);
  const intVector = isVectorInt(e)
    ? `  for (; i + 4 <= n; i += 4) { const x = v128.load(${at('X')}); v128.store(${at('Y')}, ${vectorInt(e)}); }\n`
    : '';
  const has = variantsOf(core.UNARY_TABLE[op], e, op);
  const f32 = `${laneFunction(lanes, e, ['x'], p)}
function unaryF32_${id}(X: usize, Y: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(${at('Y')}, ${apply(`v128.load(${at('X')})`)});
  for (; i < n; i++) store<f32>(${at('Y')}, f32x4.extract_lane(${apply(`v128.load32_splat(${at('X')})`)}, 0));
}
`;
  const i32 = () => `function unaryI32_${id}(X: usize, Y: usize, n: i32): void {
  let i = 0;
${intVector}  for (; i < n; i++) { const x = load<i32>(${at('X')}); store<i32>(${at('Y')}, ${scalarInt(e, op)}); }
}
`;
  const u8 = () => `function unaryU8_${id}(X: usize, Y: usize, n: i32): void {
  for (let i = 0; i < n; i++) { const x = <i32>load<u8>(X + i); store<u8>(Y + i, <u8>(${scalarInt(e, op)})); }
}
`;
  return `// ${op} = ${core.UNARY_TABLE[op].forward} (${p} lanes)
${has.F32 ? f32 : ''}${has.I32 ? i32() : ''}${has.U8 ? u8() : ''}`;
}

/**
 * A binary row walks the broadcast plan's rows (rows.ts); within a row each operand advances one
 * element (step 1) or stays in its splat slot (step 0), so the vector loop reads 4 lanes either way.
 */
function binaryRow(op, id) {
  const e = core.binaryForward(op);
  const p = precisionOf(e);
  const lanes = `binaryLanes${id}`;
  const apply = (a4, b4) => applyF32x4(lanes, p, [a4, b4]);
  const intVector = isVectorInt(e)
    ? `    for (; i + 4 <= n; i += 4) { const a = v128.load(pa); const b = v128.load(pb); v128.store(out, ${vectorInt(e)}); pa += va; pb += vb; out += 16; }\n`
    : '';
  const has = variantsOf(core.BINARY_TABLE[op], e, op);
  const f32 = `${laneFunction(lanes, e, ['a', 'b'], p)}
${walkRows(
  `binaryF32_${id}`,
  4,
  `    // Two vectors an iteration: measured faster on row broadcasts than one.
    for (; i + 8 <= n; i += 8) {
      const r0 = ${apply('v128.load(pa)', 'v128.load(pb)')};
      const r1 = ${apply('v128.load(pa + va)', 'v128.load(pb + vb)')};
      v128.store(out, r0);
      v128.store(out, r1, 16);
      pa += va << 1;
      pb += vb << 1;
      out += 32;
    }
    for (; i + 4 <= n; i += 4) {
      v128.store(out, ${apply('v128.load(pa)', 'v128.load(pb)')});
      pa += va;
      pb += vb;
      out += 16;
    }
    for (; i < n; i++) {
      store<f32>(out, f32x4.extract_lane(${apply('v128.load32_splat(pa)', 'v128.load32_splat(pb)')}, 0));
      pa += ea;
      pb += eb;
      out += 4;
    }`,
)}`;
  // The same op on one contiguous run, no plan and no splat slot: each operand streams (step 1)
  // or is one element, splatted into a register (step 0). It reads no static memory, so threads
  // can run slices of one call at once.
  const run = `function binaryRunF32_${id}(out: usize, A: usize, sa: i32, B: usize, sb: i32, n: i32): void {
  let i = 0;
  // One vector loop per case, the operands' steps decided before it: a load chosen inside the loop
  // ran 2.5× slower than these (0.66 against 0.25 ns an element on 32K floats).
  if (sa && sb) {
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      v128.store(out + o, ${apply('v128.load(A + o)', 'v128.load(B + o)')});
    }
  } else if (sb) {
    const av = v128.load32_splat(A);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      v128.store(out + o, ${apply('av', 'v128.load(B + o)')});
    }
  } else if (sa) {
    const bv = v128.load32_splat(B);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      v128.store(out + o, ${apply('v128.load(A + o)', 'bv')});
    }
  } else {
    const r = ${apply('v128.load32_splat(A)', 'v128.load32_splat(B)')};
    for (; i + 4 <= n; i += 4) v128.store(out + (<usize>i << 2), r);
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(out + o, f32x4.extract_lane(${apply('v128.load32_splat(A + (<usize>(i * sa) << 2))', 'v128.load32_splat(B + (<usize>(i * sb) << 2))')}, 0));
  }
}
`;
  const i32 = () =>
    walkRows(
      `binaryI32_${id}`,
      4,
      `${intVector}    for (; i < n; i++) { const a = load<i32>(pa); const b = load<i32>(pb); store<i32>(out, ${scalarInt(e, op)}); pa += ea; pb += eb; out += 4; }`,
    );
  const u8 = () =>
    walkRows(
      `binaryU8_${id}`,
      1,
      `    for (; i < n; i++) { const a = <i32>load<u8>(pa); const b = <i32>load<u8>(pb); store<u8>(out, <u8>(${scalarInt(e, op)})); pa += ea; pb += eb; out += 1; }`,
    );
  return `// ${op} = ${core.BINARY_TABLE[op].forward} (${p} lanes)
${has.F32 ? f32 + run : ''}${has.I32 ? i32() : ''}${has.U8 ? u8() : ''}`;
}

function dispatch(name, signature, args, ids, fn, suffix = '') {
  const cases = ids.map((id) => `    case ${id}: ${fn}_${id}${suffix}(${args}); break;`).join('\n');
  return `export function ${name}(${signature}): void {
  switch (op) {
${cases}
    default: unreachable();
  }
}
`;
}

/** The ids of the rows that have kernels for `variant` (F32, I32, U8). */
const unaryVariants = unaryOps.map((op) => variantsOf(core.UNARY_TABLE[op], core.unaryForward(op), op));
const binaryVariants = binaryOps.map((op) => variantsOf(core.BINARY_TABLE[op], core.binaryForward(op), op));
const unaryIds = (variant) => unaryOps.map((_, id) => id).filter((id) => unaryVariants[id][variant]);
const binaryIds = (variant) => binaryOps.map((_, id) => id).filter((id) => binaryVariants[id][variant]);
const DTYPE_OF_VARIANT = { F32: 'float32', I32: 'int32', U8: 'bool' };
const dtypesOf = (ops, variants) =>
  Object.fromEntries(
    ops.map((op, id) => [
      op,
      Object.keys(DTYPE_OF_VARIANT)
        .filter((v) => variants[id][v])
        .map((v) => DTYPE_OF_VARIANT[v]),
    ]),
  );

const assembly = `// Generated by scripts/emit-elementwise.mjs from core's elementwise table. Do not edit.
// Op codes are the rows' order: src/generated/elementwise-ops.ts, which also lists the dtypes
// each row has kernels for; the host casts other inputs to one of them.

import { toInt32 } from '../convert';
import { erf } from '../erf';
import { ieeePow } from '../pow';
import { beginRows, beginRowsAt, nextRow, off0, off1, rowLength, ROW_SLOTS, rowStride, seekRow, splatSource4 } from '../rows';
import { SPLAT } from '../scratch';
import { erfF32x4, expF32x4, log1pF32x4, logF32x4, powF32x4, sigmoidF32x4, signF32x4, tanhF32x4 } from '../simd-math';
import { erfF64x2, expF64x2, log1pF64x2, logF64x2, powF64x2, sigmoidF64x2, signF64x2, tanhF64x2 } from '../simd-math64';

const SPLAT_A = SPLAT;
const SPLAT_B = SPLAT + 16;

/** Byte address of an operand's row of 4-byte elements: its own data, or its filled splat slot. */
@inline function rowSource4(base: usize, off: isize, step: usize, slot: usize): usize {
  return splatSource4(base + (<usize>off << 2), step, slot);
}

${unaryOps.map(unaryRow).join('\n')}
${binaryOps.map(binaryRow).join('\n')}
/** float32 y = op(x). */
${dispatch('unaryF32', 'op: i32, X: usize, Y: usize, n: i32', 'X, Y, n', unaryIds('F32'), 'unaryF32')}
/** int32 y = op(x), with integer meaning. */
${dispatch('unaryI32', 'op: i32, X: usize, Y: usize, n: i32', 'X, Y, n', unaryIds('I32'), 'unaryI32')}
/** bool (bytes) y = op(x) computed in int32, stored modulo 256 as a Uint8Array would. */
${dispatch('unaryU8', 'op: i32, X: usize, Y: usize, n: i32', 'X, Y, n', unaryIds('U8'), 'unaryU8')}
/** float32 out = a op b over one contiguous run; sa, sb: 1 where the operand streams, 0 where it is one element. */
${dispatch('binaryRunF32', 'op: i32, out: usize, A: usize, sa: i32, B: usize, sb: i32, n: i32', 'out, A, sa, B, sb, n', binaryIds('F32'), 'binaryRunF32')}
/** float32 out = a op b over rows [first, first + count) of the plan in the scratch block (count −1: all), out at row first's output; area: the thread's own walking area (ROW_AREA_BYTES), 0 for the static one. */
${dispatch('binaryRowsF32', 'op: i32, out: usize, A: usize, B: usize, first: i32, count: i32, area: usize', 'out, A, B, first, count, area', binaryIds('F32'), 'binaryF32', 'Rows')}
/** int32 out = a op b, broadcast. */
${dispatch('binaryI32', 'op: i32, out: usize, A: usize, B: usize', 'out, A, B', binaryIds('I32'), 'binaryI32')}
/** bool (bytes) out = a op b computed in int32, stored modulo 256. */
${dispatch('binaryU8', 'op: i32, out: usize, A: usize, B: usize', 'out, A, B', binaryIds('U8'), 'binaryU8')}`;

const host = `// Generated by scripts/emit-elementwise.mjs from core's elementwise table. Do not edit.
// The op codes the Unary and Binary kernels were compiled with (the table rows' order).

/** The \`Unary\` kernel's op codes. */
export const UNARY_OPS: Readonly<Record<string, number>> = ${JSON.stringify(Object.fromEntries(unaryOps.map((op, id) => [op, id])), null, 2).replace(/"/g, "'")};

/** The \`Binary\` kernel's op codes. */
export const BINARY_OPS: Readonly<Record<string, number>> = ${JSON.stringify(Object.fromEntries(binaryOps.map((op, id) => [op, id])), null, 2).replace(/"/g, "'")};

/** The dtypes each unary row has kernels for (float32 first); the host casts other inputs. */
export const UNARY_DTYPES: Readonly<Record<string, readonly ('float32' | 'int32' | 'bool')[]>> = ${JSON.stringify(dtypesOf(unaryOps, unaryVariants)).replace(/"/g, "'")};

/** The dtypes each binary row has kernels for. */
export const BINARY_DTYPES: Readonly<Record<string, readonly ('float32' | 'int32' | 'bool')[]>> = ${JSON.stringify(dtypesOf(binaryOps, binaryVariants)).replace(/"/g, "'")};
`;

mkdirSync(join(root, 'assembly', 'generated'), { recursive: true });
mkdirSync(join(root, 'src', 'generated'), { recursive: true });
writeFileSync(join(root, 'assembly', 'generated', 'elementwise.ts'), assembly);
writeFileSync(join(root, 'src', 'generated', 'elementwise-ops.ts'), host);
console.log(`backend-wasm: emitted ${unaryOps.length} unary and ${binaryOps.length} binary elementwise ops`);

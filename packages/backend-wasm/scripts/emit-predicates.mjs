/**
 * The predicate emitter: turns the rows of core's COMPARE_TABLE and LOGICAL_TABLE (bool results,
 * packages/core/src/elementwise/table.ts) into the `Compare` and `Logical` kernels' AssemblyScript
 * (assembly/generated/predicates.ts) and the host's op codes (src/generated/predicate-ops.ts).
 * Run by scripts/build-wasm.mjs. Each row becomes a lane-mask function: float32 operands through
 * the SIMD lanes of lanes.mjs, int32 and bool operands through the integer lane spelling below;
 * sixteen results a step, the masks narrowed to bytes and masked to 1 (logical rows on bool bytes
 * are bit operations where they can be).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { emitVector } from './lanes.mjs';
import { walkRows } from './walk-rows.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const core = await import('@surrograd/core');
if (!core.COMPARE_TABLE || !core.LOGICAL_TABLE) {
  throw new Error("emit-predicates: @surrograd/core's build has no COMPARE_TABLE; rebuild core");
}
const compareOps = Object.keys(core.COMPARE_TABLE);
const logicalOps = Object.keys(core.LOGICAL_TABLE);

// ---- integer lanes: int32 as i32x4 (signed), bool bytes as i8x16 (0/1, unsigned) ----

const INT_LANES = {
  i32: { lt: 'i32x4.lt_s', le: 'i32x4.le_s', gt: 'i32x4.gt_s', ge: 'i32x4.ge_s', eq: 'i32x4.eq', ne: 'i32x4.ne', zero: 'i32x4.splat(0)' },
  u8: { lt: 'i8x16.lt_u', le: 'i8x16.le_u', gt: 'i8x16.gt_u', ge: 'i8x16.ge_u', eq: 'i8x16.eq', ne: 'i8x16.ne', zero: 'i8x16.splat(0)' },
};

/** The lane mask of a predicate over integer lanes: comparisons of variables, and/or/not of those. */
function intMask(e, lanes, op) {
  const value = (x) => {
    if (x.op === 'var') return x.name;
    throw new Error(`emit-predicates: row '${op}' compares '${x.op}'; integer lanes compare variables only`);
  };
  const mask = (x) => {
    if (x.op === 'var') return `${lanes.ne}(${x.name}, ${lanes.zero})`;
    if (x.op in lanes && x.op !== 'zero') return `${lanes[x.op]}(${value(x.a)}, ${value(x.b)})`;
    if (x.op === 'and' || x.op === 'or') return `v128.${x.op}(${mask(x.a)}, ${mask(x.b)})`;
    if (x.op === 'not') return `v128.not(${mask(x.arg)})`;
    throw new Error(`emit-predicates: row '${op}' uses '${x.op}', which has no integer lane form`);
  };
  return mask(e);
}

/**
 * The same on bool bytes as 0/1 values, where bit operations give it directly (and, or, xor as
 * `!=`, `==`): one instruction instead of two compares and an and. null where they do not.
 */
function boolBits(e) {
  const bits = (x) => {
    if (x.op === 'var') return x.name;
    const [a, b] = x.a && x.b ? [bits(x.a), bits(x.b)] : [null, null];
    if (a === null || b === null) return null;
    if (x.op === 'and' || x.op === 'or') return `v128.${x.op}(${a}, ${b})`;
    if (x.op === 'ne') return `v128.xor(${a}, ${b})`;
    if (x.op === 'eq') return `v128.xor(v128.xor(${a}, ${b}), i8x16.splat(1))`;
    return null;
  };
  return bits(e);
}

function maskFunction(name, body) {
  return `@inline function ${name}(a: v128, b: v128): v128 {
${body}
}
`;
}

/** The float32 lane mask of a row, from the shared lane spelling. */
function f32Mask(name, e) {
  const { lines, mask } = emitVector(e, { a: ['a', 'float'], b: ['b', 'float'] }, 'f32');
  return maskFunction(name, [...lines.map((l) => `  ${l}`), `  return ${mask};`].join('\n'));
}

/** Operands of 4-byte elements → bytes 0/1: four lane masks narrowed to sixteen bytes a step. */
function rows4(name, mask) {
  return walkRows(
    name,
    4,
    `    for (; i + 16 <= n; i += 16) {
      const m0 = ${mask}(v128.load(pa), v128.load(pb));
      const m1 = ${mask}(v128.load(pa + va), v128.load(pb + vb));
      const m2 = ${mask}(v128.load(pa + 2 * va), v128.load(pb + 2 * vb));
      const m3 = ${mask}(v128.load(pa + 3 * va), v128.load(pb + 3 * vb));
      const bytes = i8x16.narrow_i16x8_s(i16x8.narrow_i32x4_s(m0, m1), i16x8.narrow_i32x4_s(m2, m3));
      v128.store(out, v128.and(bytes, i8x16.splat(1)));
      pa += va << 2;
      pb += vb << 2;
      out += 16;
    }
    for (; i < n; i++) {
      store<u8>(out, <u8>(i32x4.extract_lane(${mask}(v128.load32_splat(pa), v128.load32_splat(pb)), 0) & 1));
      pa += ea;
      pb += eb;
      out += 1;
    }`,
  );
}

/** Bool byte operands → bytes 0/1, sixteen a step. */
function rows1(name, mask) {
  return walkRows(
    name,
    1,
    `    for (; i + 16 <= n; i += 16) {
      v128.store(out, v128.and(${mask}(v128.load(pa), v128.load(pb)), i8x16.splat(1)));
      pa += va;
      pb += vb;
      out += 16;
    }
    for (; i < n; i++) {
      store<u8>(out, <u8>(i8x16.extract_lane_u(${mask}(i8x16.splat(load<u8>(pa)), i8x16.splat(load<u8>(pb))), 0) & 1));
      pa += ea;
      pb += eb;
      out += 1;
    }`,
    true,
  );
}

function compareRow(op, id) {
  const e = core.compareForward(op);
  return `// ${op} = ${core.COMPARE_TABLE[op].forward}
${f32Mask(`compareMaskF32_${id}`, e)}${maskFunction(`compareMaskI32_${id}`, `  return ${intMask(e, INT_LANES.i32, op)};`)}${maskFunction(
  `compareMaskU8_${id}`,
  `  return ${intMask(e, INT_LANES.u8, op)};`,
)}${rows4(`compareF32_${id}`, `compareMaskF32_${id}`)}${rows4(`compareI32_${id}`, `compareMaskI32_${id}`)}${rows1(`compareU8_${id}`, `compareMaskU8_${id}`)}`;
}

function logicalRow(op, id) {
  const e = core.logicalForward(op);
  return `// ${op} = ${core.LOGICAL_TABLE[op].forward}
${maskFunction(`logicalMask_${id}`, `  return ${boolBits(e) ?? intMask(e, INT_LANES.u8, op)};`)}${rows1(`logicalU8_${id}`, `logicalMask_${id}`)}`;
}

function dispatch(name, ops, fn) {
  const cases = ops.map((_, id) => `    case ${id}: ${fn}_${id}(out, A, B); break;`).join('\n');
  return `function ${name}(op: i32, out: usize, A: usize, B: usize): void {
  switch (op) {
${cases}
    default: unreachable();
  }
}
`;
}

/** As dispatch, to the kernels' \`…Rows\` forms (walkRows): a run of the plan's rows in a thread's own area. */
function dispatchRows(name, ops, fn) {
  const cases = ops.map((_, id) => `    case ${id}: ${fn}_${id}Rows(out, A, B, first, count, area); break;`).join('\n');
  return `function ${name}(op: i32, out: usize, A: usize, B: usize, first: i32, count: i32, area: usize): void {
  switch (op) {
${cases}
    default: unreachable();
  }
}
`;
}

const codes = (ops) => JSON.stringify(Object.fromEntries(ops.map((op, id) => [op, id])), null, 2).replace(/"/g, "'");

const assembly = `// Generated by scripts/emit-predicates.mjs from core's COMPARE_TABLE and LOGICAL_TABLE. Do not edit.
// Op codes are the rows' order: src/generated/predicate-ops.ts.

import { beginRows, beginRowsAt, nextRow, off0, off1, rowLength, ROW_SLOTS, rowStride, seekRow, splatSource1, splatSource4 } from '../rows';
import { SPLAT } from '../scratch';

const SPLAT_A = SPLAT;
const SPLAT_B = SPLAT + 16;

@inline function rowSource4(base: usize, off: isize, step: usize, slot: usize): usize {
  return splatSource4(base + (<usize>off << 2), step, slot);
}

${compareOps.map(compareRow).join('\n')}
${logicalOps.map(logicalRow).join('\n')}

${dispatchRows('compareRowsF32', compareOps, 'compareF32')}
${dispatchRows('compareRowsI32', compareOps, 'compareI32')}
${dispatchRows('compareRowsU8', compareOps, 'compareU8')}
/** bool (bytes) out = a op b over rows [first, first + count) of the plan in the scratch block (count −1: all), out at row first's output; dtype 0 float32, 1 int32, 2 bool; area: the thread's own walking area (ROW_AREA_BYTES), 0 for the static one. */
export function compareRows(op: i32, dtype: i32, out: usize, A: usize, B: usize, first: i32, count: i32, area: usize): void {
  if (dtype == 0) compareRowsF32(op, out, A, B, first, count, area);
  else if (dtype == 1) compareRowsI32(op, out, A, B, first, count, area);
  else compareRowsU8(op, out, A, B, first, count, area);
}

/** bool out = a op b on bool bytes (0/1), broadcast. */
export ${dispatch('logical', logicalOps, 'logicalU8')}`;

const host = `// Generated by scripts/emit-predicates.mjs from core's COMPARE_TABLE and LOGICAL_TABLE. Do not edit.

/** The \`Compare\` kernel's op codes (the rows' order). */
export const COMPARE_OPS: Readonly<Record<string, number>> = ${codes(compareOps)};

/** The \`Logical\` kernel's op codes. */
export const LOGICAL_OPS: Readonly<Record<string, number>> = ${codes(logicalOps)};
`;

mkdirSync(join(root, 'assembly', 'generated'), { recursive: true });
mkdirSync(join(root, 'src', 'generated'), { recursive: true });
writeFileSync(join(root, 'assembly', 'generated', 'predicates.ts'), assembly);
writeFileSync(join(root, 'src', 'generated', 'predicate-ops.ts'), host);
console.log(`backend-wasm: emitted ${compareOps.length} comparisons and ${logicalOps.length} logical ops`);

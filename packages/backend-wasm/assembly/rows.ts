import { SCRATCH } from './scratch';

// Walks the rows of a broadcast or reduction plan: the host writes, from word 0 of the scratch
// block, [rank, dims[rank], strides of operand 0 [rank], strides of operand 1 [rank], ...] in
// elements. The last dim is the row, walked by the kernel; this odometer walks the others.

const MAX_RANK = 32;
const INDEX: usize = memory.data(MAX_RANK * 4, 16);

/** Bytes of a walking area's splat slots: three of 16 bytes, one per operand. */
export const ROW_SLOTS: usize = 48;

/**
 * Bytes of a thread's own walking area: the splat slots, then the odometer's position.
 * Static memory is shared by every thread's instance, so threads walking one plan at once (each
 * over its own rows) each pass an area the host allocated; the plan itself is only read.
 */
export const ROW_AREA_BYTES: usize = ROW_SLOTS + MAX_RANK * 4;

/** ROW_AREA_BYTES, for the host. */
export function rowAreaBytes(): usize {
  return ROW_AREA_BYTES;
}

/** Where the odometer keeps its position: INDEX, or the area of the walk under way. */
let index: usize = INDEX;

let rank: i32 = 0;
let operands: i32 = 0;
/** Element offsets of the current row's start, per operand. */
export let off0: isize = 0;
export let off1: isize = 0;
export let off2: isize = 0;

@inline function dim(d: i32): i32 {
  return load<i32>(SCRATCH + (<usize>(1 + d) << 2));
}

@inline function stride(k: i32, d: i32): isize {
  return <isize>load<i32>(SCRATCH + (<usize>(1 + rank + k * rank + d) << 2));
}

/** Length of each row (the last dim). */
export function rowLength(): i32 {
  return dim(rank - 1);
}

/** Inner (row) stride of operand k, in elements: 0 or 1 for broadcast plans. */
export function rowStride(k: i32): isize {
  return stride(k, rank - 1);
}

/** Starts a walk over `ops` operands; returns the number of rows. */
export function beginRows(ops: i32): i32 {
  return beginRowsAt(ops, INDEX);
}

/** As beginRows, keeping the odometer's position at `at` (MAX_RANK words). */
export function beginRowsAt(ops: i32, at: usize): i32 {
  index = at;
  rank = load<i32>(SCRATCH);
  operands = ops;
  off0 = 0;
  off1 = 0;
  off2 = 0;
  let rows = 1;
  for (let d = 0; d < rank - 1; d++) {
    store<i32>(index + (<usize>d << 2), 0);
    rows *= dim(d);
  }
  return rows;
}

/** Moves the odometer (after beginRows) straight to row r: the first row of a thread's share. */
export function seekRow(r: i32): void {
  off0 = 0;
  off1 = 0;
  off2 = 0;
  for (let d = rank - 2; d >= 0; d--) {
    const n = dim(d);
    const i = r % n;
    r /= n;
    store<i32>(index + (<usize>d << 2), i);
    off0 += stride(0, d) * <isize>i;
    if (operands > 1) off1 += stride(1, d) * <isize>i;
    if (operands > 2) off2 += stride(2, d) * <isize>i;
  }
}

/** Moves the offsets to the next row. */
export function nextRow(): void {
  for (let d = rank - 2; d >= 0; d--) {
    const at = index + (<usize>d << 2);
    const i = load<i32>(at) + 1;
    const n = dim(d);
    if (i < n) {
      store<i32>(at, i);
      off0 += stride(0, d);
      if (operands > 1) off1 += stride(1, d);
      if (operands > 2) off2 += stride(2, d);
      return;
    }
    store<i32>(at, 0);
    const back = <isize>(n - 1);
    off0 -= stride(0, d) * back;
    if (operands > 1) off1 -= stride(1, d) * back;
    if (operands > 2) off2 -= stride(2, d) * back;
  }
}

/**
 * Where to read a row of 4-byte elements at `at`: there when the operand streams (step ≠ 0), else
 * `slot` filled with the broadcast value in every lane, read with a step of 0.
 */
@inline export function splatSource4(at: usize, step: usize, slot: usize): usize {
  if (step) return at;
  v128.store(slot, v128.load32_splat(at));
  return slot;
}

/** As {@link splatSource4}, for 1-byte elements (bool). */
@inline export function splatSource1(at: usize, step: usize, slot: usize): usize {
  if (step) return at;
  v128.store(slot, v128.load8_splat(at));
  return slot;
}

/** The row walk every generated binary-shaped kernel shares (emit-elementwise.mjs, emit-predicates.mjs). */

/**
 * A kernel over the broadcast plan's rows (rows.ts): `body` handles one row of n elements from
 * pa and pb (operands of `bytes`-byte elements; a broadcast 4-byte operand reads its splat slot)
 * into out, starting at i = 0. A 1-byte operand reads its splat slot too where `splatBytes` (for
 * 16-byte vector loops). The generated file must define SPLAT_A, SPLAT_B and rowSource4, and
 * import beginRows, beginRowsAt, seekRow and ROW_SLOTS. Each kernel comes with a `…Rows` form that walks a
 * range of rows in its own area, so threads can share one plan.
 */
export function walkRows(name, bytes, body, splatBytes = false) {
  const source = (base, off, step, slot) =>
    bytes === 4
      ? `rowSource4(${base}, ${off}, ${step}, ${slot})`
      : splatBytes
        ? `splatSource1(${base} + <usize>${off}, ${step}, ${slot})`
        : `${base} + <usize>${off}`;
  return `function ${name}(out: usize, A: usize, B: usize): void {
  ${name}Rows(out, A, B, 0, -1, 0);
}

/**
 * Rows [first, first + count) of the plan (count −1: all) into out, which points at row first's
 * output; area: this thread's own splat slots and odometer (ROW_AREA_BYTES; 0: the static ones).
 */
function ${name}Rows(out: usize, A: usize, B: usize, first: i32, count: i32, area: usize): void {
  const all = area ? beginRowsAt(2, area + ROW_SLOTS) : beginRows(2);
  const rows = count < 0 ? all : count;
  if (first) seekRow(first);
  const SLOT_A = area ? area : SPLAT_A;
  const SLOT_B = area ? area + 16 : SPLAT_B;
  const n = rowLength();
  const sa = <usize>rowStride(0);
  const sb = <usize>rowStride(1);
  // Byte steps of one vector (va, vb) and one element (ea, eb), hoisted out of the loops.
  const va = sa << 4;
  const vb = sb << 4;
  const ea = sa << ${bytes === 4 ? 2 : 0};
  const eb = sb << ${bytes === 4 ? 2 : 0};
  for (let r = 0; r < rows; r++) {
    let pa = ${source('A', 'off0', 'sa', 'SLOT_A')};
    let pb = ${source('B', 'off1', 'sb', 'SLOT_B')};
    let i = 0;
${body}
    nextRow();
  }
}
`;
}

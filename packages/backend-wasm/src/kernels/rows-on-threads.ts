/**
 * Plan-walking kernels (broadcast binary ops, comparisons, where, layout copies) on threads: the plan's rows are
 * cut into tasks, each walking its own run of rows with its own odometer and splat slots (the
 * plan itself is only read), through the kernels' `…Rows` forms.
 */
import type { IterationPlan } from '@surrograd/core';
import { writePlan } from '../plan.js';
import type { WasmBackend } from '../wasm-backend.js';
import { isShared, rowParts } from './parts.js';

/** The kernels with a `…Rows` form. */
export type RowsKernel = 'binaryRowsF32' | 'compareRows' | 'whereRows' | 'copyRows';

/**
 * One task's arguments: `out` is the element offset of its first output, `operands` the element
 * offsets into each operand (0 but for the tail of a one-run plan), then the kernel's rows
 * [first, first + count) of the plan it runs under (count −1: all) and its area (0: the static one).
 */
export type RowsTask = (out: number, operands: readonly number[], first: number, count: number, area: number) => number[];

/** Row length a one-run plan (same shapes, or scalar operands) is recut into, so that threads have rows to share. */
const RUN_ROW = 4096;

/** Writes `plan` and runs `kernel` over it: on the backend's threads when it is big enough to share, else as one call here. */
export function rowsOnThreads(backend: WasmBackend, kernel: RowsKernel, plan: IterationPlan, task: RowsTask): void {
  const none = plan.strides.map(() => 0);
  if (!isShared(plan.size, backend)) {
    writePlan(backend, plan);
    backend.parallel(kernel, [task(0, none, 0, -1, 0)]);
    return;
  }
  const oneRun = plan.dims.length === 1;
  const row = oneRun ? Math.min(plan.size, RUN_ROW) : (plan.dims[plan.dims.length - 1] as number);
  // A one-run plan becomes whole rows of RUN_ROW (each operand's stride, 0 or 1, scaled for the
  // outer dim), and the elements after them a tail run on this thread.
  const whole = oneRun ? Math.floor(plan.size / row) * row : plan.size;
  writePlan(
    backend,
    oneRun ? { size: whole, dims: [whole / row, row], strides: plan.strides.map((s) => [(s[0] as number) * row, s[0] as number]) } : plan,
  );
  const parts = rowParts(whole / row, whole, backend);
  const area = backend.kernels.rowAreaBytes();
  backend.withTemp(parts.length * area, kernel, (areas) => {
    backend.parallel(
      kernel,
      parts.map(([first, count], i) => task(first * row, none, first, count, areas + i * area)),
    );
  });
  if (whole < plan.size) {
    const tail = plan.size - whole;
    writePlan(backend, { size: tail, dims: [tail], strides: plan.strides });
    backend.parallel(kernel, [
      task(
        whole,
        plan.strides.map((s) => whole * (s[0] as number)),
        0,
        -1,
        0,
      ),
    ]);
  }
}

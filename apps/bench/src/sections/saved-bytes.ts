/**
 * Section 6: bytes each activation keeps for backward, per element, beyond its output, measured
 * from the backend's byte counter: the input is a temporary that is disposed right after the
 * forward call, so whatever of it (or anything else) the graph keeps still shows as held bytes.
 */
import { activationEntries, activationFunction, derivativeKind, memory, type Tensor, tensor } from '@surrograd/core';
import type { BenchContext } from '../context.js';
import { uniformArray } from '../data.js';
import { errorMessage } from '../measure/timer.js';
import type { SavedBytesRow, SavedBytesSection } from '../results.js';
import { pytorchConvention, tfjsConvention } from './conventions.js';

function describeSaved(derivative: string): string {
  const d = derivativeKind(derivative);
  if (d.from === 'mask') return `1-bit mask of ${d.predicateText}`;
  if (d.from === 'x') return 'the input x';
  if (d.from === 'y') return 'the output';
  return 'nothing';
}

/** Bytes held beyond the output after a forward pass whose input was a disposed temporary. */
function keptBytes(fn: (x: Tensor) => Tensor, xs: Float32Array): number {
  const before = memory().numBytes;
  const x = tensor(xs, { requiresGrad: true });
  const y = fn(x);
  x.dispose();
  const kept = memory().numBytes - before - 4 * xs.length;
  y.dispose();
  return kept;
}

export async function runSavedBytes(ctx: BenchContext): Promise<SavedBytesSection> {
  const b = ctx.ours.find((o) => o.name === 'cpu') ?? ctx.ours[0];
  if (!b) throw new Error('saved bytes: no backend of ours started');
  await b.use();
  const n = Math.max(32, ctx.config.activationElements - (ctx.config.activationElements % 32));
  const xs = uniformArray(n, 21);
  ctx.log(`saved bytes: ${activationEntries().length} activations on ${b.label}`);
  const rows: SavedBytesRow[] = activationEntries().map((e) => {
    const needsInput = derivativeKind(e.derivative).from !== 'none';
    const row: SavedBytesRow = {
      activation: e.name,
      ours: null,
      oursSaves: describeSaved(e.derivative),
      pytorch: pytorchConvention(e.name, e.surrogate, needsInput),
      tfjs: tfjsConvention(e.name, e.surrogate, needsInput),
    };
    try {
      row.ours = keptBytes((x) => activationFunction(e.name)(x), xs) / n;
    } catch (err) {
      row.error = errorMessage(err);
    }
    return row;
  });
  return { backend: b.label, elements: n, rows };
}

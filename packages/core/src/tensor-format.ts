/** Printing tensors as PyTorch does: `tensor([[1, 0], [0, 3]], requiresGrad=true)`. */
import type { TypedArray } from './dtype.js';
import { fmt } from './shape.js';
import type { Tensor } from './tensor.js';

/** Past this many elements, each dim shows its first and last EDGE_ITEMS entries, as PyTorch's summarize. */
const SUMMARIZE_ABOVE = 1000;
const EDGE_ITEMS = 3;

function formatValue(v: number, dtype: Tensor['dtype']): string {
  if (dtype === 'bool') return v !== 0 ? 'true' : 'false';
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? 'Infinity' : '-Infinity';
  if (dtype === 'int32') return String(v);
  if (Object.is(v, -0)) return '-0';
  // Four significant decimals, PyTorch's default precision; integers print as they are.
  if (Number.isInteger(v) && Math.abs(v) < 1e16) return String(v);
  const a = Math.abs(v);
  return a >= 1e8 || a < 1e-4 ? v.toExponential(4) : String(Number(v.toFixed(4)));
}

function nest(data: TypedArray, shape: readonly number[], dtype: Tensor['dtype'], summarize: boolean): string {
  const walk = (offset: number, dim: number): string => {
    const n = shape[dim] as number;
    let stride = 1;
    for (let d = dim + 1; d < shape.length; d++) stride *= shape[d] as number;
    const item = (i: number) =>
      dim === shape.length - 1 ? formatValue(data[offset + i] as number, dtype) : walk(offset + i * stride, dim + 1);
    const parts: string[] = [];
    if (summarize && n > 2 * EDGE_ITEMS) {
      for (let i = 0; i < EDGE_ITEMS; i++) parts.push(item(i));
      parts.push('...');
      for (let i = n - EDGE_ITEMS; i < n; i++) parts.push(item(i));
    } else for (let i = 0; i < n; i++) parts.push(item(i));
    return `[${parts.join(', ')}]`;
  };
  return shape.length === 0 ? formatValue(data[0] as number, dtype) : walk(0, 0);
}

/** The text of `t` for toString and Node's inspect. */
export function formatTensor(t: Tensor): string {
  const extras: string[] = [];
  let body: string;
  if (t.isDisposed) body = `<disposed>, shape=${fmt(t.shape)}`;
  else if (!t.backend.readSync) body = `<on ${t.backend.name}: await data()>, shape=${fmt(t.shape)}`;
  else if (t.size === 0) body = `[], shape=${fmt(t.shape)}`;
  else body = nest(t.dataSync(), t.shape, t.dtype, t.size > SUMMARIZE_ABOVE);
  if (t.dtype !== 'float32') extras.push(`dtype=${t.dtype}`);
  if (t.gradFn) extras.push(`gradFn=${t.gradFn.name}`);
  else if (t.requiresGrad) extras.push('requiresGrad=true');
  return `tensor(${[body, ...extras].join(', ')})`;
}

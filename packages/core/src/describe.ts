import { Tensor } from './tensor.js';

/** What a value is, for errors about something returned or passed where a tensor was expected: "a Tensor of shape [2, 3]", "an array of length 2", "number 3". */
export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  if (v instanceof Tensor) return `a Tensor of shape [${v.shape.join(', ')}]`;
  return typeof v === 'object' ? 'an object' : `${typeof v} ${String(v)}`;
}

/** Reads the conformance kit's PyTorch goldens (committed JSON) for the tfjs-side tests. */
import { readFileSync } from 'node:fs';

export interface GoldenTensor {
  shape: number[];
  dtype: string;
  data: (number | string)[];
}

export interface ThreadCase {
  name: string;
  program: string;
  inputs: GoldenTensor[];
  args: number[];
  out: GoldenTensor;
  cotangent: GoldenTensor;
  grads: (GoldenTensor | null)[];
}

const decode = (v: number | string): number => {
  if (typeof v === 'number') return v;
  const special: Record<string, number> = {
    NaN: Number.NaN,
    Infinity: Number.POSITIVE_INFINITY,
    '-Infinity': Number.NEGATIVE_INFINITY,
    '-0': -0,
  };
  if (!(v in special)) throw new Error(`golden value ${JSON.stringify(v)} is not a number or a known special`);
  return special[v] as number;
};

export const valuesOf = (t: GoldenTensor): number[] => t.data.map(decode);

export function threadCases(): ThreadCase[] {
  const url = new URL('../../../conformance/goldens/thread.json', import.meta.url);
  return (JSON.parse(readFileSync(url, 'utf8')) as { cases: ThreadCase[] }).cases;
}

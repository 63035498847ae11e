/**
 * A cheap correctness check before timing: the same small input through a backend and through
 * cpu (the reference implementation). A fast wrong kernel must not show up as a fast number.
 */
import { setBackend, type Tensor, tensor } from '@surrograd/core';
import type { OurBackend } from '../contenders/ours.js';
import { probeValues } from '../data.js';

async function forwardBackward(fn: (x: Tensor) => Tensor): Promise<[Float32Array, Float32Array]> {
  const values = probeValues();
  const x = tensor(values, { requiresGrad: true });
  const y = fn(x);
  y.backward(tensor(values.map((v) => 1 + v / 8)));
  const out: [Float32Array, Float32Array] = [(await y.data()) as Float32Array, (await x.grad?.data()) as Float32Array];
  y.dispose();
  x.dispose();
  return out;
}

function compare(what: string, got: Float32Array, want: Float32Array): string | null {
  for (let i = 0; i < want.length; i++) {
    const g = got[i] as number;
    const w = want[i] as number;
    if (Number.isNaN(w) ? !Number.isNaN(g) : Math.abs(g - w) > 1e-5 * Math.max(1, Math.abs(w))) {
      return `${what}[${i}] is ${g}, cpu gives ${w}`;
    }
  }
  return null;
}

/** null when `backend` matches cpu on forward and backward, else what differs. */
export async function checkAgainstCpu(backend: OurBackend, fn: (x: Tensor) => Tensor): Promise<string | null> {
  if (backend.name === 'cpu') return null;
  await setBackend('cpu');
  const [y0, dx0] = await forwardBackward(fn);
  await backend.use();
  const [y1, dx1] = await forwardBackward(fn);
  return compare('y', y1, y0) ?? compare('dx', dx1, dx0);
}

/** Whether the current backend stores float64 (core rejects a dtype its backend lacks). */
import { zeros } from '@surrograd/core';

export function backendSupportsFloat64(): boolean {
  try {
    zeros([1], { dtype: 'float64' }).dispose();
    return true;
  } catch {
    return false;
  }
}

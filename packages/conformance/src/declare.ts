/** Declares one vitest test per id, skipped when the backend author asked. */
import { it } from 'vitest';
import type { KitContext } from './options.js';

export function test(kit: KitContext, id: string, body: () => Promise<void>, timeoutMs?: number): void {
  if (kit.isSkipped(id)) it.skip(id, body);
  else it(id, body, timeoutMs);
}

/** Declares one fast-check property as a kit test: runs and seed from the environment (see propertyParameters). */
import fc from 'fast-check';
import { test } from './declare.js';
import type { KitContext } from './options.js';
import { propertyParameters } from './property-arbitraries.js';

export function property<T>(kit: KitContext, id: string, arbitrary: fc.Arbitrary<T>, run: (value: T) => Promise<void>): void {
  test(kit, id, () => fc.assert(fc.asyncProperty(arbitrary, run), propertyParameters()));
}

/** The shape of every bad-input test: run the misuse, then the backend must still compute and memory() be where it was. */
import { initBackend, registeredBackends, setBackend, type Tensor, tensor, tidy } from '@surrograd/core';
import { expect } from 'vitest';
import { test } from './declare.js';
import type { KitContext } from './options.js';
import { expectSameMemory, snapshot } from './snapshot.js';

/** A small computation whose result is known: the backend still works after the error. */
export async function expectStillUsable(): Promise<void> {
  const t = tensor([1, 2, 3]);
  const y = tidy(() => t.mul(2).add(1).sum());
  expect(Array.from(await y.data())).toEqual([15]);
  t.dispose();
  y.dispose();
}

/** Declares a bad-input case: the body runs, then the backend must still work and memory() be unchanged. */
export function badInput(kit: KitContext, id: string, body: () => Promise<void> | void): void {
  test(kit, `bad-input/${id}`, async () => {
    const before = snapshot();
    await body();
    await expectStillUsable();
    expectSameMemory(`bad-input/${id}`, before, snapshot());
  });
}

/** Disposes tensors and their gradients, skipping nulls. */
export function disposeAll(...ts: (Tensor | null | undefined)[]): void {
  for (const t of ts) {
    t?.grad?.dispose();
    t?.dispose();
  }
}

/** The flat values of a tensor as plain numbers. */
export const flat = async (t: Tensor): Promise<number[]> => Array.from(await t.data());

/** Another registered backend than the kit's, if one exists; whether it initializes is checked in the test. */
export function otherBackend(kit: KitContext): string | undefined {
  return registeredBackends().find((name) => name !== kit.backend);
}

/** Runs `make` with `other` as the current backend, then switches back to the kit's. */
export async function onOther<T>(kit: KitContext, other: string, make: () => T): Promise<T> {
  await initBackend(other);
  await setBackend(other);
  try {
    return make();
  } finally {
    await setBackend(kit.backend);
  }
}

import { afterAll, describe, expect, it } from 'vitest';
import type { Backend } from '../src/backend.js';
import { dispatchKernel, getBackend, registerBackend, registerKernel, removeBackend, setBackend } from '../src/registry.js';

function fakeBackend(name: string): Backend {
  return {
    name,
    dtypes: ['float32'],
    write: () => ({}),
    read: async () => new Float32Array(),
    dispose: () => {},
    memory: () => ({ numDataBuffers: 0, numBytes: 0 }),
  };
}

describe('backend and kernel registry', () => {
  afterAll(() => {
    removeBackend('fake-a');
    removeBackend('fake-b');
  });

  it('names the registered backends when asked for an unknown one', async () => {
    registerBackend('fake-a', () => fakeBackend('fake-a'));
    await expect(setBackend('nope')).rejects.toThrow(/no backend named 'nope'\. Registered: .*'fake-a'/);
  });

  it('switches backends and picks by priority', async () => {
    registerBackend('fake-b', () => fakeBackend('fake-b'), 5);
    await setBackend('fake-a');
    expect(getBackend()).toBe('fake-a');
    await setBackend('fake-b');
    expect(getBackend()).toBe('fake-b');
  });

  it('names the kernel and the backends that have it when one is missing', async () => {
    registerKernel({ name: 'Frobnicate', backend: 'fake-a', fn: () => ({ dataId: {}, shape: [], dtype: 'float32' }) });
    await setBackend('fake-b');
    const b = fakeBackend('fake-b');
    expect(() => dispatchKernel(b, 'Frobnicate', [], {})).toThrow(
      "Kernel 'Frobnicate' is not registered for backend 'fake-b'; backends that have it: 'fake-a'",
    );
    expect(() => dispatchKernel(b, 'Nothing', [], {})).toThrow('no backend registers it');
  });

  it('surfaces a failing async factory and allows retry', async () => {
    let fail = true;
    registerBackend('fake-a', async () => {
      if (fail) throw new Error('adapter missing');
      return fakeBackend('fake-a');
    });
    await expect(setBackend('fake-a')).rejects.toThrow('adapter missing');
    fail = false;
    await setBackend('fake-a');
    expect(getBackend()).toBe('fake-a');
  });
});

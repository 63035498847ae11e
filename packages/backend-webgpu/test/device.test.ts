/** The backend's own behaviour: device loss, missing WebGPU, index errors, pooling, batching, limits. */
import { currentBackend, findBackend, gather, setBackend, type Tensor, tensor, tidy } from '@surrograd/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { findGpu, requestDevice } from '../src/gpu/acquire.js';
import { sizeClass } from '../src/gpu/buffer-pool.js';
import { createWebGpuBackend, type WebGpuBackend, WebGpuDeviceLostError, WebGpuUnavailableError } from '../src/index.js';

const backend = () => currentBackend() as WebGpuBackend;

describe('device loss', () => {
  it('is a clear error on the lost backend, and setBackend gives a working one', async () => {
    await setBackend('webgpu');
    const lostOne = backend();
    const x = tensor([1, 2, 3]);
    const y = x.mul(2);
    expect(Array.from(await y.data())).toEqual([2, 4, 6]);

    lostOne.device.destroy();
    await lostOne.device.lost;
    await Promise.resolve();
    // Tensors of the lost device fail with the reason and the way out.
    expect(() => x.mul(y)).toThrow(WebGpuDeviceLostError);
    expect(() => x.mul(y)).toThrow(/the GPU device was lost \(reason 'destroyed'.*call `await setBackend\('webgpu'\)`/);
    // Named by the kernel, not by an internal pipeline key.
    expect(() => x.mul(y)).toThrow(/^Binary: webgpu: the GPU device was lost/);
    await expect(y.data()).rejects.toThrow(WebGpuDeviceLostError);
    expect(lostOne.memory().lost).toBe(true);
    // The lost device stays current (nothing lands on cpu unasked); new tensors fail the same way.
    expect(() => tensor([1])).toThrow(WebGpuDeviceLostError);
    expect(findBackend('webgpu')).toBe(undefined);
    x.dispose();
    y.dispose();

    await setBackend('webgpu');
    const fresh = backend();
    expect(fresh).not.toBe(lostOne);
    expect(findBackend('webgpu')).toBe(fresh);
    const z = tensor([1, 2, 3]).mul(tensor([4, 5, 6]));
    expect(Array.from(await z.data())).toEqual([4, 10, 18]);
    z.dispose();
  });
});

describe('when WebGPU is missing', () => {
  it("names the 'webgpu' package and how to install it", async () => {
    const missing = () => Promise.reject(new Error("Cannot find package 'webgpu'"));
    const err = await findGpu(missing).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WebGpuUnavailableError);
    expect((err as Error).message).toMatch(/optional dependency 'webgpu'.*npm install webgpu@0\.6\.2/);
  });
  it('names the Vulkan driver to install when there is no adapter', async () => {
    const noAdapter = { requestAdapter: async () => null } as unknown as GPU;
    const err = await requestDevice({ gpu: noAdapter, origin: "the 'webgpu' package" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WebGpuUnavailableError);
    expect((err as Error).message).toMatch(
      /no WebGPU adapter.*apt-get install chromium libvulkan1.*VK_ICD_FILENAMES=\/usr\/lib\/chromium\/vk_swiftshader_icd\.json/,
    );
    const inBrowser = await createWebGpuBackend({ gpu: noAdapter }).catch((e: unknown) => e);
    expect((inBrowser as Error).message).toMatch(/navigator\.gpu.*--enable-unsafe-webgpu/);
  });
});

describe('backend', () => {
  beforeAll(async () => {
    await setBackend('webgpu');
  });

  it('checks host-written indices synchronously, as the cpu backend', () => {
    const x = tensor([1, 2, 3]);
    const bad = tensor([0, 3], { dtype: 'int32' });
    expect(() => gather(x, bad)).toThrow(
      new RangeError('Gather: index 3 (at position 1) is out of range for axis 0 of size 3; expected an integer in [0, 3)'),
    );
    x.dispose();
    bad.dispose();
  });

  it('reports out-of-range indices computed on the GPU at the next read, then recovers', async () => {
    const x = tensor([10, 20, 30]);
    const computed = tensor([1, 5], { dtype: 'int32' }).add(tensor([0, 0], { dtype: 'int32' }));
    const g = gather(x, computed);
    await expect(g.data()).rejects.toThrow(/Gather received an index out of range/);
    const ok = x.mul(1);
    expect(Array.from(await ok.data())).toEqual([10, 20, 30]);
    for (const t of [x, computed, g, ok]) t.dispose();
  });

  it('pools buffers by size class, compiles each pipeline once and batches kernels into few submits', async () => {
    const w = tensor(new Float32Array(1000).fill(0.5), { shape: [10, 100] });
    const step = async () => {
      const out = tidy(() => w.mul(2).add(1).relu().sum(1));
      await out.data();
      out.dispose();
    };
    // Warm-up: pipelines compile, and buffers freed during a batch return to the pool at its submit.
    await step();
    await step();
    const before = backend().memory();
    for (let i = 0; i < 5; i++) await step();
    const after = backend().memory();
    expect(after.gpuBuffers).toBe(before.gpuBuffers);
    expect(after.pipelines).toBe(before.pipelines);
    // Five steps of four kernels each, one read per step: one submit per read.
    expect((after.submits as number) - (before.submits as number)).toBeLessThanOrEqual(5);
    w.dispose();
  });

  it('size classes: powers of two up to 4 KiB, then quarter steps', () => {
    expect([1, 16, 17, 100, 4096, 4097, 5000, 6145, 1 << 20].map(sizeClass)).toEqual([16, 16, 32, 128, 4096, 5120, 5120, 7168, 1 << 20]);
  });

  it('refuses a tensor beyond the device largest storage buffer, naming the limit', async () => {
    const b = backend();
    const tooMany = b.limits.maxStorageBindingBytes / 4 + 1;
    expect(() => b.makeOutput([tooMany], 'float32', 'test')).toThrow(
      /exceeds this WebGPU device's largest storage buffer.*maxStorageBufferBindingSize/,
    );
  });

  it('stores float32, int32 and bool, not float64', async () => {
    expect(() => tensor([1], { dtype: 'float64' })).toThrow("backend 'webgpu' does not support float64");
    const b = tensor([true, false, true]);
    expect(await b.array()).toEqual([true, false, true]);
    const i = tensor([-(2 ** 31), 2 ** 31 - 1], { dtype: 'int32' });
    expect(Array.from(await i.data())).toEqual([-(2 ** 31), 2 ** 31 - 1]);
    for (const t of [b, i] as Tensor[]) t.dispose();
  });

  it('has no synchronous read', () => {
    const t = tensor([1]);
    expect(() => t.dataSync()).toThrow("dataSync: backend 'webgpu' cannot read synchronously; use await tensor.data()");
    t.dispose();
  });
});

import { findBackend, memory, nn, optim, randn, setBackend, type Tensor, tensor, tidy, zeros } from '@surrograd/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerWasmBackend, WASM32_MAX_BYTES, type WasmBackend, type WasmData } from '../src/index.js';
import { Allocator } from '../src/memory/allocator.js';
import { sizeClass } from '../src/memory/size-class.js';

const MiB = 1 << 20;

/** Element-wise equality without vitest's deep diff, which is slow on a million elements. */
function sameValues(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

function wasm(): WasmBackend {
  return findBackend('wasm') as WasmBackend;
}

describe('size classes', () => {
  it('round up to 16 bytes, then to a quarter of the power of two', () => {
    expect([1, 16, 17, 64, 65, 100, 128, 129, 1000].map(sizeClass)).toEqual([16, 16, 32, 64, 80, 112, 128, 160, 1024]);
    for (let n = 1; n < 100_000; n = Math.ceil(n * 1.37)) {
      const c = sizeClass(n);
      expect(c).toBeGreaterThanOrEqual(n);
      expect(c).toBeLessThanOrEqual(Math.max(16, n * 1.25 + 16));
      expect(c % 16).toBe(0);
    }
  });
});

describe('allocator', () => {
  it('reuses a freed block of the same size class before growing', () => {
    const memory = new WebAssembly.Memory({ initial: 1 });
    const a = new Allocator(memory, 1024);
    const x = a.alloc(1000, 'test');
    const y = a.alloc(1000, 'test');
    a.release(x);
    const z = a.alloc(990, 'test');
    expect(z.ptr).toBe(x.ptr);
    expect(a.idleBytes).toBe(0);
    a.release(y);
    a.release(z);
  });

  it('keeps classes apart: a freed block serves only requests of its own size class', () => {
    const memory = new WebAssembly.Memory({ initial: 1 });
    const a = new Allocator(memory, 1024);
    const small = a.alloc(100, 'test');
    a.release(small);
    const large = a.alloc(1000, 'test');
    expect(large.ptr).not.toBe(small.ptr);
    expect(a.idleBytes).toBe(small.capacity);
    expect(a.alloc(100, 'test').ptr).toBe(small.ptr);
  });

  it('grows the memory as needed and refuses past its limit with a RangeError naming the bytes', () => {
    const memory = new WebAssembly.Memory({ initial: 1 });
    const a = new Allocator(memory, 1024, 4 * MiB);
    const big = a.alloc(3 * MiB, 'test');
    expect(memory.buffer.byteLength).toBeGreaterThanOrEqual(big.ptr + 3 * MiB);
    expect(() => a.alloc(2 * MiB, 'Op')).toThrow(/^Op: out of wasm memory allocating 2097152 bytes/);
    expect(() => a.alloc(2 * MiB, 'Op')).toThrow(RangeError);
  });
});

describe('allocator: merging and splitting free blocks', () => {
  it('serves a large request from the merged space of freed tensors, without growing', () => {
    const memory = new WebAssembly.Memory({ initial: 1 });
    const a = new Allocator(memory, 1024, 7 * MiB);
    const blocks = [a.alloc(2 * MiB, 'test'), a.alloc(2 * MiB, 'test'), a.alloc(2 * MiB, 'test')];
    const grown = memory.buffer.byteLength;
    for (const b of blocks) a.release(b);
    // 6 MiB freed in three pieces: a 5 MiB tensor fits only once they are merged.
    const big = a.alloc(5 * MiB, 'test');
    expect(big.ptr).toBe(blocks[0]!.ptr);
    expect(memory.buffer.byteLength).toBe(grown);
    a.release(big);
    // And that space serves requests of other sizes again.
    const small = a.alloc(1000, 'test');
    expect(small.ptr + small.capacity).toBeLessThanOrEqual(grown);
  });

  it('splits the smallest free block that fits, keeping the rest for later requests', () => {
    const memory = new WebAssembly.Memory({ initial: 1 });
    const a = new Allocator(memory, 1024, 6 * MiB);
    const x = a.alloc(3 * MiB, 'test');
    const keep = a.alloc(2 * MiB, 'test');
    a.release(x);
    const first = a.alloc(MiB, 'test');
    const second = a.alloc(MiB, 'test');
    expect([first.ptr, second.ptr]).toEqual([x.ptr, x.ptr + MiB]);
    expect(a.idleBytes).toBe(MiB);
    a.release(keep);
  });

  it('says when the memory is fragmented, and when the address space is exhausted', () => {
    const memory = new WebAssembly.Memory({ initial: 1 });
    const a = new Allocator(memory, 1024, 5 * MiB);
    const [p, q, r] = [a.alloc(MiB, 'test'), a.alloc(MiB, 'test'), a.alloc(MiB, 'test')];
    a.alloc(MiB, 'test');
    a.release(p);
    a.release(r);
    // 2 MiB free, but in two pieces with q alive between them, and no room to grow for 2 MiB.
    expect(() => a.alloc(2 * MiB, 'Op')).toThrow(
      /^Op: out of wasm memory allocating 2097152 bytes: the address space is exhausted .*limit 5242880\)\. .*2097152 bytes are free but in 2 pieces, the largest 1048576: fragmented/,
    );
    a.release(q);
    // Freed, q joins its neighbours: now 3 MiB in one piece.
    expect(a.alloc(2 * MiB, 'test').ptr).toBe(p.ptr);
  });
});

describe('wasm backend memory', () => {
  beforeAll(async () => {
    await setBackend('wasm');
  });

  it('reuses the block of a disposed tensor for the next tensor of its size', () => {
    const a = zeros([100, 100]);
    const ptr = (a.dataId as WasmData).ptr;
    a.dispose();
    const b = zeros([100, 99]);
    expect((b.dataId as WasmData).ptr).toBe(ptr);
    b.dispose();
  });

  it('grows linear memory for a large tensor, keeping earlier tensors intact', async () => {
    const small = tensor([1, 2, 3, 4]);
    const before = wasm().memory().wasmMemoryBytes as number;
    const big = zeros([before / 4 + 1000]); // more than the whole memory had
    expect(wasm().memory().wasmMemoryBytes as number).toBeGreaterThan(before);
    expect(Array.from(await small.data())).toEqual([1, 2, 3, 4]);
    const sum = big.add(1).sum();
    expect(await sum.data()).toEqual(new Float32Array([before / 4 + 1000]));
    for (const t of [small, big, sum]) t.dispose();
  });

  it('throws a RangeError beyond what wasm32 can address, leaving tensors and memory() as they were', async () => {
    const keep = tensor([5, 6, 7]);
    const before = memory();
    expect(() => zeros([WASM32_MAX_BYTES / 4 + 16])).toThrow(/out of wasm memory allocating 4294967360 bytes/);
    expect(memory()).toEqual(before);
    expect(Array.from(await keep.data())).toEqual([5, 6, 7]);
    keep.dispose();
  });

  it("throws a RangeError when the memory can't grow to the backend's limit, leaving tensors intact", async () => {
    registerWasmBackend({ name: 'wasm-small', maxMemoryBytes: 16 * MiB }, 0);
    await setBackend('wasm-small');
    try {
      const kept: Tensor[] = [];
      for (let i = 0; i < 3; i++) kept.push(randn([MiB / 4], { seed: i })); // 1 MiB each
      const values = await Promise.all(kept.map((t) => t.data()));
      const before = memory();
      expect(() => zeros([4 * MiB])).toThrow(RangeError); // 16 MiB more than fits
      expect(() => zeros([4 * MiB])).toThrow(/allocating 16777216 bytes.*limit 16777216/);
      expect(memory()).toEqual(before);
      for (let i = 0; i < kept.length; i++) expect(sameValues(await kept[i]!.data(), values[i]!)).toBe(true);
      // Still usable: an op on the kept tensors works after the failure.
      const total = kept[0]!.add(kept[1]!).sum();
      expect(Number.isFinite((await total.data())[0])).toBe(true);
      for (const t of [...kept, total]) t.dispose();
    } finally {
      await setBackend('wasm');
    }
  });

  it('holds memory() and the linear memory flat over 1000 training steps', () => {
    const model = new nn.Sequential(new nn.Linear(20, 32, { seed: 1 }), new nn.ReLU(), new nn.Linear(32, 4, { seed: 3 }));
    const opt = new optim.SGD(model.parameters(), { lr: 0.05, momentum: 0.9 });
    const x = randn([16, 20], { seed: 5 });
    const labels = tensor(
      Array.from({ length: 16 }, (_, i) => i % 4),
      { dtype: 'int32' },
    );
    const step = () =>
      tidy(() => {
        opt.zeroGrad();
        const loss = nn.crossEntropy(model.forward(x), labels);
        loss.backward();
        opt.step();
        return loss.dataSync()[0] as number;
      });
    const first = step();
    step();
    const before = memory();
    let last = first;
    for (let i = 0; i < 1000; i++) last = step();
    const after = memory();
    expect(after.numTensors).toBe(before.numTensors);
    expect(after.numDataBuffers).toBe(before.numDataBuffers);
    expect(after.numBytes).toBe(before.numBytes);
    expect(after.wasmMemoryBytes).toBe(before.wasmMemoryBytes);
    expect(last).toBeLessThan(first);
    for (const t of [...model.parameters(), x, labels]) t.dispose();
  });
});

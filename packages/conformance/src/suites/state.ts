/**
 * Module state as PyTorch's: buffers beside parameters, `stateDict` keys exactly as PyTorch names
 * them, `loadStateDict` (strict and not, all or nothing), and safetensors files written by
 * PyTorch (state-dict.json) read into a CNN built here, which then computes PyTorch's output.
 */
import { loadSafetensors, nn, readSafetensors, saveSafetensors, type Tensor, tensor, tidy } from '@surrograd/core';
import { describe, expect } from 'vitest';
import { badInput, disposeAll, flat } from '../bad-input-case.js';
import { expectTensorClose } from '../compare.js';
import { test } from '../declare.js';
import { expectedOf, goldenNumber, goldenTensor } from '../decode.js';
import { loadStateDictGolden } from '../goldens.js';
import type { KitContext } from '../options.js';

/** The model of scripts/goldens/make_state_dict.py, layer for layer. */
class Net extends nn.Module {
  features = new nn.Sequential(
    new nn.Conv2d(1, 4, 3, { padding: 1 }),
    new nn.BatchNorm2d(4),
    new nn.ReLU(),
    new nn.MaxPool2d(2),
    new nn.Conv2d(4, 6, 3, { groups: 2 }),
    new nn.GroupNorm(2, 6),
  );
  head = new nn.Sequential(new nn.Flatten(), new nn.Dropout(0.5), new nn.Linear(24, 3), new nn.LayerNorm(3));
  forward(x: Tensor): Tensor {
    return this.head.forward(this.features.forward(x));
  }
}

const bytesOf = (base64: string): Uint8Array => {
  const bin = atob(base64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
};

const flatNumbers = (v: unknown): number[] => (Array.isArray(v) ? v.flatMap(flatNumbers) : [goldenNumber(v as number)]);

function pytorchFiles(kit: KitContext): void {
  test(kit, 'state/pytorch-state-dict-from-safetensors', async () => {
    const g = loadStateDictGolden().model;
    const net = new Net();
    expect(Object.keys(net.stateDict())).toEqual(g.keys);
    const loaded = loadSafetensors(bytesOf(g.file));
    try {
      expect(Object.keys(loaded).sort()).toEqual([...g.keys].sort());
      expect(loaded['features.1.num_batches_tracked']?.dtype).toBe('int32');
      net.loadStateDict(loaded);
      net.eval();
      const x = goldenTensor(g.input);
      const y = tidy(() => net.forward(x));
      await expectTensorClose('PyTorch CNN output', y, expectedOf(g.output), kit.tolerance);
      expect(await flat(net.stateDict()['features.1.num_batches_tracked'] as Tensor)).toEqual([2]);
      disposeAll(x, y);
    } finally {
      net.dispose();
      disposeAll(...Object.values(loaded));
    }
  });

  test(kit, 'state/every-dtype-and-metadata', async () => {
    const g = loadStateDictGolden().dtypes;
    const { tensors, metadata } = readSafetensors(bytesOf(g.file));
    try {
      expect(metadata).toEqual(g.metadata);
      for (const [name, shape] of Object.entries(g.shapes)) {
        const t = tensors[name] as Tensor;
        expect([name, t.shape]).toEqual([name, shape]);
        const want = flatNumbers(g.values[name]);
        const got = Array.from(await t.data());
        const f32 = t.dtype === 'float32';
        expect([name, got]).toEqual([name, f32 ? want.map(Math.fround) : want]);
      }
      expect(tensors.bool?.dtype).toBe('bool');
      expect(tensors.i64?.dtype).toBe('int32');
    } finally {
      disposeAll(...Object.values(tensors));
    }
  });
}

function roundTrips(kit: KitContext): void {
  test(kit, 'state/save-load-round-trip', async () => {
    const a = new Net();
    const b = new Net();
    const x = tensor(
      Array.from({ length: 128 }, (_, i) => Math.sin(i)),
      { shape: [2, 1, 8, 8] },
    );
    try {
      a.eval();
      b.eval();
      const bytes = await saveSafetensors(a.stateDict(), { note: 'round trip' });
      const { tensors, metadata } = readSafetensors(bytes);
      expect(metadata).toEqual({ note: 'round trip' });
      b.loadStateDict(tensors);
      disposeAll(...Object.values(tensors));
      const [ya, yb] = [tidy(() => a.forward(x)), tidy(() => b.forward(x))];
      expect(await flat(yb)).toEqual(await flat(ya));
      disposeAll(ya, yb);
    } finally {
      a.dispose();
      b.dispose();
      x.dispose();
    }
  });

  test(kit, 'state/modules-buffers-and-names', async () => {
    const net = new Net();
    try {
      expect(net.namedBuffers().map(([k]) => k)).toEqual([
        'features.1.running_mean',
        'features.1.running_var',
        'features.1.num_batches_tracked',
      ]);
      expect(net.parameters().length).toBe(12);
      expect(net.namedModules().map(([k]) => k)).toEqual([
        '',
        'features',
        'features.0',
        'features.1',
        'features.2',
        'features.3',
        'features.4',
        'features.5',
        'head',
        'head.0',
        'head.1',
        'head.2',
        'head.3',
      ]);
      expect(net.children().length).toBe(2);
      const seen: string[] = [];
      net.apply((m) => seen.push(m.constructor.name));
      expect(seen.at(-1)).toBe('Net');
      net.eval();
      expect(net.modules().every((m) => !m.training)).toBe(true);
      // Training mode counts batches and moves the running statistics.
      net.train();
      const x = tensor(
        Array.from({ length: 128 }, (_, i) => Math.cos(i) * 3),
        { shape: [2, 1, 8, 8] },
      );
      tidy(() => net.forward(x));
      const sd = net.stateDict();
      expect(await flat(sd['features.1.num_batches_tracked'] as Tensor)).toEqual([1]);
      expect((await flat(sd['features.1.running_mean'] as Tensor)).some((v) => v !== 0)).toBe(true);
      x.dispose();
    } finally {
      net.dispose();
    }
  });
}

function misuse(kit: KitContext): void {
  badInput(kit, 'state/load-state-dict-all-or-nothing', async () => {
    const net = new Net();
    const other = new Net();
    const before = await flat(net.stateDict()['head.2.weight'] as Tensor);
    const sd = { ...other.stateDict() };
    const wrong = tensor([1, 2]);
    try {
      expect(() => net.loadStateDict({ ...sd, extra: wrong })).toThrow("loadStateDict: unexpected keys 'extra'");
      const { 'head.3.bias': _dropped, ...partial } = sd;
      expect(() => net.loadStateDict(partial)).toThrow("loadStateDict: missing keys 'head.3.bias'");
      expect(() => net.loadStateDict({ ...sd, 'head.3.bias': wrong })).toThrow(
        "loadStateDict: 'head.3.bias' has shape [2] in the state dict, but [3] in the module",
      );
      expect(await flat(net.stateDict()['head.2.weight'] as Tensor)).toEqual(before);
      const result = net.loadStateDict({ 'head.2.bias': sd['head.2.bias'] as Tensor, extra: wrong }, { strict: false });
      expect(result.unexpectedKeys).toEqual(['extra']);
      expect(result.missingKeys.length).toBe(14);
      expect(await flat(net.stateDict()['head.2.bias'] as Tensor)).toEqual(await flat(sd['head.2.bias'] as Tensor));
    } finally {
      net.dispose();
      other.dispose();
      wrong.dispose();
    }
  });

  badInput(kit, 'state/malformed-safetensors', () => {
    expect(() => loadSafetensors(new Uint8Array(4))).toThrow('loadSafetensors: 4 bytes is too short');
    const header = (json: string, data = 0) => {
      const text = new TextEncoder().encode(json);
      const out = new Uint8Array(8 + text.length + data);
      new DataView(out.buffer).setBigUint64(0, BigInt(text.length), true);
      out.set(text, 8);
      return out;
    };
    expect(() => loadSafetensors(header('{"a":'))).toThrow('loadSafetensors: the header is not valid UTF-8 JSON');
    expect(() => loadSafetensors(header('{"a":{"dtype":"Q8","shape":[1],"data_offsets":[0,1]}}', 1))).toThrow(
      'loadSafetensors: \'a\' has dtype "Q8"',
    );
    expect(() => loadSafetensors(header('{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}', 4))).toThrow(
      "loadSafetensors: 'a' (F32 [2]) needs 8 bytes, its offsets span 4",
    );
    expect(() => loadSafetensors(header('{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}', 8))).toThrow(
      'loadSafetensors: the tensors cover 4 bytes of data, but the file holds 8',
    );
    const big = header('{"a":{"dtype":"I64","shape":[1],"data_offsets":[0,8]}}', 8);
    new DataView(big.buffer).setBigInt64(big.length - 8, 2n ** 40n, true);
    expect(() => loadSafetensors(big)).toThrow("loadSafetensors: 'a' (I64) holds 1099511627776 at index 0, outside int32's range");
  });
}

export function stateSuite(kit: KitContext): void {
  describe('module state: buffers, stateDict, safetensors', () => {
    pytorchFiles(kit);
    roundTrips(kit);
    misuse(kit);
  });
}
